import { Injectable } from '@nestjs/common';
import { EntityManager, QueryFailedError } from 'typeorm';
import { ConflictError } from '../common/domain-errors';
import { Database } from '../database/database.service';
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
  groups: string[];
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

/** A user's groups after a membership change, and the role they now give (null: the role stays). */
export interface GroupsUpdate {
  userId: string;
  groups: string[];
  role: Role | null;
}

/** The alias the filter SQL uses for the users table (see DIRECTORY_USER_COLUMNS in the SCIM module). */
export const DIRECTORY_USER_ALIAS = 'u';

const SELECT = `SELECT u.id, u.email, u.first_name AS "firstName", u.last_name AS "lastName", u.display_name AS "displayName",
  u.scim_user_name AS "userName", u.scim_external_id AS "externalId", u.active, u.role, u.groups, u.scim_managed AS "scimManaged",
  u.scim_document AS document, u.created_at AS "createdAt", u.updated_at AS "updatedAt"
  FROM users u`;

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
  async page(
    tenant: TenantRef,
    where: { sql: string; parameters: unknown[] } | null,
    offset: number,
    limit: number,
  ): Promise<{ items: DirectoryUser[]; total: number }> {
    const condition = `u.tenant_type = $1 AND u.tenant_id = $2${where ? ` AND (${where.sql})` : ''}`;
    const parameters = [tenant.type, tenant.id, ...(where?.parameters ?? [])];
    const [{ total }]: { total: number }[] = await this.database.manager.query(`SELECT count(*)::int AS total FROM users u WHERE ${condition}`, parameters);
    if (limit === 0 || total <= offset) return { items: [], total };
    const items: DirectoryUser[] = await this.database.manager.query(
      `${SELECT} WHERE ${condition} ORDER BY u.created_at, u.id OFFSET $${parameters.length + 1} LIMIT $${parameters.length + 2}`,
      [...parameters, offset, limit],
    );
    return { items, total };
  }

  async insert(tenant: TenantRef, id: string, fields: DirectoryUserFields, role: Role, now: Date, manager: EntityManager): Promise<void> {
    await conflictsAsErrors(() =>
      manager.query(
        `INSERT INTO users (id, tenant_type, tenant_id, email, email_normalized, first_name, last_name, display_name, groups, role, active,
                            scim_managed, scim_user_name, scim_external_id, scim_document, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '[]', $9, $10, true, $11, $12, $13, $14, $14)`,
        [id, tenant.type, tenant.id, fields.email, fields.email.toLowerCase(), fields.firstName, fields.lastName, fields.displayName, role,
          fields.active, fields.userName, fields.externalId, fields.document, now],
      ),
    );
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
   * Locks the users (in id order, so concurrent membership changes cannot deadlock) until the
   * transaction ends, and returns those that exist in the tenant with their current role.
   */
  async lock(tenant: TenantRef, ids: string[], manager: EntityManager): Promise<{ id: string; role: Role }[]> {
    if (ids.length === 0) return [];
    return manager.query(
      `SELECT id, role FROM users WHERE tenant_type = $1 AND tenant_id = $2 AND id = ANY($3::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
      [tenant.type, tenant.id, ids],
    );
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

  /** The directory's groups of these users; a user in a directory group is managed by the directory from then on. */
  async setGroups(tenant: TenantRef, updates: GroupsUpdate[], now: Date, manager: EntityManager): Promise<void> {
    if (updates.length === 0) return;
    await manager.query(
      `UPDATE users SET groups = x.groups, role = coalesce(x.role, users.role), scim_managed = true, updated_at = $4
       FROM jsonb_to_recordset($3::jsonb) AS x(id uuid, groups jsonb, role text)
       WHERE users.tenant_type = $1 AND users.tenant_id = $2 AND users.id = x.id`,
      [tenant.type, tenant.id, JSON.stringify(updates.map(({ userId, groups, role }) => ({ id: userId, groups, role }))), now],
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
