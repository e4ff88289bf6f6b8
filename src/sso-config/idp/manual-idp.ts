import { assertCertificateUsable, normalizeCertificate } from './certificate';
import { IdpConfigError, IdpConfigErrors } from './idp-config.error';
import type { IdpDescriptor } from './idp-descriptor';
import { validEndpointUrl, validEntityId } from './idp-fields';

export interface ManualIdpInput {
  entityId: string;
  ssoUrl: string;
  /** PEM or bare base64 DER. */
  certificate: string;
  sloUrl?: string | null;
}

/**
 * Builds the IdP from fields typed in by an admin. Without metadata the IdP's bindings are unknown,
 * so HTTP-Redirect is assumed: the binding every mainstream IdP accepts for requests.
 */
export function buildManualIdp(input: ManualIdpInput, now: Date): IdpDescriptor {
  // Every field is checked, so that the admin sees all the problems of the form at once.
  const problems: IdpConfigError[] = [];
  const checked = <T>(check: () => T): T | null => {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof IdpConfigError)) throw error;
      problems.push(error);
      return null;
    }
  };
  const entityId = checked(() => validEntityId(input.entityId));
  const ssoUrl = checked(() => validEndpointUrl(input.ssoUrl, 'ssoUrl'));
  const sloUrl = isBlank(input.sloUrl) ? null : checked(() => validEndpointUrl(input.sloUrl, 'sloUrl'));
  const certificate = checked(() => {
    const normalized = normalizeCertificate(input.certificate);
    assertCertificateUsable(normalized, now);
    return normalized;
  });
  const [first, ...others] = problems;
  if (first) throw others.length > 0 ? new IdpConfigErrors([first, ...others]) : first;
  return {
    entityId: entityId!,
    ssoUrl: ssoUrl!,
    ssoBinding: 'redirect',
    sloUrl,
    sloBinding: sloUrl === null ? null : 'redirect',
    wantAuthnRequestsSigned: false,
    certificates: [certificate!],
  };
}

function isBlank(value: string | null | undefined): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}
