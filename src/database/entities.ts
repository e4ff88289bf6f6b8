import {
  LoginAttemptEntity,
  SsoAuditEntryEntity,
  SsoConfigEntity,
} from '../sso-config/sso-config.entities';
import { DomainClaimEntity } from '../domains/domain-claim.entity';
import { UserEntity } from '../provisioning/user.entity';
import { ApiKeyEntity, OrganizationEntity, PartnerEntity } from '../tenancy/tenancy.entities';

/** Every mapped table, registered explicitly so builds and tests load the same set. */
export const ENTITIES = [
  PartnerEntity,
  OrganizationEntity,
  ApiKeyEntity,
  SsoConfigEntity,
  DomainClaimEntity,
  SsoAuditEntryEntity,
  LoginAttemptEntity,
  UserEntity,
];
