import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.service';
import { batchDelete, PurgesRows } from '../housekeeping/purges-rows.decorator';
import type { TenantRef, TenantType } from '../tenancy/tenant';

export interface StoredSession {
  sessionId: string;
  userId: string;
  tenantType: TenantType;
  tenantId: string;
  nameId: string | null;
  nameIdFormat: string | null;
  nameQualifier: string | null;
  spNameQualifier: string | null;
  spProvidedId: string | null;
  sessionIndex: string | null;
  createdAt: Date;
}

@Injectable()
export class SessionsRepository {
  constructor(private readonly database: Database) {}

  async findUnexpired(tokenHash: string): Promise<StoredSession | null> {
    const rows: StoredSession[] = await this.database.manager.query(
      `SELECT id AS "sessionId", user_id AS "userId", tenant_type AS "tenantType", tenant_id AS "tenantId",
              name_id AS "nameId", name_id_format AS "nameIdFormat",
              name_id_name_qualifier AS "nameQualifier", name_id_sp_name_qualifier AS "spNameQualifier",
              name_id_sp_provided_id AS "spProvidedId", session_index AS "sessionIndex",
              created_at AS "createdAt"
       FROM sessions
       WHERE token_hash = $1 AND expires_at > now()`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async delete(sessionId: string): Promise<void> {
    await this.database.manager.query('DELETE FROM sessions WHERE id = $1', [sessionId]);
  }

  /** Every session of one user (deprovisioned by the directory). */
  async deleteForUser(tenant: TenantRef, userId: string): Promise<number> {
    const [, count]: [unknown, number] = await this.database.manager.query(
      'DELETE FROM sessions WHERE tenant_type = $1 AND tenant_id = $2 AND user_id = $3',
      [tenant.type, tenant.id, userId],
    );
    return count;
  }

  /** Single logout from the IdP: every session of that NameID in that tenant (one SessionIndex when given). */
  async deleteByNameId(tenant: TenantRef, nameId: string, sessionIndexes: string[]): Promise<number> {
    const [, count]: [unknown, number] = await this.database.manager.query(
      `DELETE FROM sessions WHERE tenant_type = $1 AND tenant_id = $2 AND name_id = $3
         AND (cardinality($4::text[]) = 0 OR session_index = ANY($4::text[]))`,
      [tenant.type, tenant.id, nameId, sessionIndexes],
    );
    return count;
  }

  @PurgesRows('sessions')
  async deleteExpired(batchSize: number): Promise<number> {
    const [, deleted]: [unknown, number] = await this.database.manager.query(batchDelete('sessions', 'expires_at < now()'), [batchSize]);
    return deleted;
  }
}
