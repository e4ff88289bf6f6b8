import { Injectable } from '@nestjs/common';
import type { Transaction } from '../database/transaction';
import type { SsoOptions } from '../sso-config/sso-config.types';
import type { TenantRef } from '../tenancy/tenant';
import { resolveIdentity } from './attribute-resolver';
import type { AssertedIdentity } from './identity';
import { ProvisioningError } from './provisioning.error';
import { roleForGroups } from './role-resolver';
import { LoggedInUser, UsersRepository } from './users.repository';

export type ProvisioningPolicy = Pick<
  SsoOptions,
  'attributeMapping' | 'roleMapping' | 'defaultRole' | 'justInTimeProvisioning' | 'groupsOverrideRole' | 'allowedEmailDomains'
>;

/** Just-in-time users: from a valid assertion's identity to an up-to-date user row. */
@Injectable()
export class ProvisioningService {
  constructor(private readonly users: UsersRepository) {}

  async provisionOnLogin(tx: Transaction, tenant: TenantRef, asserted: AssertedIdentity, policy: ProvisioningPolicy): Promise<LoggedInUser> {
    const identity = resolveIdentity(asserted, policy.attributeMapping);
    const domain = identity.email.slice(identity.email.lastIndexOf('@') + 1).toLowerCase();
    if (policy.allowedEmailDomains.length > 0 && !policy.allowedEmailDomains.includes(domain)) {
      throw new ProvisioningError('email_domain_not_allowed', `Email domain ${domain} is not allowed for this tenant`, identity.email);
    }
    const login = {
      tenant,
      identity,
      externalId: asserted.nameId,
      nameIdFormat: asserted.nameIdFormat,
      role: roleForGroups(identity.groups, policy.roleMapping, policy.defaultRole),
      groupsOverrideRole: policy.groupsOverrideRole,
      now: new Date(),
    };
    const user = policy.justInTimeProvisioning ? await this.users.upsertOnLogin(tx, login) : await this.users.updateOnLogin(tx, login);
    if (user) return user;
    if (policy.justInTimeProvisioning || (await this.users.isDeactivated(tx, tenant, identity.email.toLowerCase()))) {
      throw new ProvisioningError('user_deactivated', 'This user has been deactivated', identity.email);
    }
    throw new ProvisioningError('user_not_provisioned', 'This user has not been provisioned for this tenant', identity.email);
  }
}
