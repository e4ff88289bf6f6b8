import { Injectable } from '@nestjs/common';
import type { Principal } from '../tenancy/principal';
import type { TenantRef } from '../tenancy/tenant';
import { IdentityProviderInput, IdpImportService } from '../sso-config/idp/idp-import.service';
import { SsoConfigRepository } from '../sso-config/sso-config.repository';
import type { SsoSettings } from '../sso-config/sso-config.types';
import { SsoConfigWriter } from '../sso-config/sso-config.writer';
import { applyPatch, diffOptions, optionsOf, SsoOptionsPatch, storedPart } from '../sso-config/sso-options';
import { DomainsService } from '../domains/domains.service';
import { SsoSettingsReader } from './sso-settings.reader';

/**
 * What an admin changes through the settings API. Each change goes through the store's writer
 * (row lock, version check, audit) and answers the settings as they are afterwards.
 */
@Injectable()
export class SsoSettingsChangeService {
  constructor(
    private readonly repository: SsoConfigRepository,
    private readonly writer: SsoConfigWriter,
    private readonly idps: IdpImportService,
    private readonly reader: SsoSettingsReader,
    private readonly domains: DomainsService,
  ) {}

  /** Idempotent; the first call creates the SP identity. */
  async enable(tenant: TenantRef, principal: Principal): Promise<SsoSettings> {
    if (!(await this.repository.find(tenant)) && (await this.writer.create(tenant, principal))) return this.reader.get(tenant);
    return this.setEnabled(tenant, true, principal);
  }

  disable(tenant: TenantRef, principal: Principal): Promise<SsoSettings> {
    return this.setEnabled(tenant, false, principal);
  }

  async setIdentityProvider(tenant: TenantRef, input: IdentityProviderInput, principal: Principal, expectedVersion: number | null) {
    await this.idps.importIdentityProvider(tenant, input, principal, expectedVersion);
    return this.reader.get(tenant);
  }

  async refreshIdentityProvider(tenant: TenantRef, principal: Principal): Promise<SsoSettings> {
    await this.idps.refresh(tenant, principal);
    return this.reader.get(tenant);
  }

  async update(tenant: TenantRef, patch: SsoOptionsPatch, principal: Principal, expectedVersion: number | null): Promise<SsoSettings> {
    const { domains, ...options } = patch;
    // Refused domains (invalid, consumer, verified elsewhere) stop the whole PATCH before anything is written.
    const domainsChange = domains !== undefined && (await this.domains.checkClaims(tenant, domains, principal));
    // A change of claims alone still bumps the version, so that the ETag tells readers the settings changed.
    await this.writer.change(tenant, { principal, action: 'update', expectedVersion }, async (config) => {
      const current = { ...optionsOf(config), domains: [] };
      const next = applyPatch(current, options);
      const audit = diffOptions(current, next);
      return audit.length === 0 && !domainsChange ? null : { changes: storedPart(next), audit };
    });
    // Each claim added or removed is its own audit entry, written by the domains module.
    if (domains !== undefined) await this.domains.replaceClaims(tenant, domains, principal);
    return this.reader.get(tenant);
  }

  remove(tenant: TenantRef, principal: Principal): Promise<void> {
    return this.writer.remove(tenant, principal);
  }

  private async setEnabled(tenant: TenantRef, enabled: boolean, principal: Principal): Promise<SsoSettings> {
    await this.writer.change(tenant, { principal, action: enabled ? 'enable' : 'disable', expectedVersion: null }, async (config) =>
      config.enabled === enabled ? null : { changes: { enabled }, audit: [{ field: 'enabled', old: config.enabled, new: enabled }] },
    );
    return this.reader.get(tenant);
  }
}
