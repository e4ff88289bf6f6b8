import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { Database } from '../database/database.service';
import { ApiKeyEntity, OrganizationEntity, PartnerEntity } from './tenancy.entities';
import { TenantRef } from './tenant';

const LAST_USED_RESOLUTION_MS = 60_000;

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
}
