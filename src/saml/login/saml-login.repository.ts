import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database.service';
import { batchDelete, PurgesRows } from '../../housekeeping/purges-rows.decorator';
import type { TenantRef } from '../../tenancy/tenant';

export interface IssuedRequest {
  id: string;
  tenant: TenantRef;
  relayState: string;
  returnTo: string;
  expiresAt: Date;
}

/**
 * Issued AuthnRequests, in PostgreSQL so that any instance's ACS can match them, and the replay
 * table of used assertion IDs (both written at login by LoginWriteRepository's statement).
 */
@Injectable()
export class SamlLoginRepository {
  constructor(private readonly database: Database) {}

  /** On every login start: a named statement on the pool, as the ACS's login write. */
  async insertRequest(request: IssuedRequest): Promise<void> {
    await this.database.preparedQuery(
      'sso-insert-authn-request',
      'INSERT INTO authn_requests (id, tenant_type, tenant_id, relay_state, return_to, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [request.id, request.tenant.type, request.tenant.id, request.relayState, request.returnTo, request.expiresAt],
    );
  }

  /** Where the sign-in that issued `relayState` was to land; null when no request of this tenant issued it. */
  async returnToOf(tenant: TenantRef, relayState: string): Promise<string | null> {
    const rows: { return_to: string }[] = await this.database.manager.query(
      'SELECT return_to FROM authn_requests WHERE relay_state = $1 AND tenant_type = $2 AND tenant_id = $3',
      [relayState, tenant.type, tenant.id],
    );
    return rows[0]?.return_to ?? null;
  }

  /** After a login's statement found the request not open: was it used already, or never ours (or expired)? */
  async whyNotConsumable(tenant: TenantRef, requestId: string): Promise<'unknown_request' | 'request_reused'> {
    const used: unknown[] = await this.database.manager.query(
      'SELECT 1 FROM authn_requests WHERE id = $1 AND tenant_type = $2 AND tenant_id = $3 AND consumed_at IS NOT NULL',
      [requestId, tenant.type, tenant.id],
    );
    return used.length > 0 ? 'request_reused' : 'unknown_request';
  }

  @PurgesRows('authn_requests')
  async deleteExpiredRequests(batchSize: number): Promise<number> {
    const [, deleted]: [unknown, number] = await this.database.manager.query(batchDelete('authn_requests', 'expires_at < now()'), [batchSize]);
    return deleted;
  }

  /** An assertion is remembered until it could no longer be accepted anyway (its NotOnOrAfter plus the skew). */
  @PurgesRows('used_assertions')
  async deleteExpiredAssertions(batchSize: number): Promise<number> {
    const [, deleted]: [unknown, number] = await this.database.manager.query(batchDelete('used_assertions', 'expires_at < now()'), [batchSize]);
    return deleted;
  }
}
