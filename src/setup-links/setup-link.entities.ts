import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TenantType } from '../tenancy/tenant';

/** A link that hands one tenant's SSO set-up to whoever runs its IdP. Only its token's hash is kept. */
@Entity('setup_links')
export class SetupLinkEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'tenant_type' }) tenantType!: TenantType;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text', { name: 'token_hash' }) tokenHash!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt!: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}

/** An access token of an exchange; it counts only while its link is neither revoked nor expired. */
@Entity('setup_link_tokens')
export class SetupLinkTokenEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'link_id' }) linkId!: string;
  @Column('text', { name: 'token_hash' }) tokenHash!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
}
