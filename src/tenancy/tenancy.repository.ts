import { Injectable } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import { Database } from '../database/database.service';
import { ApiKeyEntity, OrganizationEntity, PartnerEntity } from './tenancy.entities';
import { TenantRef } from './tenant';

const LAST_USED_RESOLUTION_MS = 60_000;

export interface OrganizationSearch {
  /** Part of the name, any case; empty or absent matches every organization. */
  search?: string;
  /** Absent: every match (the contract's list, unchanged). */
  limit?: number;
  offset?: number;
}

/** `%` and `_` in a search are the letters a person typed, not LIKE wildcards. */
function likeContaining(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

@Injectable()
export class TenancyRepository {
  constructor(private readonly database: Database) {}

  insertPartner(partner: PartnerEntity): Promise<PartnerEntity> {
    return this.database.repository(PartnerEntity).save(partner);
  }

  insertOrganization(organization: OrganizationEntity): Promise<OrganizationEntity> {
    return this.database.repository(OrganizationEntity).save(organization);
  }

  findPartner(id: string): Promise<PartnerEntity | null> {
    return this.database.repository(PartnerEntity).findOneBy({ id });
  }

  findOrganization(id: string): Promise<OrganizationEntity | null> {
    return this.database.repository(OrganizationEntity).findOneBy({ id });
  }

  listOrganizationsOfPartner(partnerId: string): Promise<OrganizationEntity[]> {
    return this.database.repository(OrganizationEntity).find({ where: { partnerId }, order: { createdAt: 'ASC' } });
  }

  /**
   * One page of a partner's organizations by name (lower(name), then id, so pages never overlap),
   * and how many match in all; both run on organizations_partner_name_idx.
   */
  async searchOrganizationsOfPartner(
    partnerId: string,
    { search, limit, offset = 0 }: OrganizationSearch,
  ): Promise<{ organizations: OrganizationEntity[]; total: number }> {
    const query = this.database.repository(OrganizationEntity).createQueryBuilder('o').where('o.partner_id = :partnerId', { partnerId });
    if (search) query.andWhere(`lower(o.name) LIKE :pattern ESCAPE '\\'`, { pattern: likeContaining(search) });
    query.orderBy('lower(o.name)').addOrderBy('o.id').offset(offset);
    if (limit !== undefined) query.limit(limit);
    const [organizations, total] = await query.getManyAndCount();
    return { organizations, total };
  }

  insertApiKey(key: ApiKeyEntity): Promise<ApiKeyEntity> {
    return this.database.repository(ApiKeyEntity).save(key);
  }

  listApiKeys(tenant: TenantRef): Promise<ApiKeyEntity[]> {
    return this.database
      .repository(ApiKeyEntity)
      .find({ where: { tenantType: tenant.type, tenantId: tenant.id, revokedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  findActiveApiKeyByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.database.repository(ApiKeyEntity).findOneBy({ keyHash, revokedAt: IsNull() });
  }

  /** Returns whether a key was revoked by this call. */
  async revokeApiKey(tenant: TenantRef, keyId: string): Promise<boolean> {
    const result = await this.database
      .repository(ApiKeyEntity)
      .update({ id: keyId, tenantType: tenant.type, tenantId: tenant.id, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }

  /** Coarse-grained on purpose: one write a minute per key, not one per request. */
  async touchApiKey(key: ApiKeyEntity, now: Date): Promise<void> {
    if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
    await this.database.repository(ApiKeyEntity).update({ id: key.id }, { lastUsedAt: now });
  }

  /** Revoked keys too: the audit log names whoever made a change, also after the key is gone. */
  findApiKeysByIds(ids: string[]): Promise<ApiKeyEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.database.repository(ApiKeyEntity).findBy({ id: In(ids) });
  }
}
