import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Database } from '../database/database.service';
import { batchDelete, PurgesRows } from '../housekeeping/purges-rows.decorator';
import type { TenantRef } from '../tenancy/tenant';
import { SetupLinkEntity, SetupLinkTokenEntity } from './setup-link.entities';

const LAST_USED_RESOLUTION_MS = 60_000;
const byTenant = (tenant: TenantRef) => ({ tenantType: tenant.type, tenantId: tenant.id });

/** The link an access token belongs to, found only while both are alive. */
export interface LiveSetupLink {
  linkId: string;
  tenant: TenantRef;
  lastUsedAt: Date | null;
}

/** Every read and write of `setup_links` and `setup_link_tokens`. */
@Injectable()
export class SetupLinksRepository {
  constructor(private readonly database: Database) {}

  private get entities(): EntityManager {
    return this.database.manager;
  }

  insertLink(link: SetupLinkEntity): Promise<SetupLinkEntity> {
    return this.entities.save(SetupLinkEntity, link);
  }

  listOf(tenant: TenantRef): Promise<SetupLinkEntity[]> {
    return this.entities.find(SetupLinkEntity, { where: byTenant(tenant), order: { createdAt: 'DESC', id: 'ASC' } });
  }

  find(tenant: TenantRef, id: string): Promise<SetupLinkEntity | null> {
    return this.entities.findOneBy(SetupLinkEntity, { ...byTenant(tenant), id });
  }

  findByTokenHash(tokenHash: string): Promise<SetupLinkEntity | null> {
    return this.entities.findOneBy(SetupLinkEntity, { tokenHash });
  }

  /** Returns whether this call revoked the link (false when it already was). */
  async revoke(link: SetupLinkEntity, now: Date): Promise<boolean> {
    const result = await this.entities
      .createQueryBuilder()
      .update(SetupLinkEntity)
      .set({ revokedAt: now })
      .where('id = :id AND revoked_at IS NULL', { id: link.id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  insertToken(token: SetupLinkTokenEntity): Promise<SetupLinkTokenEntity> {
    return this.entities.save(SetupLinkTokenEntity, token);
  }

  /**
   * The token's link, when the token and its link are unexpired and the link is not revoked: asked of
   * the database on every request, so a revocation holds at once on every instance.
   */
  async findLive(tokenHash: string, now: Date): Promise<LiveSetupLink | null> {
    const rows: { link_id: string; tenant_type: TenantRef['type']; tenant_id: string; last_used_at: Date | null }[] =
      await this.entities.query(
        `SELECT l.id AS link_id, l.tenant_type, l.tenant_id, l.last_used_at
           FROM setup_link_tokens t JOIN setup_links l ON l.id = t.link_id
          WHERE t.token_hash = $1 AND t.expires_at > $2 AND l.expires_at > $2 AND l.revoked_at IS NULL`,
        [tokenHash, now],
      );
    const row = rows[0];
    return row ? { linkId: row.link_id, tenant: { type: row.tenant_type, id: row.tenant_id }, lastUsedAt: row.last_used_at } : null;
  }

  /** Coarse-grained when `coarse`: one write a minute per link for its tokens' requests, not one per request. */
  async touch(linkId: string, lastUsedAt: Date | null, now: Date, coarse: boolean): Promise<void> {
    if (coarse && lastUsedAt && now.getTime() - lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
    await this.entities.update(SetupLinkEntity, { id: linkId }, { lastUsedAt: now });
  }

  @PurgesRows('setup_link_tokens')
  async deleteExpiredTokens(batchSize: number): Promise<number> {
    const [, deleted]: [unknown, number] = await this.entities.query(batchDelete('setup_link_tokens', 'expires_at < now()'), [batchSize]);
    return deleted;
  }

  /** Expired links stay listed (the admin sees they lapsed) for the retention period, then go with their tokens. */
  @PurgesRows('setup_links')
  async deleteLinksExpiredBefore(batchSize: number, retainedSince: Date): Promise<number> {
    const [, deleted]: [unknown, number] = await this.entities.query(batchDelete('setup_links', 'expires_at < $2'), [batchSize, retainedSince]);
    return deleted;
  }
}
