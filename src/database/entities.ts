import {
  LoginAttemptEntity,
  SsoAuditEntryEntity,
  SsoConfigEntity,
  SsoDomainEntity,
} from '../sso-config/sso-config.entities';
import { UserEntity } from '../provisioning/user.entity';
import { ApiKeyEntity, OrganizationEntity, PartnerEntity } from '../tenancy/tenancy.entities';

/** Every mapped table, registered explicitly so builds and tests load the same set. */
export const ENTITIES = [
  PartnerEntity,
  OrganizationEntity,
  ApiKeyEntity,
  SsoConfigEntity,
  SsoDomainEntity,
  SsoAuditEntryEntity,
  LoginAttemptEntity,
  UserEntity,
];
