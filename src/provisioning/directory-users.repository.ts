import { Injectable } from '@nestjs/common';
import { EntityManager, QueryFailedError } from 'typeorm';
import { ConflictError } from '../common/domain-errors';
import { Database } from '../database/database.service';
import { readPage, SqlPredicate } from '../database/paging';
import type { Role } from '../sso-config/sso-config.types';
import type { TenantRef } from '../tenancy/tenant';

const UNIQUE_VIOLATION = '23505';

/** A user as the directory (SCIM) reads and writes it. */
export interface DirectoryUser {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  /** The directory's userName; null for a user only SAML logins created (their email stands in). */
  userName: string | null;
  externalId: string | null;
  active: boolean;
  role: Role;
  scimManaged: boolean;
  /** The rest of the SCIM document as the directory sent it (emails, title, the enterprise extension, ...). */
  document: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

/** What a SCIM write sets; `role` only when the groups decide it. */
export interface DirectoryUserFields {
  email: string;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  userName: string;
  externalId: string | null;
  active: boolean;
  document: Record<string, unknown>;
}

/** The alias the filter SQL uses for the users table (see DIRECTORY_USER_COLUMNS in the SCIM module). */
export const DIRECTORY_USER_ALIAS = 'u';

const COLUMNS = `u.id, u.email, u.first_name AS "firstName", u.last_name AS "lastName", u.display_name AS "displayName",
  u.scim_user_name AS "userName", u.scim_external_id AS "externalId", u.active, u.role, u.scim_managed AS "scimManaged",
  u.scim_document AS document, u.created_at AS "createdAt", u.updated_at AS "updatedAt"`;
const SELECT = `SELECT ${COLUMNS} FROM users u`;

/**
 * The writes and reads of users that directory sync (SCIM) needs. The users table stays this
 * module's: SCIM hands over fields and filters, never SQL that writes.
 */
@Injectable()
export class DirectoryUsersRepository {
  constructor(private readonly database: Database) {}

  async find(tenant: TenantRef, id: string, manager: EntityManager = this.database.manager): Promise<DirectoryUser | null> {
    const rows: DirectoryUser[] = await manager.query(`${SELECT} WHERE u.tenant_type = $1 AND u.tenant_id = $2 AND u.id = $3`, [
      tenant.type,
      tenant.id,
      id,
    ]);
    return rows[0] ?? null;
  }

  async findByEmail(tenant: TenantRef, email: string, manager: EntityManager): Promise<DirectoryUser | null> {
    const rows: DirectoryUser[] = await manager.query(
      `${SELECT} WHERE u.tenant_type = $1 AND u.tenant_id = $2 AND u.email_normalized = $3 FOR UPDATE`,
      [tenant.type, tenant.id, email.toLowerCase()],
    );
    return rows[0] ?? null;
  }

  /**
   * One page in a stable order (creation, then id). `where` is a parameterised predicate over the
   * alias `u`, its parameters numbered from $3.
   */
  async page(tenant: TenantRef, where: SqlPredicate | null, offset: number, limit: number): Promise<{ items: DirectoryUser[]; total: number }> {
    return readPage<DirectoryUser>(
      this.database.manager,
      {
        columns: COLUMNS,
        from: 'users u',
        key: 'u.id',
        scope: { sql: 'u.tenant_type = $1 AND u.tenant_id = $2', parameters: [tenant.type, tenant.id] },
        where,
        orderBy: 'u.created_at, u.id',
      },
      offset,
      limit,
    );
  }

  /** False, writing nothing, when the tenant has a user with this email already (see findByEmail). */
  async insert(tenant: TenantRef, id: string, fields: DirectoryUserFields, role: Role, now: Date, manager: EntityManager): Promise<boolean> {
    let inserted: unknown[] = [];
    await conflictsAsErrors(async () => {
      inserted = await manager.query(
        `INSERT INTO users (id, tenant_type, tenant_id, email, email_normalized, first_name, last_name, display_name, groups, role, active,
                            scim_managed, scim_user_name, scim_external_id, scim_document, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '[]', $9, $10, true, $11, $12, $13, $14, $14)
         ON CONFLICT (tenant_type, tenant_id, email_normalized) DO NOTHING
         RETURNING id`,
        [id, tenant.type, tenant.id, fields.email, fields.email.toLowerCase(), fields.firstName, fields.lastName, fields.displayName, role,
          fields.active, fields.userName, fields.externalId, fields.document, now],
      );
    });
    return inserted.length > 0;
  }

  /** Replaces the directory's fields; `groups`/`role` given when the user is taken over from just-in-time provisioning. */
  async update(
    tenant: TenantRef,
    id: string,
    fields: DirectoryUserFields,
    now: Date,
    manager: EntityManager,
    takeOver?: { groups: string[]; role: Role },
  ): Promise<void> {
    await conflictsAsErrors(() =>
      manager.query(
        `UPDATE users SET email = $4, email_normalized = $5, first_name = $6, last_name = $7, display_name = $8, active = $9,
           scim_managed = true, scim_user_name = $10, scim_external_id = $11, scim_document = $12, updated_at = $13,
           groups = coalesce($14::jsonb, groups), role = coalesce($15::text, role)
         WHERE tenant_type = $1 AND tenant_id = $2 AND id = $3`,
        [tenant.type, tenant.id, id, fields.email, fields.email.toLowerCase(), fields.firstName, fields.lastName, fields.displayName,
          fields.active, fields.userName, fields.externalId, fields.document, now,
          takeOver ? JSON.stringify(takeOver.groups) : null, takeOver?.role ?? null],
      ),
    );
  }

  async delete(tenant: TenantRef, id: string, manager: EntityManager = this.database.manager): Promise<boolean> {
    const [, count]: [unknown, number] = await manager.query('DELETE FROM users WHERE tenant_type = $1 AND tenant_id = $2 AND id = $3', [
      tenant.type,
      tenant.id,
      id,
    ]);
    return count > 0;
  }

  /**
   * The tenant's role-policy lock, until the transaction ends: shared by the directory's changes
   * that compute roles, exclusive for a change of the policy. PostgreSQL queues a shared request
   * behind a waiting exclusive one, so a settings change waits only for the changes in flight.
   */
  async lockRolePolicy(tenant: TenantRef, mode: 'shared' | 'exclusive', manager: EntityManager): Promise<void> {
    const lock = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
    await manager.query(`SELECT ${lock}(hashtext($1))`, [`role-policy:${tenant.type}:${tenant.id}`]);
  }

  /**
   * Which of these ids are users of the tenant, and which of those the directory does not manage
   * yet (SAML logins created them). No lock: a member row's foreign key guards the rest.
   */
  async memberCandidates(tenant: TenantRef, ids: string[], manager: EntityManager): Promise<{ existing: Set<string>; unmanaged: string[] }> {
    if (ids.length === 0) return { existing: new Set(), unmanaged: [] };
    const rows: { id: string; scimManaged: boolean }[] = await manager.query(
      'SELECT id, scim_managed AS "scimManaged" FROM users WHERE tenant_type = $1 AND tenant_id = $2 AND id = ANY($3::uuid[])',
      [tenant.type, tenant.id, ids],
    );
    return { existing: new Set(rows.map((row) => row.id)), unmanaged: rows.filter((row) => !row.scimManaged).map((row) => row.id) };
  }

  /** Display labels of users (for group members): the display name, else the email. */
  async labels(tenant: TenantRef, ids: string[], manager: EntityManager = this.database.manager): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; label: string }[] = await manager.query(
      `SELECT id, coalesce(display_name, email) AS label FROM users WHERE tenant_type = $1 AND tenant_id = $2 AND id = ANY($3::uuid[])`,
      [tenant.type, tenant.id, ids],
    );
    return new Map(rows.map((row) => [row.id, row.label]));
  }

  /**
   * Locks these users in id order for a recomputation of their roles, marks them managed by the
   * directory (a user SAML logins created, added to a group, is taken over: its groups are now its
   * SCIM groups), and reads their groups from the memberships (`directory_user_groups`) in the next
   * statement, whose snapshot is taken once the locks are held: it sees every membership committed
   * by whoever held them before (a lost update otherwise). With `skipLocked`, users another
   * transaction holds are left out and answered as `skipped` (users that no longer exist are
   * neither locked nor skipped).
   */
  async lockForRoles(
    tenant: TenantRef,
    ids: string[],
    now: Date,
    manager: EntityManager,
    skipLocked: boolean,
  ): Promise<{ locked: { id: string; role: Role; groups: string[] }[]; skipped: string[] }> {
    if (ids.length === 0) return { locked: [], skipped: [] };
    const rows: { id: string; role: Role; scimManaged: boolean }[] = await manager.query(
      `SELECT id, role, scim_managed AS "scimManaged" FROM users WHERE tenant_type = $1 AND tenant_id = $2 AND id = ANY($3::uuid[])
       ORDER BY id FOR NO KEY UPDATE${skipLocked ? ' SKIP LOCKED' : ''}`,
      [tenant.type, tenant.id, ids],
    );
    const lockedIds = new Set(rows.map((user) => user.id));
    const missing = ids.filter((id) => !lockedIds.has(id));
    const skipped = skipLocked && missing.length > 0 ? [...(await this.memberCandidates(tenant, missing, manager)).existing] : [];
    if (rows.length === 0) return { locked: [], skipped };
    const unmanaged = rows.filter((user) => !user.scimManaged).map((user) => user.id);
    if (unmanaged.length > 0) {
      await manager.query(`UPDATE users SET scim_managed = true, groups = '[]', updated_at = $2 WHERE id = ANY($1::uuid[])`, [unmanaged, now]);
    }
    const groups = await this.groupsOf([...lockedIds], manager);
    return { locked: rows.map(({ id, role }) => ({ id, role, groups: groups.get(id) ?? [] })), skipped };
  }

  /**
   * The directory-managed users of the tenant, locked in id order (as lockForRoles locks), with
   * their role and groups: what a change of the role policy recomputes.
   */
  async lockDirectoryManaged(tenant: TenantRef, manager: EntityManager): Promise<{ id: string; role: Role; groups: string[] }[]> {
    const locked: { id: string; role: Role }[] = await manager.query(
      'SELECT id, role FROM users WHERE tenant_type = $1 AND tenant_id = $2 AND scim_managed ORDER BY id FOR NO KEY UPDATE',
      [tenant.type, tenant.id],
    );
    const groups = await this.groupsOf(locked.map((user) => user.id), manager);
    return locked.map(({ id, role }) => ({ id, role, groups: groups.get(id) ?? [] }));
  }

  /** Directory-managed users' groups, from their SCIM memberships. */
  async groupsOf(ids: string[], manager: EntityManager = this.database.manager): Promise<Map<string, string[]>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; groups: string[] }[] = await manager.query(
      'SELECT x.id, directory_user_groups(x.id) AS groups FROM unnest($1::uuid[]) AS x(id)',
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row.groups]));
  }

  /** New roles of users locked by lockForRoles or lockDirectoryManaged. */
  async setRoles(tenant: TenantRef, roles: { id: string; role: Role }[], now: Date, manager: EntityManager): Promise<void> {
    if (roles.length === 0) return;
    await manager.query(
      `UPDATE users SET role = x.role, updated_at = $4
       FROM jsonb_to_recordset($3::jsonb) AS x(id uuid, role text)
       WHERE users.tenant_type = $1 AND users.tenant_id = $2 AND users.id = x.id`,
      [tenant.type, tenant.id, JSON.stringify(roles), now],
    );
  }
}

async function conflictsAsErrors(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === UNIQUE_VIOLATION) {
      const constraint = String((error.driverError as { constraint?: string }).constraint ?? '');
      const field = constraint.includes('user_name') ? 'userName' : 'email';
      throw new ConflictError(`Another user of this tenant has this ${field}`, field, 'user_taken');
    }
    throw error;
  }
}
