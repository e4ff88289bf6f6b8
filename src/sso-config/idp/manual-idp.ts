import { assertCertificateUsable, normalizeCertificate } from './certificate';
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
  const entityId = validEntityId(input.entityId);
  const ssoUrl = validEndpointUrl(input.ssoUrl, 'ssoUrl');
  const sloUrl = isBlank(input.sloUrl) ? null : validEndpointUrl(input.sloUrl, 'sloUrl');
  const certificate = normalizeCertificate(input.certificate);
  assertCertificateUsable(certificate, now);
  return {
    entityId,
    ssoUrl,
    ssoBinding: 'redirect',
    sloUrl,
    sloBinding: sloUrl === null ? null : 'redirect',
    wantAuthnRequestsSigned: false,
    certificates: [certificate],
  };
}

function isBlank(value: string | null | undefined): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}
