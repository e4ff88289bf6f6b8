import { Injectable } from '@nestjs/common';
import { EntityManager, In, LessThan, QueryFailedError } from 'typeorm';
import { Database } from '../database/database.service';
import type { TenantRef } from '../tenancy/tenant';
import { DomainClaimEntity, DomainFailureReason } from './domain-claim.entity';

const UNIQUE_VIOLATION = '23505';
const byTenant = (tenant: TenantRef) => ({ tenantType: tenant.type, tenantId: tenant.id });

/** Every read and write of `domain_claims`. */
@Injectable()
export class DomainClaimsRepository {
  constructor(private readonly database: Database) {}

  private get entities(): EntityManager {
    return this.database.manager;
  }

  listOf(tenant: TenantRef): Promise<DomainClaimEntity[]> {
    return this.entities.find(DomainClaimEntity, { where: byTenant(tenant), order: { domain: 'ASC' } });
  }

  find(tenant: TenantRef, domain: string): Promise<DomainClaimEntity | null> {
    return this.entities.findOneBy(DomainClaimEntity, { ...byTenant(tenant), domain });
  }

  findVerified(domain: string): Promise<DomainClaimEntity | null> {
    return this.entities.findOneBy(DomainClaimEntity, { domain, status: 'verified' });
  }

  /** Returns false when the tenant already claims the domain. */
  async insertIfAbsent(claim: DomainClaimEntity): Promise<boolean> {
    const result = await this.entities
      .createQueryBuilder()
      .insert()
      .into(DomainClaimEntity)
      .values(claim)
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  async delete(tenant: TenantRef, domains: string[]): Promise<number> {
    if (domains.length === 0) return 0;
    const result = await this.entities.delete(DomainClaimEntity, { ...byTenant(tenant), domain: In(domains) });
    return result.affected ?? 0;
  }

  /**
   * Marks the claim verified and every other tenant's claim on the domain failed (domain_taken), in
   * one transaction. False when another tenant's claim was verified first (the unique index decides).
   */
  async markVerified(claim: DomainClaimEntity, verifiedBy: 'dns' | 'manual', now: Date): Promise<boolean> {
    try {
      await this.database.transaction(async (manager) => {
        // Verifications of one domain take turns: without it, two at once would each wait on the
        // other's row (one marking itself verified, the other failing it) and deadlock.
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`domain-claim:${claim.domain}`]);
        await manager.update(
          DomainClaimEntity,
          { id: claim.id },
          { status: 'verified', reason: null, verifiedBy, verifiedAt: now, lastCheckedAt: now, recordMissingSince: null },
        );
        await manager
          .createQueryBuilder()
          .update(DomainClaimEntity)
          .set({ status: 'failed', reason: 'domain_taken', lastCheckedAt: now })
          .where('domain = :domain AND id <> :id AND status <> :verified', { domain: claim.domain, id: claim.id, verified: 'verified' })
          .execute();
      });
      return true;
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) return false;
      throw error;
    }
  }

  async markFailed(id: string, reason: DomainFailureReason, now: Date): Promise<void> {
    await this.entities.update(
      DomainClaimEntity,
      { id },
      { status: 'failed', reason, lastCheckedAt: now, verifiedBy: null, verifiedAt: null, recordMissingSince: null },
    );
  }

  async markChecked(id: string, now: Date, changes: Pick<DomainClaimEntity, 'recordMissingSince'> & { reason?: DomainFailureReason | null }): Promise<void> {
    await this.entities.update(DomainClaimEntity, { id }, { lastCheckedAt: now, ...changes });
  }

  findVerifiedDueForRecheck(checkedBefore: Date, limit: number): Promise<DomainClaimEntity[]> {
    return this.entities.find(DomainClaimEntity, {
      where: { status: 'verified', verifiedBy: 'dns', lastCheckedAt: LessThan(checkedBefore) },
      order: { lastCheckedAt: 'ASC' },
      take: limit,
    });
  }
}
