import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotFoundError, PreconditionFailedError } from '../common/domain-errors';
import type { Principal } from '../tenancy/principal';
import type { TenantRef } from '../tenancy/tenant';
import { SpIdentityIssuer } from './sp/sp-identity.issuer';
import { auditActorOf, fingerprint } from './sso-audit';
import { SsoConfigChangeNotifier } from './sso-config-change.notifier';
import { AuditChange, SsoConfigEntity } from './sso-config.entities';
import { SsoConfigChanges, SsoConfigRepository } from './sso-config.repository';
import { defaultStoredOptions } from './sso-options';

/** Who asks for a change, as what, and which version they read (null: whatever is current). */
export interface ChangeRequest {
  principal: Principal | null;
  action: string;
  expectedVersion: number | null;
}

/**
 * What to write and how the audit log tells it; null means "nothing to change". `alongside` runs
 * in the same transaction after the write (another module's consequence of the change, such as
 * users' roles) and adds its own audit changes.
 */
export type ChangeDecision = {
  changes: SsoConfigChanges;
  audit: AuditChange[];
  alongside?: (manager: EntityManager, now: Date) => Promise<AuditChange[]>;
} | null;

const NEVER_ENABLED = 'SSO has never been enabled for this tenant';

/**
 * Every write of a tenant's SSO configuration: under a row lock, with its audit entry in the same
 * transaction, bumping the version that serves as ETag and as the login path's cache key, and
 * telling this instance's caches.
 */
@Injectable()
export class SsoConfigWriter {
  constructor(
    private readonly repository: SsoConfigRepository,
    private readonly spIdentity: SpIdentityIssuer,
    private readonly notifier: SsoConfigChangeNotifier,
  ) {}

  /** Creates the configuration with a new SP identity; false when it already existed. */
  async create(tenant: TenantRef, principal: Principal): Promise<boolean> {
    const config = this.newConfig(tenant);
    const created = await this.repository.inTransaction(async (tx) => {
      if (!(await tx.insertIfAbsent(config))) return false;
      await tx.addAudit(tenant, auditActorOf(principal), 'enable', [
        { field: 'enabled', old: false, new: true },
        { field: 'serviceProvider.certificate', old: null, new: fingerprint(config.spCertificate) },
      ]);
      return true;
    });
    if (created) this.notifier.changed(tenant);
    return created;
  }

  /**
   * Locks the tenant's row, lets `decide` compute the change from the current state, and writes it
   * with its audit entry. Answers whether anything changed.
   */
  async change(
    tenant: TenantRef,
    request: ChangeRequest,
    decide: (config: SsoConfigEntity, tx: SsoConfigRepository) => Promise<ChangeDecision>,
  ): Promise<boolean> {
    const changed = await this.repository.inTransaction(async (tx) => {
      const config = await tx.findForUpdate(tenant);
      if (!config) throw new NotFoundError(NEVER_ENABLED);
      if (request.expectedVersion !== null && request.expectedVersion !== config.version) {
        throw new PreconditionFailedError('The settings were changed by someone else; read them again and retry');
      }
      const decision = await decide(config, tx);
      if (!decision) return false;
      const now = new Date();
      await tx.update(tenant, decision.changes, now);
      const alongside = decision.alongside ? await tx.withTransaction((manager) => decision.alongside!(manager, now)) : [];
      const audit = [...decision.audit, ...alongside];
      if (audit.length > 0) await tx.addAudit(tenant, auditActorOf(request.principal), request.action, audit);
      return true;
    });
    if (changed) this.notifier.changed(tenant);
    return changed;
  }

  /** Removes the configuration and with it the SP keys. */
  async remove(tenant: TenantRef, principal: Principal): Promise<void> {
    await this.repository.inTransaction(async (tx) => {
      const config = await tx.findForUpdate(tenant);
      if (!config) throw new NotFoundError(NEVER_ENABLED);
      await tx.delete(tenant);
      await tx.addAudit(tenant, auditActorOf(principal), 'delete', [
        { field: 'configuration', old: 'present', new: null },
        { field: 'serviceProvider.certificate', old: fingerprint(config.spCertificate), new: null },
      ]);
    });
    this.notifier.changed(tenant);
  }

  private newConfig(tenant: TenantRef): SsoConfigEntity {
    const now = new Date();
    return {
      tenantType: tenant.type,
      tenantId: tenant.id,
      enabled: true,
      ...this.spIdentity.issue(tenant),
      idp: null,
      idpMetadataUrl: null,
      idpRefreshedAt: null,
      idpRefreshError: null,
      idpRefreshErrorCode: null,
      idpConfiguredAt: null,
      ...defaultStoredOptions(),
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
  }
}
