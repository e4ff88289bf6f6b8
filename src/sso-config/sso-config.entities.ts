import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TenantType } from '../tenancy/tenant';
import { OptionRule, storedOptionColumns, StoredSsoOptions } from './sso-options';
import type { StoredIdp } from './sso-config.types';

/**
 * The tenant options are not listed here: the interface gives the class their properties and the
 * loop below the class maps their columns, both from the one description (SSO_OPTIONS).
 */
export interface SsoConfigEntity extends StoredSsoOptions {}

@Entity('sso_configs')
export class SsoConfigEntity {
  @PrimaryColumn('text', { name: 'tenant_type' }) tenantType!: TenantType;
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('boolean') enabled!: boolean;
  @Column('text', { name: 'sp_certificate' }) spCertificate!: string;
  /** AES-256-GCM under ENCRYPTION_KEY; never leaves the store unsealed except to sign and decrypt. */
  @Column('text', { name: 'sp_private_key_sealed' }) spPrivateKeySealed!: string;
  @Column('jsonb', { nullable: true }) idp!: StoredIdp | null;
  @Column('text', { name: 'idp_metadata_url', nullable: true }) idpMetadataUrl!: string | null;
  @Column('timestamptz', { name: 'idp_refreshed_at', nullable: true }) idpRefreshedAt!: Date | null;
  @Column('text', { name: 'idp_refresh_error', nullable: true }) idpRefreshError!: string | null;
  /** The IdpConfigError code of that failure, which the pages put in words. */
  @Column('text', { name: 'idp_refresh_error_code', nullable: true }) idpRefreshErrorCode!: string | null;
  /** When an admin last gave the IdP (a refresh keeps it): sign-ins before it proved another configuration. */
  @Column('timestamptz', { name: 'idp_configured_at', nullable: true }) idpConfiguredAt!: Date | null;
  @Column('integer') version!: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

const COLUMN_TYPE: Record<OptionRule['kind'], 'boolean' | 'integer' | 'text' | 'jsonb'> = {
  boolean: 'boolean',
  integer: 'integer',
  oneOf: 'text',
  domainList: 'jsonb',
  attributeMapping: 'jsonb',
  roleMapping: 'jsonb',
};

for (const { name, column, rule } of storedOptionColumns()) {
  Column(COLUMN_TYPE[rule.kind], { name: column })(SsoConfigEntity.prototype, name);
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
  /** The reference the failure's error page showed; null for successes. */
  @Column('text', { nullable: true }) reference!: string | null;
  /** The role a successful sign-in gave the user; null for refusals. */
  @Column('text', { nullable: true }) role!: string | null;
  /** Started by the settings page's test sign-in (it lands on the test result page). */
  @Column('boolean') test!: boolean;
}
