import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { TenantRef } from '../tenancy/tenant';
import { describeCertificate } from '../sso-config/idp/certificate';
import { spUrls } from '../sso-config/sp/sp-urls';
import { SsoConfigEntity } from '../sso-config/sso-config.entities';
import { SsoConfigRepository } from '../sso-config/sso-config.repository';
import type { SsoSettings } from '../sso-config/sso-config.types';
import { optionsOf } from '../sso-config/sso-options';
import { statusOf } from '../sso-config/sso-status';
import { DomainsService, DomainView } from '../domains/domains.service';
import { UsersService } from '../provisioning/users.service';
import { TenancyService } from '../tenancy/tenancy.service';
import { settingsWarnings } from './settings-warnings';

export interface LoginAttemptsFilter {
  outcome?: 'success' | 'failure';
  reason?: string;
  email?: string;
  test?: boolean;
  reference?: string;
}

/**
 * A reference as a person reads it out or types it: any case, with the letters Crockford's base32
 * leaves out read as the digits they look like (see error-reference.ts).
 */
function normalizedReference(reference: string): string {
  return reference.toUpperCase().replace(/-/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** The settings as the API shows them: the contract's `Settings`, the login attempts, the audit log. */
@Injectable()
export class SsoSettingsReader {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: SsoConfigRepository,
    private readonly domains: DomainsService,
    private readonly tenancy: TenancyService,
    private readonly users: UsersService,
  ) {}

  async get(tenant: TenantRef): Promise<SsoSettings> {
    const config = await this.repository.find(tenant);
    if (!config) throw new NotFoundError('SSO has never been enabled for this tenant');
    const [claims, lastSuccessfulSignInAt] = await Promise.all([
      this.domains.list(tenant),
      config.idpConfiguredAt ? this.repository.lastSuccessfulSignInSince(tenant, config.idpConfiguredAt) : null,
    ]);
    return this.toSettings(config, claims, lastSuccessfulSignInAt);
  }

  async loginAttempts(tenant: TenantRef, limit: number, filter: LoginAttemptsFilter = {}) {
    const { email, reference, ...exact } = filter;
    const attempts = await this.repository.listLoginAttempts(tenant, limit, {
      ...exact,
      emailContains: email,
      reference: reference === undefined ? undefined : normalizedReference(reference),
    });
    return attempts.map(({ at, outcome, reason, reference, email, assertionId, role, test }) => ({
      at: at.toISOString(),
      outcome,
      reason,
      reference,
      ...(email ? { email } : {}),
      ...(assertionId ? { assertionId } : {}),
      role,
      test,
    }));
  }

  async auditLog(tenant: TenantRef, limit: number) {
    const entries = await this.repository.listAudit(tenant, limit);
    const idsOf = (type: string) => entries.flatMap((entry) => (entry.actorType === type && entry.actorId ? [entry.actorId] : []));
    const [keyNames, userNames] = await Promise.all([this.tenancy.apiKeyNames(idsOf('api_key')), this.users.auditNames(idsOf('user'))]);
    const actorOf = (type: string, id: string | null) => {
      const user = type === 'user' && id ? userNames.get(id) : undefined;
      if (user) return { type, id, name: user.name, email: user.email };
      const keyName = type === 'api_key' && id ? keyNames.get(id) : undefined;
      return keyName === undefined ? { type, id } : { type, id, name: keyName };
    };
    return entries.map(({ at, actorType, actorId, action, changes }) => ({
      at: at.toISOString(),
      actor: actorOf(actorType, actorId),
      action,
      changes,
    }));
  }

  private toSettings(config: SsoConfigEntity, claims: DomainView[], lastSuccessfulSignInAt: Date | null): SsoSettings {
    const tenant: TenantRef = { type: config.tenantType, id: config.tenantId };
    const now = new Date();
    const certificates = (config.idp?.certificates ?? []).map((pem) => describeCertificate(pem, now));
    const options = optionsOf(config);
    const warnings = settingsWarnings({
      ...options,
      verifiedDomains: claims.filter((claim) => claim.status === 'verified').map((claim) => claim.domain),
      lastSuccessfulSignInAt,
      certificates,
      refreshError: config.idp ? config.idpRefreshError : null,
    });
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
        certificates,
        lastRefreshedAt: config.idpRefreshedAt?.toISOString() ?? null,
        refreshError: config.idpRefreshError,
        refreshErrorCode: config.idpRefreshError === null ? null : config.idpRefreshErrorCode,
      },
      ...options,
      domains: claims.map((claim) => claim.domain),
      lastSuccessfulSignInAt: lastSuccessfulSignInAt?.toISOString() ?? null,
      warnings,
      updatedAt: config.updatedAt.toISOString(),
      version: config.version,
    };
  }
}
