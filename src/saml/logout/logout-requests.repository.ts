import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database.service';
import { batchDelete, PurgesRows } from '../../housekeeping/purges-rows.decorator';
import type { TenantRef } from '../../tenancy/tenant';

export interface SentLogoutRequest {
  id: string;
  tenant: TenantRef;
  /** The session that ended when the request was sent. */
  sessionId: string;
  userId: string;
  expiresAt: Date;
}

export type LogoutRequestMatch =
  | { matched: true; userId: string; sessionId: string }
  | { matched: false; reason: 'unknown_request' | 'request_reused' };

/** LogoutRequests this service sent, in PostgreSQL so that any instance matches the IdP's answer, once. */
@Injectable()
export class LogoutRequestsRepository {
  constructor(private readonly database: Database) {}

  async insert(request: SentLogoutRequest): Promise<void> {
    await this.database.manager.query(
      `INSERT INTO logout_requests (id, tenant_type, tenant_id, session_id, user_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [request.id, request.tenant.type, request.tenant.id, request.sessionId, request.userId, request.expiresAt],
    );
  }

  /**
   * Marks the request answered, if it is this tenant's, open and unexpired. The outer SELECT reads
   * the table as it was before the UPDATE, so `reused` means answered by an earlier response.
   */
  async consume(tenant: TenantRef, requestId: string, now: Date): Promise<LogoutRequestMatch> {
    const [row]: { userId: string | null; sessionId: string | null; reused: boolean }[] = await this.database.manager.query(
      `WITH answered AS (
         UPDATE logout_requests SET consumed_at = $4
         WHERE id = $1 AND tenant_type = $2 AND tenant_id = $3 AND consumed_at IS NULL AND expires_at > $4
         RETURNING user_id, session_id
       )
       SELECT (SELECT user_id FROM answered) AS "userId", (SELECT session_id FROM answered) AS "sessionId",
              EXISTS (SELECT 1 FROM logout_requests
                      WHERE id = $1 AND tenant_type = $2 AND tenant_id = $3 AND consumed_at IS NOT NULL) AS "reused"`,
      [requestId, tenant.type, tenant.id, now],
    );
    if (row.userId !== null && row.sessionId !== null) return { matched: true, userId: row.userId, sessionId: row.sessionId };
    return { matched: false, reason: row.reused ? 'request_reused' : 'unknown_request' };
  }

  @PurgesRows('logout_requests')
  async deleteExpired(batchSize: number): Promise<number> {
    const [, deleted]: [unknown, number] = await this.database.manager.query(batchDelete('logout_requests', 'expires_at < now()'), [batchSize]);
    return deleted;
  }
}
