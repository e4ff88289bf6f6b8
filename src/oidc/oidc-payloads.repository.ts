import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.service';
import { batchDelete, PurgesRows } from '../housekeeping/purges-rows.decorator';
import { EndsUserAccess } from '../provisioning/user-access';
import type { TenantRef } from '../tenancy/tenant';

/** A stored oidc-provider model, as its adapter interface hands it over and takes it back. */
export type OidcPayload = Record<string, unknown> & {
  grantId?: string;
  uid?: string;
  userCode?: string;
  consumed?: number;
};

/**
 * oidc-provider's models (sessions, interactions, codes, grants, refresh tokens, …) in PostgreSQL,
 * so that every instance sees the same state. One row per model and id.
 */
@Injectable()
export class OidcPayloadsRepository {
  constructor(private readonly database: Database) {}

  async upsert(model: string, id: string, payload: OidcPayload, expiresInSeconds: number | undefined): Promise<void> {
    const expiresAt = expiresInSeconds ? new Date(Date.now() + expiresInSeconds * 1000) : null;
    await this.database.manager.query(
      `INSERT INTO oidc_payloads (model, id, payload, grant_id, uid, user_code, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
         uid = EXCLUDED.uid, user_code = EXCLUDED.user_code, expires_at = EXCLUDED.expires_at`,
      [model, id, JSON.stringify(payload), payload.grantId ?? null, payload.uid ?? null, payload.userCode ?? null, expiresAt],
    );
  }

  find(model: string, id: string): Promise<OidcPayload | undefined> {
    return this.findWhere(model, 'id = $2', id);
  }

  findByUid(model: string, uid: string): Promise<OidcPayload | undefined> {
    return this.findWhere(model, 'uid = $2', uid);
  }

  findByUserCode(model: string, userCode: string): Promise<OidcPayload | undefined> {
    return this.findWhere(model, 'user_code = $2', userCode);
  }

  async consume(model: string, id: string): Promise<void> {
    await this.database.manager.query(
      'UPDATE oidc_payloads SET consumed_at = now() WHERE model = $1 AND id = $2 AND consumed_at IS NULL',
      [model, id],
    );
  }

  async destroy(model: string, id: string): Promise<void> {
    await this.database.manager.query('DELETE FROM oidc_payloads WHERE model = $1 AND id = $2', [model, id]);
  }

  /** Every model issued under a grant (its codes and tokens, whatever the model), and the grant itself. */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.database.manager.query(`DELETE FROM oidc_payloads WHERE grant_id = $1 OR (model = 'Grant' AND id = $1)`, [grantId]);
  }

  /**
   * A deactivated or deleted user's grants with every code and token issued under them, and their
   * provider sessions: refusing them while the user is inactive is not enough, since a reactivation
   * would bring them back. Subjects are user IDs, unique across tenants. Grants are found by their
   * payload (no index): this runs once per deactivation, not per request.
   */
  @EndsUserAccess('OpenID Connect grants and tokens')
  async revokeAllOf(_tenant: TenantRef, userId: string): Promise<void> {
    await this.database.manager.query(
      `DELETE FROM oidc_payloads
       WHERE grant_id IN (SELECT id FROM oidc_payloads WHERE model = 'Grant' AND payload->>'accountId' = $1)
          OR (model IN ('Grant', 'Session') AND payload->>'accountId' = $1)`,
      [userId],
    );
  }

  @PurgesRows('oidc_payloads')
  async deleteExpired(batchSize: number): Promise<number> {
    const [, deleted]: [unknown, number] = await this.database.manager.query(batchDelete('oidc_payloads', 'expires_at < now()'), [batchSize]);
    return deleted;
  }

  private async findWhere(model: string, condition: string, value: string): Promise<OidcPayload | undefined> {
    const rows: { payload: OidcPayload; consumed: number | null }[] = await this.database.manager.query(
      `SELECT payload, floor(extract(epoch FROM consumed_at))::int AS consumed FROM oidc_payloads
       WHERE model = $1 AND ${condition} AND (expires_at IS NULL OR expires_at > now())`,
      [model, value],
    );
    const row = rows[0];
    if (!row) return undefined;
    return row.consumed === null ? row.payload : { ...row.payload, consumed: row.consumed };
  }
}
