import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database.service';
import type { TenantRef } from '../../tenancy/tenant';

export interface IssuedRequest {
  id: string;
  tenant: TenantRef;
  relayState: string;
  returnTo: string;
  expiresAt: Date;
}

/** Issued AuthnRequests, in PostgreSQL so that any instance's ACS can match them (consumed by LoginWriteRepository). */
@Injectable()
export class SamlLoginRepository {
  constructor(private readonly database: Database) {}

  async insertRequest(request: IssuedRequest): Promise<void> {
    await this.database.manager.query(
      `INSERT INTO authn_requests (id, tenant_type, tenant_id, relay_state, return_to, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [request.id, request.tenant.type, request.tenant.id, request.relayState, request.returnTo, request.expiresAt],
    );
  }

  /** After a login's statement found the request not open: was it used already, or never ours (or expired)? */
  async whyNotConsumable(tenant: TenantRef, requestId: string): Promise<'unknown_request' | 'request_reused'> {
    const used: unknown[] = await this.database.manager.query(
      'SELECT 1 FROM authn_requests WHERE id = $1 AND tenant_type = $2 AND tenant_id = $3 AND consumed_at IS NOT NULL',
      [requestId, tenant.type, tenant.id],
    );
    return used.length > 0 ? 'request_reused' : 'unknown_request';
  }
}
