import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TenantType } from '../tenancy/tenant';
import type { AttributeMapping, Role, RoleMappingEntry, StoredIdp } from './sso-config.types';

@Entity('sso_configs')
export class SsoConfigEntity {
  @PrimaryColumn('text', { name: 'tenant_type' }) tenantType!: TenantType;
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('boolean') enabled!: boolean;
  @Column('text', { name: 'sp_certificate' }) spCertificate!: string;
  /** AES-256-GCM under ENCRYPTION_KEY; never leaves the store unsealed except to sign and decrypt. */
  @Column('text', { name: 'sp_private_key_sealed' }) spPrivateKeySealed!: string;
  @Column('text', { name: 'sp_key_id' }) spKeyId!: string;
  @Column('jsonb', { nullable: true }) idp!: StoredIdp | null;
  @Column('text', { name: 'idp_metadata_url', nullable: true }) idpMetadataUrl!: string | null;
  @Column('timestamptz', { name: 'idp_refreshed_at', nullable: true }) idpRefreshedAt!: Date | null;
  @Column('text', { name: 'idp_refresh_error', nullable: true }) idpRefreshError!: string | null;
  @Column('jsonb', { name: 'attribute_mapping' }) attributeMapping!: AttributeMapping;
  @Column('jsonb', { name: 'role_mapping' }) roleMapping!: RoleMappingEntry[];
  @Column('text', { name: 'default_role' }) defaultRole!: Role;
  @Column('boolean', { name: 'just_in_time_provisioning' }) justInTimeProvisioning!: boolean;
  @Column('boolean', { name: 'enforce_sso' }) enforceSso!: boolean;
  @Column('boolean', { name: 'groups_override_role' }) groupsOverrideRole!: boolean;
  @Column('boolean', { name: 'allow_idp_initiated' }) allowIdpInitiated!: boolean;
  @Column('integer', { name: 'clock_skew_seconds' }) clockSkewSeconds!: number;
  @Column('boolean', { name: 'allow_sha1_signatures' }) allowSha1Signatures!: boolean;
  @Column('boolean', { name: 'allow_cbc_encryption' }) allowCbcEncryption!: boolean;
  @Column('jsonb', { name: 'allowed_email_domains' }) allowedEmailDomains!: string[];
  @Column('integer') version!: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

@Entity('sso_domains')
export class SsoDomainEntity {
  @PrimaryColumn('text') domain!: string;
  @Column('text', { name: 'tenant_type' }) tenantType!: TenantType;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
}

export interface AuditChange {
  field: string;
  old: unknown;
  new: unknown;
}

@Entity('sso_audit_log')
export class SsoAuditEntryEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'tenant_type' }) tenantType!: TenantType;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('timestamptz') at!: Date;
  @Column('text', { name: 'actor_type' }) actorType!: string;
  @Column('text', { name: 'actor_id', nullable: true }) actorId!: string | null;
  @Column('text') action!: string;
  @Column('jsonb') changes!: AuditChange[];
}

@Entity('login_attempts')
export class LoginAttemptEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'tenant_type' }) tenantType!: TenantType;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('timestamptz') at!: Date;
  @Column('text') outcome!: 'success' | 'failure';
  @Column('text', { nullable: true }) reason!: string | null;
  @Column('text', { nullable: true }) email!: string | null;
  @Column('text', { name: 'assertion_id', nullable: true }) assertionId!: string | null;
}
