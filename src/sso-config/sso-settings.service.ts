import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { InvalidInputError, NotFoundError, PreconditionFailedError } from '../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { Principal } from '../tenancy/principal';
import { describePrincipal } from '../tenancy/principal';
import type { TenantRef } from '../tenancy/tenant';
import { assertCertificateUsable, describeCertificate } from './idp/certificate';
import { IdpConfigError } from './idp/idp-config.error';
import type { IdpDescriptor } from './idp/idp-descriptor';
import { parseIdpMetadata } from './idp/idp-metadata.parser';
import { buildManualIdp, ManualIdpInput } from './idp/manual-idp';
import { fetchMetadata } from './idp/metadata-fetcher';
import { SsoConfigChangeNotifier } from './sso-config-change.notifier';
import { AuditChange, SsoAuditEntryEntity, SsoConfigEntity } from './sso-config.entities';
import { optionsOf } from './sso-options';
import { SsoConfigChanges, SsoConfigRepository } from './sso-config.repository';
import {
  DEFAULT_ATTRIBUTE_MAPPING,
  IdpSource,
  SsoOptions,
  SsoSettings,
  SsoStatus,
  StoredIdp,
} from './sso-config.types';
import { keyIdOf, SecretBox, tenantSecretContext } from './sp/secret-box';
import { generateSpIdentity } from './sp/sp-identity';
import { spUrls } from './sp/sp-urls';

/** Exactly one of the three ways to name an IdP. */
export type IdentityProviderInput =
  | { metadataXml: string }
  | { metadataUrl: string }
  | ManualIdpInput;

export type SsoOptionsPatch = Partial<Omit<SsoOptions, 'attributeMapping'>> & {
  attributeMapping?: Partial<SsoOptions['attributeMapping']>;
};

/** `*` or the version a client read, from an `If-Match` header. */
export type ExpectedVersion = number | '*' | null;

const OPTION_FIELDS: (keyof SsoOptions)[] = [
  'attributeMapping',
  'roleMapping',
  'defaultRole',
  'justInTimeProvisioning',
  'enforceSso',
  'groupsOverrideRole',
  'allowIdpInitiated',
  'clockSkewSeconds',
  'allowSha1Signatures',
  'allowCbcEncryption',
  'domains',
  'allowedEmailDomains',
];

/**
 * The per-tenant SSO settings: one service for organizations and partners alike. Every change is
 * written with its audit entry in one transaction, under a row lock, and bumps the version that
 * serves as ETag and as the login path's cache key.
 */
@Injectable()
export class SsoSettingsService {
  private readonly logger = new Logger(SsoSettingsService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: SsoConfigRepository,
    private readonly secrets: SecretBox,
    private readonly notifier: SsoConfigChangeNotifier,
  ) {}

  async get(tenant: TenantRef): Promise<SsoSettings> {
    const config = await this.repository.find(tenant);
    if (!config) throw new NotFoundError('SSO has never been enabled for this tenant');
    return this.toSettings(config, await this.repository.domainsOf(tenant));
  }

  async enable(tenant: TenantRef, principal: Principal): Promise<SsoSettings> {
    const existing = await this.repository.find(tenant);
    if (!existing) {
      const created = await this.repository.inTransaction(async (tx) => {
        if (!(await tx.insertIfAbsent(this.newConfig(tenant)))) return false;
        const sp = await tx.find(tenant);
        await tx.addAudit(tenant, describePrincipal(principal), 'enable', [
          { field: 'enabled', old: false, new: true },
          { field: 'serviceProvider.certificate', old: null, new: fingerprint(sp!.spCertificate) },
        ]);
        return true;
      });
      if (created) {
        this.notifier.changed(tenant);
        return this.get(tenant);
      }
    }
    return this.setEnabled(tenant, true, principal);
  }

  disable(tenant: TenantRef, principal: Principal): Promise<SsoSettings> {
    return this.setEnabled(tenant, false, principal);
  }

  private async setEnabled(tenant: TenantRef, enabled: boolean, principal: Principal): Promise<SsoSettings> {
    return this.change(tenant, null, principal, enabled ? 'enable' : 'disable', async (config) =>
      config.enabled === enabled ? null : { changes: { enabled }, audit: [{ field: 'enabled', old: config.enabled, new: enabled }] },
    );
  }

  async setIdentityProvider(
    tenant: TenantRef,
    input: IdentityProviderInput,
    principal: Principal,
    expected: ExpectedVersion,
  ): Promise<SsoSettings> {
    const now = new Date();
    const { idp, metadataUrl } = await this.resolveIdentityProvider(input, now);
    return this.change(tenant, expected, principal, 'identity_provider', async (config) => ({
      changes: {
        idp,
        idpMetadataUrl: metadataUrl,
        idpRefreshedAt: metadataUrl ? now : null,
        idpRefreshError: null,
      },
      audit: [{ field: 'identityProvider', old: summarizeIdp(config.idp, config.idpMetadataUrl), new: summarizeIdp(idp, metadataUrl) }],
    }));
  }

  /** Fetches the metadata URL again; a failure keeps the last good IdP and is shown in the settings. */
  async refreshIdentityProvider(tenant: TenantRef, principal: Principal | null): Promise<SsoSettings> {
    const config = await this.repository.find(tenant);
    if (!config) throw new NotFoundError('SSO has never been enabled for this tenant');
    if (!config.idpMetadataUrl) {
      throw new InvalidInputError('metadataUrl', 'no_metadata_url', 'The identity provider was not configured from a metadata URL');
    }
    const url = config.idpMetadataUrl;
    const now = new Date();
    let idp: StoredIdp;
    try {
      idp = await this.idpFromUrl(url, now);
    } catch (error) {
      if (!(error instanceof IdpConfigError)) throw error;
      this.logger.warn({ msg: 'metadata refresh failed', tenant, code: error.code });
      // Not a change anyone made: shown in the settings, not written to the audit log.
      return this.change(tenant, null, principal, 'identity_provider_refresh', async () => ({
        changes: { idpRefreshError: `${now.toISOString()}: ${error.message}` },
        audit: [],
      }));
    }
    return this.change(tenant, null, principal, 'identity_provider_refresh', async (current) => {
      if (current.idpMetadataUrl !== url) return null;
      const before = summarizeIdp(current.idp, url);
      const after = summarizeIdp(idp, url);
      const audit = JSON.stringify(before) === JSON.stringify(after) ? [] : [{ field: 'identityProvider', old: before, new: after }];
      return { changes: { idp, idpRefreshedAt: now, idpRefreshError: null }, audit };
    });
  }

  async update(tenant: TenantRef, patch: SsoOptionsPatch, principal: Principal, expected: ExpectedVersion): Promise<SsoSettings> {
    return this.change(tenant, expected, principal, 'update', async (config, tx) => {
      const current = { ...optionsOf(config), domains: await tx.domainsOf(tenant) };
      const next: SsoOptions = {
        ...current,
        ...definedEntries(patch),
        attributeMapping: { ...current.attributeMapping, ...definedEntries(patch.attributeMapping ?? {}) },
      } as SsoOptions;
      const audit: AuditChange[] = OPTION_FIELDS.filter((field) => JSON.stringify(current[field]) !== JSON.stringify(next[field])).map(
        (field) => ({ field, old: current[field], new: next[field] }),
      );
      if (audit.length === 0) return null;
      if (audit.some((change) => change.field === 'domains')) await tx.replaceDomains(tenant, next.domains);
      const { domains: _domains, ...columns } = next;
      return { changes: columns, audit };
    });
  }

  async remove(tenant: TenantRef, principal: Principal): Promise<void> {
    await this.repository.inTransaction(async (tx) => {
      const config = await tx.findForUpdate(tenant);
      if (!config) throw new NotFoundError('SSO has never been enabled for this tenant');
      await tx.delete(tenant);
      await tx.addAudit(tenant, describePrincipal(principal), 'delete', [
        { field: 'configuration', old: 'present', new: null },
        { field: 'serviceProvider.certificate', old: fingerprint(config.spCertificate), new: null },
      ]);
    });
    this.notifier.changed(tenant);
  }

  async loginAttempts(tenant: TenantRef, limit: number) {
    const attempts = await this.repository.listLoginAttempts(tenant, limit);
    return attempts.map(({ at, outcome, reason, email, assertionId }) => ({
      at: at.toISOString(),
      outcome,
      reason,
      ...(email ? { email } : {}),
      ...(assertionId ? { assertionId } : {}),
    }));
  }

  async auditLog(tenant: TenantRef, limit: number) {
    const entries: SsoAuditEntryEntity[] = await this.repository.listAudit(tenant, limit);
    return entries.map(({ at, actorType, actorId, action, changes }) => ({
      at: at.toISOString(),
      actor: { type: actorType, id: actorId },
      action,
      changes,
    }));
  }

  /** The portal's login page: where to send a user of this email, if anywhere. */
  async discover(email: string): Promise<{ sso: false } | { sso: true; enforced: boolean; loginUrl: string }> {
    const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
    const config = await this.repository.findTenantByDomain(domain);
    if (!config || statusOf(config) !== 'active') return { sso: false };
    const tenant: TenantRef = { type: config.tenantType, id: config.tenantId };
    return { sso: true, enforced: config.enforceSso, loginUrl: spUrls(this.config.publicBaseUrl, tenant).loginUrl };
  }

  /**
   * Locks the tenant's row, lets `decide` compute the change from the current state, writes it with
   * its audit entry, and answers the new settings. `decide` returning null means "nothing to change".
   */
  private async change(
    tenant: TenantRef,
    expected: ExpectedVersion,
    principal: Principal | null,
    action: string,
    decide: (
      config: SsoConfigEntity,
      tx: SsoConfigRepository,
    ) => Promise<{ changes: SsoConfigChanges; audit: AuditChange[] } | null>,
  ): Promise<SsoSettings> {
    const changed = await this.repository.inTransaction(async (tx) => {
      const config = await tx.findForUpdate(tenant);
      if (!config) throw new NotFoundError('SSO has never been enabled for this tenant');
      if (expected !== null && expected !== '*' && expected !== config.version) {
        throw new PreconditionFailedError('The settings were changed by someone else; read them again and retry');
      }
      const decision = await decide(config, tx);
      if (!decision) return false;
      await tx.update(tenant, decision.changes, new Date());
      if (decision.audit.length > 0) {
        const actor = principal ? describePrincipal(principal) : { actorType: 'system', actorId: null };
        await tx.addAudit(tenant, actor, action, decision.audit);
      }
      return true;
    });
    if (changed) this.notifier.changed(tenant);
    return this.get(tenant);
  }

  private async resolveIdentityProvider(input: IdentityProviderInput, now: Date): Promise<{ idp: StoredIdp; metadataUrl: string | null }> {
    const given = (['metadataXml', 'metadataUrl', 'manual'] as const).filter((source) =>
      source === 'manual'
        ? ['entityId', 'ssoUrl', 'certificate', 'sloUrl'].some((field) => (input as Record<string, unknown>)[field] !== undefined)
        : (input as Record<string, unknown>)[source] !== undefined,
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
        return { idp: await this.idpFromUrl(input.metadataUrl, now), metadataUrl: input.metadataUrl };
      }
      return { idp: { ...buildManualIdp(input as ManualIdpInput, now), source: 'manual' }, metadataUrl: null };
    } catch (error) {
      if (error instanceof IdpConfigError) throw new InvalidInputError(error.field, error.code, error.message);
      throw error;
    }
  }

  private async idpFromUrl(url: string, now: Date): Promise<StoredIdp> {
    const xml = await fetchMetadata(url, {
      allowHttp: this.config.allowHttpMetadataUrls,
      allowPrivateHosts: this.config.allowPrivateMetadataHosts,
    });
    return withUsableCertificates(parseMetadataAs('metadataUrl', xml), 'metadataUrl', now);
  }

  private newConfig(tenant: TenantRef): SsoConfigEntity {
    const identity = generateSpIdentity(`sso-${tenant.type}-${tenant.id}`);
    const now = new Date();
    return {
      tenantType: tenant.type,
      tenantId: tenant.id,
      enabled: true,
      spCertificate: identity.certificatePem,
      // Bound to the tenant: the sealed key opens only for this tenant's row.
      spPrivateKeySealed: this.secrets.seal(identity.privateKeyPem, tenantSecretContext(tenant)),
      spKeyId: keyIdOf(this.config.encryptionKey),
      idp: null,
      idpMetadataUrl: null,
      idpRefreshedAt: null,
      idpRefreshError: null,
      attributeMapping: { ...DEFAULT_ATTRIBUTE_MAPPING },
      roleMapping: [],
      defaultRole: 'member',
      justInTimeProvisioning: true,
      enforceSso: false,
      groupsOverrideRole: true,
      allowIdpInitiated: true,
      clockSkewSeconds: 120,
      allowSha1Signatures: false,
      allowCbcEncryption: false,
      allowedEmailDomains: [],
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
  }

  private toSettings(config: SsoConfigEntity, domains: string[]): SsoSettings {
    const tenant: TenantRef = { type: config.tenantType, id: config.tenantId };
    const now = new Date();
    return {
      tenant,
      enabled: config.enabled,
      status: statusOf(config),
      serviceProvider: { ...spUrls(this.config.publicBaseUrl, tenant), certificate: config.spCertificate },
      identityProvider: config.idp && {
        entityId: config.idp.entityId,
        ssoUrl: config.idp.ssoUrl,
        ssoBinding: config.idp.ssoBinding,
        sloUrl: config.idp.sloUrl,
        metadataUrl: config.idpMetadataUrl,
        wantAuthnRequestsSigned: config.idp.wantAuthnRequestsSigned,
        source: config.idp.source,
        certificates: config.idp.certificates.map((pem) => describeCertificate(pem, now)),
        lastRefreshedAt: config.idpRefreshedAt?.toISOString() ?? null,
        refreshError: config.idpRefreshError,
      },
      ...optionsOf(config),
      domains,
      updatedAt: config.updatedAt.toISOString(),
      version: config.version,
    };
  }
}

export function statusOf(config: Pick<SsoConfigEntity, 'enabled' | 'idp'>): SsoStatus {
  if (!config.enabled) return 'disabled';
  return config.idp ? 'active' : 'awaiting_idp';
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

function summarizeIdp(idp: StoredIdp | null, metadataUrl: string | null) {
  if (!idp) return null;
  return {
    entityId: idp.entityId,
    ssoUrl: idp.ssoUrl,
    sloUrl: idp.sloUrl,
    metadataUrl,
    certificates: idp.certificates.map(fingerprint),
  };
}

function fingerprint(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return createHash('sha256').update(der).digest('hex');
}

function definedEntries<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
