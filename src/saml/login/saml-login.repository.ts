import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database.service';
import type { Transaction } from '../../database/transaction';
import type { TenantRef } from '../../tenancy/tenant';

export interface IssuedRequest {
  id: string;
  tenant: TenantRef;
  relayState: string;
  returnTo: string;
  expiresAt: Date;
}

export type ConsumeOutcome = { returnTo: string } | { refused: 'unknown_request' | 'request_reused' };

/** Issued AuthnRequests and the replay cache: both in PostgreSQL, so instances behave as one. */
@Injectable()
export class SamlLoginRepository {
  constructor(private readonly database: Database) {}

  async insertRequest(request: IssuedRequest): Promise<void> {
    await this.database.manager.query(
      `INSERT INTO authn_requests (id, tenant_type, tenant_id, relay_state, return_to, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [request.id, request.tenant.type, request.tenant.id, request.relayState, request.returnTo, request.expiresAt],
    );
  }

  /** Marks the request used, atomically: of two responses naming it, only one gets its returnTo. */
  async consumeRequest(tx: Transaction, tenant: TenantRef, requestId: string, now: Date): Promise<ConsumeOutcome> {
    const [rows]: [{ return_to: string }[], number] = await tx.query(
      `UPDATE authn_requests SET consumed_at = $4
       WHERE id = $1 AND tenant_type = $2 AND tenant_id = $3 AND consumed_at IS NULL AND expires_at > $4
       RETURNING return_to`,
      [requestId, tenant.type, tenant.id, now],
    );
    if (rows.length > 0) return { returnTo: rows[0].return_to };
    const used: unknown[] = await tx.query(
      'SELECT 1 FROM authn_requests WHERE id = $1 AND tenant_type = $2 AND tenant_id = $3 AND consumed_at IS NOT NULL',
      [requestId, tenant.type, tenant.id],
    );
    return { refused: used.length > 0 ? 'request_reused' : 'unknown_request' };
  }

  /** False when this assertion ID was seen before for this tenant (a replay). */
  async rememberAssertion(tx: Transaction, tenant: TenantRef, assertionId: string, expiresAt: Date): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO used_assertions (tenant_type, tenant_id, assertion_id, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [tenant.type, tenant.id, assertionId, expiresAt],
    );
    return rows.length > 0;
  }
}
