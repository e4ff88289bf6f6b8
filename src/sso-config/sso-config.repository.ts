import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager, IsNull, LessThan, Not, QueryFailedError } from 'typeorm';
import { ConflictError } from '../common/domain-errors';
import { Database } from '../database/database.service';
import { batchDelete, PurgesRows } from '../housekeeping/purges-rows.decorator';
import type { TenantRef } from '../tenancy/tenant';
import {
  AuditChange,
  LoginAttemptEntity,
  SsoAuditEntryEntity,
  SsoConfigEntity,
} from './sso-config.entities';
import { defaultStoredOptions, StoredSsoOptions } from './sso-options';

const UNIQUE_VIOLATION = '23505';

export type SsoConfigChanges = Partial<Omit<SsoConfigEntity, 'tenantType' | 'tenantId' | 'version' | 'createdAt' | 'updatedAt'>>;

/** What a list of tenants shows of each one's SSO: its configuration row (if any) and its recent sign-ins. */
export interface SsoSummaryRow {
  tenantId: string;
  /** null: SSO was never enabled (no configuration). */
  enabled: boolean | null;
  enforceSso: boolean | null;
  idpCertificates: string[] | null;
  lastSuccessfulSignInAt: Date | null;
  failedSignInsSince: number;
}

export interface LoginAttempt {
  tenant: TenantRef;
  outcome: 'success' | 'failure';
  reason: string | null;
  reference: string | null;
  email: string | null;
  assertionId: string | null;
  /** Started by the settings page's test sign-in. */
  test: boolean;
}

/** Narrows the sign-in attempts; every given filter must hold. */
export interface LoginAttemptFilter {
  outcome?: 'success' | 'failure';
  reason?: string;
  /** Part of the email, any case. */
  emailContains?: string;
  test?: boolean;
  reference?: string;
}

const byTenant = (tenant: TenantRef) => ({ tenantType: tenant.type, tenantId: tenant.id });

/** All reads and writes of the per-tenant SSO store. */
@Injectable()
export class SsoConfigRepository {
  private manager: EntityManager | null = null;

  constructor(private readonly database: Database) {}

  private get entities(): EntityManager {
    return this.manager ?? this.database.manager;
  }

  /** Runs `work` in one transaction, against a repository bound to it. */
  inTransaction<T>(work: (repository: SsoConfigRepository) => Promise<T>): Promise<T> {
    return this.database.transaction((manager) => {
      const bound = new SsoConfigRepository(this.database);
      bound.manager = manager;
      return work(bound);
    });
  }

  find(tenant: TenantRef): Promise<SsoConfigEntity | null> {
    return this.entities.findOneBy(SsoConfigEntity, byTenant(tenant));
  }

  /** The options that decide directory users' roles (the defaults before SSO was ever enabled), read in `manager`'s transaction. */
  async rolePolicy(tenant: TenantRef, manager: EntityManager): Promise<Pick<StoredSsoOptions, 'roleMapping' | 'defaultRole' | 'groupsOverrideRole'>> {
    const rows: Pick<StoredSsoOptions, 'roleMapping' | 'defaultRole' | 'groupsOverrideRole'>[] = await manager.query(
      `SELECT role_mapping AS "roleMapping", default_role AS "defaultRole", groups_override_role AS "groupsOverrideRole"
       FROM sso_configs WHERE tenant_type = $1 AND tenant_id = $2`,
      [tenant.type, tenant.id],
    );
    if (rows[0]) return rows[0];
    const { roleMapping, defaultRole, groupsOverrideRole } = defaultStoredOptions();
    return { roleMapping, defaultRole, groupsOverrideRole };
  }

  /** Runs `work` with this repository's transaction (the one inTransaction bound it to), for writes of other modules that belong to it. */
  withTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.manager) throw new Error('withTransaction needs a repository bound by inTransaction');
    return work(this.manager);
  }

  /** A cheap probe for caches: the settings changed when the version did (null once deleted). */
  async versionOf(tenant: TenantRef): Promise<number | null> {
    const rows: { version: number }[] = await this.entities.query(
      'SELECT version FROM sso_configs WHERE tenant_type = $1 AND tenant_id = $2',
      [tenant.type, tenant.id],
    );
    return rows[0]?.version ?? null;
  }

  /** Locks the row for the rest of the transaction, so concurrent changes apply one after the other. */
  findForUpdate(tenant: TenantRef): Promise<SsoConfigEntity | null> {
    return this.entities
      .createQueryBuilder(SsoConfigEntity, 'c')
      .setLock('pessimistic_write')
      .where('c.tenant_type = :type AND c.tenant_id = :id', tenant)
      .getOne();
  }

  /** Returns false when another request created it first. */
  async insertIfAbsent(config: SsoConfigEntity): Promise<boolean> {
    const result = await this.entities
      .createQueryBuilder()
      .insert()
      .into(SsoConfigEntity)
      .values(config)
      .orIgnore()
      .returning('tenant_id')
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  async update(tenant: TenantRef, changes: SsoConfigChanges, now: Date): Promise<void> {
    await this.entities.update(SsoConfigEntity, byTenant(tenant), {
      ...changes,
      version: () => 'version + 1',
      updatedAt: now,
    } as object);
  }

  async delete(tenant: TenantRef): Promise<boolean> {
    const result = await this.entities.delete(SsoConfigEntity, byTenant(tenant));
    return (result.affected ?? 0) > 0;
  }

  findDueForRefresh(olderThan: Date, limit: number): Promise<SsoConfigEntity[]> {
    return this.entities.find(SsoConfigEntity, {
      where: [
        { idpMetadataUrl: Not(IsNull()), idpRefreshedAt: LessThan(olderThan) },
        { idpMetadataUrl: Not(IsNull()), idpRefreshedAt: IsNull() },
      ],
      take: limit,
    });
  }

  async addAudit(tenant: TenantRef, actor: { actorType: string; actorId: string | null }, action: string, changes: AuditChange[]) {
    // One INSERT: TypeORM's save would first read the row, in a transaction of its own, to choose between insert and update.
    await this.entities.query(
      `INSERT INTO sso_audit_log (id, tenant_type, tenant_id, at, actor_type, actor_id, action, changes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [randomUUID(), tenant.type, tenant.id, new Date(), actor.actorType, actor.actorId, action, JSON.stringify(changes)],
    );
  }

  listAudit(tenant: TenantRef, limit: number): Promise<SsoAuditEntryEntity[]> {
    return this.entities.find(SsoAuditEntryEntity, { where: byTenant(tenant), order: { at: 'DESC' }, take: limit });
  }

  /** Refusals; a success is recorded by this module's part of the login's statement (login-attempt.statement.ts). */
  async recordLoginAttempt(attempt: LoginAttempt): Promise<void> {
    await this.entities.insert(LoginAttemptEntity, {
      id: randomUUID(),
      ...byTenant(attempt.tenant),
      at: new Date(),
      outcome: attempt.outcome,
      reason: attempt.reason,
      reference: attempt.reference,
      email: attempt.email,
      assertionId: attempt.assertionId,
      role: null,
      test: attempt.test,
    });
  }

  /** The newest successful sign-in (test or real) since `since`, or null. */
  async lastSuccessfulSignInSince(tenant: TenantRef, since: Date): Promise<Date | null> {
    const rows: { at: Date | null }[] = await this.entities.query(
      `SELECT max(at) AS at FROM login_attempts WHERE tenant_type = $1 AND tenant_id = $2 AND outcome = 'success' AND at >= $3`,
      [tenant.type, tenant.id, since],
    );
    return rows[0]?.at ?? null;
  }

  /**
   * The SSO summary of many tenants of one kind in one statement: each tenant's row of sso_configs,
   * its last success since the IdP was configured, and its failures since `failuresSince`, both
   * counted on login_attempts_tenant_idx. A tenant without configuration has a row of nulls.
   */
  summarize(tenantType: TenantRef['type'], tenantIds: string[], failuresSince: Date): Promise<SsoSummaryRow[]> {
    if (tenantIds.length === 0) return Promise.resolve([]);
    return this.entities.query(
      `SELECT t.id AS "tenantId",
              c.enabled AS "enabled",
              c.enforce_sso AS "enforceSso",
              c.idp -> 'certificates' AS "idpCertificates",
              (SELECT max(a.at) FROM login_attempts a
                WHERE a.tenant_type = $1 AND a.tenant_id = t.id AND a.outcome = 'success' AND a.at >= c.idp_configured_at) AS "lastSuccessfulSignInAt",
              (SELECT count(*)::int FROM login_attempts a
                WHERE a.tenant_type = $1 AND a.tenant_id = t.id AND a.outcome = 'failure' AND a.at >= $3) AS "failedSignInsSince"
         FROM unnest($2::uuid[]) AS t(id)
         LEFT JOIN sso_configs c ON c.tenant_type = $1 AND c.tenant_id = t.id`,
      [tenantType, tenantIds, failuresSince],
    );
  }

  listLoginAttempts(tenant: TenantRef, limit: number, filter: LoginAttemptFilter = {}): Promise<LoginAttemptEntity[]> {
    const query = this.entities
      .createQueryBuilder(LoginAttemptEntity, 'a')
      .where('a.tenant_type = :type AND a.tenant_id = :id', tenant)
      .orderBy('a.at', 'DESC')
      .limit(limit);
    if (filter.outcome) query.andWhere('a.outcome = :outcome', { outcome: filter.outcome });
    if (filter.reason) query.andWhere('a.reason = :reason', { reason: filter.reason });
    if (filter.test !== undefined) query.andWhere('a.test = :test', { test: filter.test });
    if (filter.reference) query.andWhere('a.reference = :reference', { reference: filter.reference });
    if (filter.emailContains) {
      query.andWhere(`a.email ILIKE :email ESCAPE '\\'`, { email: `%${filter.emailContains.replace(/[\\%_]/g, '\\$&')}%` });
    }
    return query.getMany();
  }

  @PurgesRows('login_attempts')
  async deleteLoginAttemptsBefore(batchSize: number, retainedSince: Date): Promise<number> {
    const [, deleted]: [unknown, number] = await this.entities.query(batchDelete('login_attempts', 'at < $2'), [batchSize, retainedSince]);
    return deleted;
  }

  @PurgesRows('sso_audit_log')
  async deleteAuditBefore(batchSize: number, retainedSince: Date): Promise<number> {
    const [, deleted]: [unknown, number] = await this.entities.query(batchDelete('sso_audit_log', 'at < $2'), [batchSize, retainedSince]);
    return deleted;
  }
}
