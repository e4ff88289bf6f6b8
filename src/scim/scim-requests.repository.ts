import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Database } from '../database/database.service';
import { batchDelete, PurgesRows } from '../housekeeping/purges-rows.decorator';
import type { TenantRef } from '../tenancy/tenant';

export interface ScimRequestRecord {
  tenant: TenantRef;
  tokenId: string | null;
  at: Date;
  method: string;
  path: string;
  status: number;
  scimType: string | null;
  detail: string | null;
}

export interface ScimRequestRow {
  at: Date;
  method: string;
  path: string;
  status: number;
  scimType: string | null;
  detail: string | null;
  tokenId: string | null;
}

/** The recent SCIM requests of each tenant, for the settings page (housekeeping purges them by age). */
@Injectable()
export class ScimRequestsRepository {
  constructor(private readonly database: Database) {}

  async record(entry: ScimRequestRecord): Promise<void> {
    await this.database.manager.query(
      `INSERT INTO scim_requests (id, tenant_type, tenant_id, token_id, at, method, path, status, scim_type, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [randomUUID(), entry.tenant.type, entry.tenant.id, entry.tokenId, entry.at, entry.method, entry.path, entry.status, entry.scimType, entry.detail],
    );
  }

  latest(tenant: TenantRef, limit: number): Promise<ScimRequestRow[]> {
    return this.database.manager.query(
      `SELECT at, method, path, status, scim_type AS "scimType", detail, token_id AS "tokenId"
       FROM scim_requests WHERE tenant_type = $1 AND tenant_id = $2 ORDER BY at DESC, id LIMIT $3`,
      [tenant.type, tenant.id, limit],
    );
  }

  @PurgesRows('scim_requests')
  async deleteBefore(batchSize: number, retainedSince: Date): Promise<number> {
    const [, deleted]: [unknown, number] = await this.database.manager.query(batchDelete('scim_requests', 'at < $2'), [batchSize, retainedSince]);
    return deleted;
  }
}
