import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../tenancy/principal';
import type { TenantRef } from '../tenancy/tenant';
import { IdentityProviderInput, IdpImportService } from '../sso-config/idp/idp-import.service';
import { SsoConfigRepository } from '../sso-config/sso-config.repository';
import type { SsoSettings } from '../sso-config/sso-config.types';
import { SsoConfigWriter } from '../sso-config/sso-config.writer';
import { applyPatch, diffOptions, optionsOf, SsoOptionsPatch, storedPart } from '../sso-config/sso-options';
import { DomainsService } from '../domains/domains.service';
import { DirectoryRoles, RolePolicy } from '../provisioning/directory-roles';
import type { AuditChange } from '../sso-config/sso-config.entities';
import { SsoSettingsReader } from './sso-settings.reader';

/** The options that decide the roles of directory-managed users. */
const ROLE_POLICY: (keyof RolePolicy)[] = ['roleMapping', 'defaultRole', 'groupsOverrideRole'];
/** Above this many users whose role a policy change moved, the audit entry counts them instead of naming each. */
const MAX_AUDITED_ROLE_CHANGES = 100;

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
    private readonly roles: DirectoryRoles,
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
      if (audit.length === 0 && !domainsChange) return null;
      const roles = ROLE_POLICY.some((name) => audit.some((change) => change.field === name)) ? this.directoryRoles(tenant, next) : undefined;
      return { changes: storedPart(next), audit, alongside: roles };
    });
    // Each claim added or removed is its own audit entry, written by the domains module.
    if (domains !== undefined) await this.domains.replaceClaims(tenant, domains, principal);
    return this.reader.get(tenant);
  }

  /**
   * A change of the role policy applies at once to the users the directory (SCIM) manages, in the
   * settings' transaction: their role is recomputed from their groups, as a membership change does.
   * Users that SAML logins manage get theirs at their next login, as before.
   */
  private directoryRoles(tenant: TenantRef, policy: RolePolicy) {
    return async (manager: EntityManager, now: Date): Promise<AuditChange[]> => {
      const changes = await this.roles.applyPolicy(tenant, policy, now, manager);
      if (changes.length > MAX_AUDITED_ROLE_CHANGES) return [{ field: 'users.role', old: null, new: { recomputed: changes.length } }];
      return changes.map((change) => ({ field: `users.${change.userId}.role`, old: change.old, new: change.new }));
    };
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
