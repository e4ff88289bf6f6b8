import { Inject, Injectable, Logger } from '@nestjs/common';
import { FieldProblem, InvalidInputError, NotFoundError } from '../../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { Principal } from '../../tenancy/principal';
import type { TenantRef } from '../../tenancy/tenant';
import { idpAuditSummary } from '../sso-audit';
import { SsoConfigRepository } from '../sso-config.repository';
import type { IdpSource, StoredIdp } from '../sso-config.types';
import { SsoConfigWriter } from '../sso-config.writer';
import { assertCertificateUsable } from './certificate';
import { IdpConfigError, IdpConfigErrors } from './idp-config.error';
import type { IdpDescriptor } from './idp-descriptor';
import { parseIdpMetadata } from './idp-metadata.parser';
import { buildManualIdp, ManualIdpInput } from './manual-idp';
import { fetchMetadata } from './metadata-fetcher';

/** Exactly one of the three ways to name an IdP. */
export type IdentityProviderInput = { metadataXml: string } | { metadataUrl: string } | ManualIdpInput;

const MANUAL_FIELDS = ['entityId', 'ssoUrl', 'certificate', 'sloUrl'] as const;

/**
 * A tenant's IdP, from metadata XML, a metadata URL (fetched now and refreshed later) or fields
 * typed in; stored through the writer, so each import is locked, versioned and audited.
 */
@Injectable()
export class IdpImportService {
  private readonly logger = new Logger(IdpImportService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: SsoConfigRepository,
    private readonly writer: SsoConfigWriter,
  ) {}

  async importIdentityProvider(tenant: TenantRef, input: IdentityProviderInput, principal: Principal, expectedVersion: number | null): Promise<void> {
    const now = new Date();
    const { idp, metadataUrl } = await this.resolve(input, now);
    await this.writer.change(tenant, { principal, action: 'identity_provider', expectedVersion }, async (config) => ({
      changes: { idp, idpMetadataUrl: metadataUrl, idpRefreshedAt: metadataUrl ? now : null, idpRefreshError: null, idpRefreshErrorCode: null, idpConfiguredAt: now },
      audit: [{ field: 'identityProvider', old: idpAuditSummary(config.idp, config.idpMetadataUrl), new: idpAuditSummary(idp, metadataUrl) }],
    }));
  }

  /** Fetches the metadata URL again; a failure keeps the last good IdP and is shown in the settings. */
  async refresh(tenant: TenantRef, principal: Principal | null): Promise<void> {
    const config = await this.repository.find(tenant);
    if (!config) throw new NotFoundError('SSO has never been enabled for this tenant');
    if (!config.idpMetadataUrl) {
      throw new InvalidInputError('metadataUrl', 'no_metadata_url', 'The identity provider was not configured from a metadata URL');
    }
    const url = config.idpMetadataUrl;
    const now = new Date();
    const request = { principal, action: 'identity_provider_refresh', expectedVersion: null };
    let idp: StoredIdp;
    try {
      idp = await this.fromUrl(url, now);
    } catch (error) {
      if (!(error instanceof IdpConfigError)) throw error;
      this.logger.warn({ msg: 'metadata refresh failed', tenant, code: error.code });
      // Not a change anyone made: shown in the settings, not written to the audit log.
      await this.writer.change(tenant, request, async () => ({ changes: { idpRefreshError: `${now.toISOString()}: ${error.message}`, idpRefreshErrorCode: error.code }, audit: [] }));
      return;
    }
    await this.writer.change(tenant, request, async (current) => {
      if (current.idpMetadataUrl !== url) return null;
      const before = idpAuditSummary(current.idp, url);
      const after = idpAuditSummary(idp, url);
      const audit = JSON.stringify(before) === JSON.stringify(after) ? [] : [{ field: 'identityProvider', old: before, new: after }];
      return { changes: { idp, idpRefreshedAt: now, idpRefreshError: null, idpRefreshErrorCode: null }, audit };
    });
  }

  private async resolve(input: IdentityProviderInput, now: Date): Promise<{ idp: StoredIdp; metadataUrl: string | null }> {
    const fields = input as Record<string, unknown>;
    const given = (['metadataXml', 'metadataUrl', 'manual'] as const).filter((source) =>
      source === 'manual' ? MANUAL_FIELDS.some((field) => fields[field] !== undefined) : fields[source] !== undefined,
    );
    if (given.length !== 1) {
      throw new InvalidInputError(
        'identityProvider',
        'exactly_one_source',
        'Give exactly one of: metadataXml, metadataUrl, or entityId + ssoUrl + certificate',
      );
    }
    try {
      if ('metadataXml' in input && input.metadataXml !== undefined) {
        return { idp: withUsableCertificates(parseMetadataAs('metadataXml', input.metadataXml), 'metadataXml', now), metadataUrl: null };
      }
      if ('metadataUrl' in input && input.metadataUrl !== undefined) {
        return { idp: await this.fromUrl(input.metadataUrl, now), metadataUrl: input.metadataUrl };
      }
      return { idp: { ...buildManualIdp(input as ManualIdpInput, now), source: 'manual' }, metadataUrl: null };
    } catch (error) {
      if (error instanceof IdpConfigErrors) throw InvalidInputError.of(error.all.map(({ field, code, message }) => ({ field, code, message })) as [FieldProblem]);
      if (error instanceof IdpConfigError) throw new InvalidInputError(error.field, error.code, error.message);
      throw error;
    }
  }

  private async fromUrl(url: string, now: Date): Promise<StoredIdp> {
    const xml = await fetchMetadata(url, {
      allowHttp: this.config.allowHttpMetadataUrls,
      allowPrivateHosts: this.config.allowPrivateMetadataHosts,
    });
    return withUsableCertificates(parseMetadataAs('metadataUrl', xml), 'metadataUrl', now);
  }
}

/** Problems inside a metadata document are reported against the field the admin filled in. */
function parseMetadataAs(field: 'metadataXml' | 'metadataUrl', xml: string): IdpDescriptor {
  try {
    return parseIdpMetadata(xml);
  } catch (error) {
    if (error instanceof IdpConfigError && error.field !== field) {
      throw new IdpConfigError(field, error.code, `In the metadata, ${error.field}: ${error.message}`);
    }
    throw error;
  }
}

/**
 * An IdP whose signing certificates have all expired can never be trusted; during a rollover an
 * expired old certificate beside a valid new one is dropped rather than refusing the metadata.
 */
function withUsableCertificates(idp: IdpDescriptor, field: 'metadataXml' | 'metadataUrl', now: Date): StoredIdp {
  const usable: string[] = [];
  let firstProblem: IdpConfigError | null = null;
  for (const pem of idp.certificates) {
    try {
      assertCertificateUsable(pem, now);
      usable.push(pem);
    } catch (error) {
      if (!(error instanceof IdpConfigError)) throw error;
      firstProblem ??= error;
    }
  }
  if (usable.length === 0) {
    throw new IdpConfigError(field, firstProblem?.code ?? 'no_signing_certificate', firstProblem?.message ?? 'The metadata has no signing certificate');
  }
  return { ...idp, certificates: usable, source: field as IdpSource };
}
