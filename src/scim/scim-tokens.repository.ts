import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.service';
import type { TenantRef, TenantType } from '../tenancy/tenant';

export interface ScimTokenRow {
  id: string;
  tenantType: TenantType;
  tenantId: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const COLUMNS = `id, tenant_type AS "tenantType", tenant_id AS "tenantId", name, created_at AS "createdAt", last_used_at AS "lastUsedAt"`;

@Injectable()
export class ScimTokensRepository {
  constructor(private readonly database: Database) {}

  async insert(row: ScimTokenRow & { tokenHash: string }): Promise<void> {
    await this.database.manager.query(
      `INSERT INTO scim_tokens (id, tenant_type, tenant_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [row.id, row.tenantType, row.tenantId, row.name, row.tokenHash, row.createdAt],
    );
  }

  list(tenant: TenantRef): Promise<ScimTokenRow[]> {
    return this.database.manager.query(`SELECT ${COLUMNS} FROM scim_tokens WHERE tenant_type = $1 AND tenant_id = $2 ORDER BY created_at, id`, [
      tenant.type,
      tenant.id,
    ]);
  }

  /** Looked up in the database on every request: a revoked (deleted) token stops working at once on every instance. */
  async findByHash(tokenHash: string): Promise<ScimTokenRow | null> {
    const rows: ScimTokenRow[] = await this.database.manager.query(`SELECT ${COLUMNS} FROM scim_tokens WHERE token_hash = $1`, [tokenHash]);
    return rows[0] ?? null;
  }

  async touch(id: string, now: Date): Promise<void> {
    await this.database.manager.query('UPDATE scim_tokens SET last_used_at = $2 WHERE id = $1', [id, now]);
  }

  async delete(tenant: TenantRef, id: string): Promise<boolean> {
    const [, count]: [unknown, number] = await this.database.manager.query(
      'DELETE FROM scim_tokens WHERE tenant_type = $1 AND tenant_id = $2 AND id = $3',
      [tenant.type, tenant.id, id],
    );
    return count > 0;
  }
}
