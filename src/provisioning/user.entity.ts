import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '../sso-config/sso-config.types';
import type { TenantType } from '../tenancy/tenant';

@Entity('users')
export class UserEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'tenant_type' }) tenantType!: TenantType;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') email!: string;
  @Column('text', { name: 'email_normalized' }) emailNormalized!: string;
  @Column('text', { name: 'first_name', nullable: true }) firstName!: string | null;
  @Column('text', { name: 'last_name', nullable: true }) lastName!: string | null;
  /** What the last SAML login asserted; a directory-managed user's groups are its SCIM groups (UsersRepository reads those). */
  @Column('jsonb') groups!: string[];
  @Column('text') role!: Role;
  @Column('boolean') active!: boolean;
  @Column('boolean', { name: 'scim_managed' }) scimManaged!: boolean;
  @Column('text', { name: 'external_id', nullable: true }) externalId!: string | null;
  @Column('text', { name: 'name_id_format', nullable: true }) nameIdFormat!: string | null;
  @Column('timestamptz', { name: 'last_login_at', nullable: true }) lastLoginAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
