import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TenantType } from '../tenancy/tenant';

export type DomainStatus = 'pending' | 'verified' | 'failed';
export type DomainFailureReason = 'record_not_found' | 'record_mismatch' | 'dns_error' | 'domain_taken';

/**
 * A tenant's claim on an email domain. Many tenants may claim one domain; the database lets only
 * one claim per domain be verified (a partial unique index), so "first to verify wins" holds across
 * every instance.
 */
@Entity('domain_claims')
export class DomainClaimEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'tenant_type' }) tenantType!: TenantType;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') domain!: string;
  @Column('text') token!: string;
  @Column('text') status!: DomainStatus;
  @Column('text', { nullable: true }) reason!: DomainFailureReason | null;
  /** A manual verification (the platform operator's word) is not looked up again. */
  @Column('text', { name: 'verified_by', nullable: true }) verifiedBy!: 'dns' | 'manual' | null;
  @Column('timestamptz', { name: 'verified_at', nullable: true }) verifiedAt!: Date | null;
  @Column('timestamptz', { name: 'last_checked_at', nullable: true }) lastCheckedAt!: Date | null;
  /** Since when a re-check has not found the record of a verified domain (the grace period's start). */
  @Column('timestamptz', { name: 'record_missing_since', nullable: true }) recordMissingSince!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
