import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Database } from '../database/database.service';
import type { Transaction } from '../database/transaction';
import type { Role } from '../sso-config/sso-config.types';
import type { TenantRef } from '../tenancy/tenant';
import type { ResolvedIdentity } from './identity';
import { UserEntity } from './user.entity';

export interface LoginUpsert {
  tenant: TenantRef;
  identity: ResolvedIdentity;
  externalId: string;
  nameIdFormat: string | null;
  role: Role;
  /** Whether an existing user's role follows the groups (else it is kept). */
  groupsOverrideRole: boolean;
  now: Date;
}

export interface LoggedInUser {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  groups: string[];
  role: Role;
}

const RETURNING = 'RETURNING id, email, first_name AS "firstName", last_name AS "lastName", groups, role';

@Injectable()
export class UsersRepository {
  constructor(private readonly database: Database) {}

  /**
   * Creates the user or brings an active one up to date, atomically: concurrent first logins of the
   * same person meet at the unique key and end up as one row. Null when the user is deactivated.
   */
  async upsertOnLogin(tx: Transaction, login: LoginUpsert): Promise<LoggedInUser | null> {
    const rows: LoggedInUser[] = await tx.query(
      `INSERT INTO users (id, tenant_type, tenant_id, email, email_normalized, first_name, last_name, groups, role, active,
                          external_id, name_id_format, last_login_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, true, $10, $11, $12, $12, $12)
       ON CONFLICT (tenant_type, tenant_id, email_normalized) DO UPDATE SET
         email = EXCLUDED.email, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
         groups = EXCLUDED.groups, role = CASE WHEN $13 THEN EXCLUDED.role ELSE users.role END,
         external_id = EXCLUDED.external_id, name_id_format = EXCLUDED.name_id_format,
         last_login_at = EXCLUDED.last_login_at, updated_at = EXCLUDED.updated_at
       WHERE users.active
       ${RETURNING}`,
      [...this.loginValues(login), login.groupsOverrideRole],
    );
    return rows[0] ?? null;
  }

  /** For tenants without just-in-time provisioning: only users that already exist and are active. */
  async updateOnLogin(tx: Transaction, login: LoginUpsert): Promise<LoggedInUser | null> {
    const { tenant, identity } = login;
    const [rows]: [LoggedInUser[], number] = await tx.query(
      `UPDATE users SET email = $4, first_name = $5, last_name = $6, groups = $7,
         role = CASE WHEN $8 THEN $9 ELSE role END, external_id = $10, name_id_format = $11,
         last_login_at = $12, updated_at = $12
       WHERE tenant_type = $1 AND tenant_id = $2 AND email_normalized = $3 AND active
       ${RETURNING}`,
      [
        tenant.type,
        tenant.id,
        identity.email.toLowerCase(),
        identity.email,
        identity.firstName,
        identity.lastName,
        JSON.stringify(identity.groups),
        login.groupsOverrideRole,
        login.role,
        login.externalId,
        login.nameIdFormat,
        login.now,
      ],
    );
    return rows[0] ?? null;
  }

  async isDeactivated(tx: Transaction, tenant: TenantRef, emailNormalized: string): Promise<boolean> {
    const rows: { active: boolean }[] = await tx.query(
      'SELECT active FROM users WHERE tenant_type = $1 AND tenant_id = $2 AND email_normalized = $3',
      [tenant.type, tenant.id, emailNormalized],
    );
    return rows[0]?.active === false;
  }

  private loginValues(login: LoginUpsert): unknown[] {
    const { tenant, identity } = login;
    return [
      randomUUID(),
      tenant.type,
      tenant.id,
      identity.email,
      identity.email.toLowerCase(),
      identity.firstName,
      identity.lastName,
      JSON.stringify(identity.groups),
      login.role,
      login.externalId,
      login.nameIdFormat,
      login.now,
    ];
  }

  async list(tenant: TenantRef, page: number, limit: number): Promise<{ items: UserEntity[]; total: number }> {
    const [items, total] = await this.database.repository(UserEntity).findAndCount({
      where: { tenantType: tenant.type, tenantId: tenant.id },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    return { items, total };
  }

  find(tenant: TenantRef, userId: string): Promise<UserEntity | null> {
    return this.database.repository(UserEntity).findOneBy({ id: userId, tenantType: tenant.type, tenantId: tenant.id });
  }

  async update(tenant: TenantRef, userId: string, changes: Partial<Pick<UserEntity, 'role' | 'active'>>): Promise<UserEntity | null> {
    await this.database
      .repository(UserEntity)
      .update({ id: userId, tenantType: tenant.type, tenantId: tenant.id }, { ...changes, updatedAt: new Date() });
    return this.find(tenant, userId);
  }
}
