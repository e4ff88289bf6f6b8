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
import { settingsWarnings } from './settings-warnings';

/** The settings as the API shows them: the contract's `Settings`, the login attempts, the audit log. */
@Injectable()
export class SsoSettingsReader {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: SsoConfigRepository,
    private readonly domains: DomainsService,
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

  async loginAttempts(tenant: TenantRef, limit: number) {
    const attempts = await this.repository.listLoginAttempts(tenant, limit);
    return attempts.map(({ at, outcome, reason, reference, email, assertionId }) => ({
      at: at.toISOString(),
      outcome,
      reason,
      reference,
      ...(email ? { email } : {}),
      ...(assertionId ? { assertionId } : {}),
    }));
  }

  async auditLog(tenant: TenantRef, limit: number) {
    const entries = await this.repository.listAudit(tenant, limit);
    return entries.map(({ at, actorType, actorId, action, changes }) => ({
      at: at.toISOString(),
      actor: { type: actorType, id: actorId },
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
