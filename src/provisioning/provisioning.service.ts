import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Role, SsoOptions } from '../sso-config/sso-config.types';
import type { TenantRef } from '../tenancy/tenant';
import { domainSpelling } from '../domains/domain-name';
import { resolveIdentity } from './attribute-resolver';
import type { AssertedIdentity, ResolvedIdentity } from './identity';
import { ProvisioningError, ProvisioningRefusal } from './provisioning.error';
import { roleForGroups } from './role-resolver';
import { UsersRepository } from './users.repository';

export type ProvisioningPolicy = Pick<
  SsoOptions,
  'attributeMapping' | 'roleMapping' | 'defaultRole' | 'justInTimeProvisioning' | 'groupsOverrideRole' | 'allowedEmailDomains'
>;

/** Who logs in and with what role, decided before anything is written. */
export interface LoginPlan {
  identity: ResolvedIdentity;
  role: Role;
  /** The NameID, kept as the user's external id. */
  externalId: string;
  nameIdFormat: string | null;
  groupsOverrideRole: boolean;
  justInTimeProvisioning: boolean;
  /** The id the user gets if this login creates it. */
  newUserId: string;
}

/**
 * Just-in-time users: from a valid assertion's identity to the user's names, groups and role.
 * The write itself is this module's part of the login's single statement (login-user.statement.ts).
 */
@Injectable()
export class ProvisioningService {
  constructor(private readonly users: UsersRepository) {}

  planLogin(asserted: AssertedIdentity, policy: ProvisioningPolicy): LoginPlan {
    const identity = resolveIdentity(asserted, policy.attributeMapping);
    const domain = domainSpelling(identity.email.slice(identity.email.lastIndexOf('@') + 1));
    if (policy.allowedEmailDomains.length > 0 && !policy.allowedEmailDomains.includes(domain)) {
      throw new ProvisioningError('email_domain_not_allowed', `Email domain ${domain} is not allowed for this tenant`, identity.email);
    }
    return {
      identity,
      role: roleForGroups(identity.groups, policy.roleMapping, policy.defaultRole),
      externalId: asserted.nameId,
      nameIdFormat: asserted.nameIdFormat,
      groupsOverrideRole: policy.groupsOverrideRole,
      justInTimeProvisioning: policy.justInTimeProvisioning,
      newUserId: randomUUID(),
    };
  }

  /** Why a planned login found no user to sign in: deactivated, or unknown with provisioning off. */
  async refusalFor(tenant: TenantRef, plan: LoginPlan): Promise<ProvisioningError> {
    const deactivated = await this.users.isDeactivated(tenant, plan.identity.email.toLowerCase());
    const reason: ProvisioningRefusal = deactivated || plan.justInTimeProvisioning ? 'user_deactivated' : 'user_not_provisioned';
    const message = reason === 'user_deactivated' ? 'This user has been deactivated' : 'This user has not been provisioned for this tenant';
    return new ProvisioningError(reason, message, plan.identity.email);
  }
}
