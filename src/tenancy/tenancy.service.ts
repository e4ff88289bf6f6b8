import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { InvalidInputError, NotFoundError } from '../common/domain-errors';
import { ApiKeyEntity, OrganizationEntity, PartnerEntity } from './tenancy.entities';
import { OrganizationSearch, TenancyRepository } from './tenancy.repository';
import { isUuid, TenantRef } from './tenant';

export const API_KEY_PREFIX = 'sk_';

/** API keys carry 256 random bits, so a plain SHA-256 is a sound one-way hash for lookup. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface ResolvedTenant extends TenantRef {
  /** The partner an organization belongs to; null for partners and independent organizations. */
  partnerId: string | null;
}

@Injectable()
export class TenancyService {
  constructor(private readonly repository: TenancyRepository) {}

  createPartner(name: string): Promise<PartnerEntity> {
    return this.repository.insertPartner({ id: randomUUID(), name, createdAt: new Date() });
  }

  async createOrganization(name: string, partnerId: string | null): Promise<OrganizationEntity> {
    if (partnerId && !(await this.repository.findPartner(partnerId))) {
      throw new InvalidInputError('partnerId', 'unknown_partner', 'partnerId does not name an existing partner');
    }
    return this.repository.insertOrganization({ id: randomUUID(), name, partnerId, createdAt: new Date() });
  }

  async getPartner(id: string): Promise<PartnerEntity> {
    const partner = await this.repository.findPartner(id);
    if (!partner) throw new NotFoundError('Partner not found');
    return partner;
  }

  async getOrganization(id: string): Promise<OrganizationEntity> {
    const organization = await this.repository.findOrganization(id);
    if (!organization) throw new NotFoundError('Organization not found');
    return organization;
  }

  listOrganizationsOfPartner(partnerId: string): Promise<OrganizationEntity[]> {
    return this.repository.listOrganizationsOfPartner(partnerId);
  }

  /** A page of a partner's organizations by name, and the number of matches. */
  searchOrganizationsOfPartner(partnerId: string, search: OrganizationSearch): Promise<{ organizations: OrganizationEntity[]; total: number }> {
    return this.repository.searchOrganizationsOfPartner(partnerId, search);
  }

  /** Null when the tenant does not exist. */
  async resolveTenant(tenant: TenantRef): Promise<ResolvedTenant | null> {
    if (tenant.type === 'partner') {
      const partner = await this.repository.findPartner(tenant.id);
      return partner ? { type: 'partner', id: partner.id, partnerId: null } : null;
    }
    const organization = await this.repository.findOrganization(tenant.id);
    return organization ? { type: 'organization', id: organization.id, partnerId: organization.partnerId } : null;
  }

  async createApiKey(tenant: TenantRef, name: string): Promise<{ id: string; name: string; key: string; createdAt: Date }> {
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const entity = await this.repository.insertApiKey({
      id: randomUUID(),
      tenantType: tenant.type,
      tenantId: tenant.id,
      name,
      keyHash: hashApiKey(key),
      createdAt: new Date(),
      lastUsedAt: null,
      revokedAt: null,
    });
    return { id: entity.id, name: entity.name, key, createdAt: entity.createdAt };
  }

  listApiKeys(tenant: TenantRef): Promise<ApiKeyEntity[]> {
    return this.repository.listApiKeys(tenant);
  }

  async revokeApiKey(tenant: TenantRef, keyId: string): Promise<void> {
    if (!isUuid(keyId) || !(await this.repository.revokeApiKey(tenant, keyId))) throw new NotFoundError('API key not found');
  }

  /** The tenant's name, for pages that show it to people; null when the tenant does not exist. */
  async tenantName(tenant: TenantRef): Promise<string | null> {
    const found = tenant.type === 'partner' ? await this.repository.findPartner(tenant.id) : await this.repository.findOrganization(tenant.id);
    return found?.name ?? null;
  }

  /** The names of these API keys (revoked ones included), by ID; unknown IDs are left out. */
  async apiKeyNames(ids: string[]): Promise<Map<string, string>> {
    const keys = await this.repository.findApiKeysByIds([...new Set(ids.filter(isUuid))]);
    return new Map(keys.map((key) => [key.id, key.name]));
  }
}
