import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DirectoryRoles, RoleChange, RolePolicy } from '../provisioning/directory-roles';
import { DirectoryUsersRepository } from '../provisioning/directory-users.repository';
import { SsoConfigRepository } from '../sso-config/sso-config.repository';
import type { TenantRef } from '../tenancy/tenant';
import { invalidValue } from './scim-error';
import { ScimGroupsRepository } from './scim-groups.repository';

/**
 * Groups drive roles: after a membership change, each affected user's groups become the display
 * names of their SCIM groups and, with `groupsOverrideRole`, their role is recomputed from the
 * tenant's `roleMapping`, in the transaction of the change (DirectoryRoles, in provisioning, writes
 * the users). A change locks, in this order: the tenant's role policy (shared), the group,
 * then its affected users in id order, these only for the last two statements before the commit,
 * so that overlapping groups filled at once wait on each other for milliseconds, not for the
 * whole change.
 */
@Injectable()
export class ScimMemberships {
  constructor(
    private readonly users: DirectoryUsersRepository,
    private readonly roles: DirectoryRoles,
    private readonly groups: ScimGroupsRepository,
    private readonly ssoConfigs: SsoConfigRepository,
  ) {}

  /** First thing in a change's transaction: a change of the policy then waits for it, or it sees the new policy. */
  async policy(tenant: TenantRef, manager: EntityManager): Promise<RolePolicy> {
    await this.roles.holdPolicy(tenant, manager);
    return this.ssoConfigs.rolePolicy(tenant, manager);
  }

  initialRole(policy: RolePolicy) {
    return this.roles.initialRole(policy);
  }

  /** Refuses the `added` ids that are no user of the tenant. */
  async checkMembers(tenant: TenantRef, added: string[], manager: EntityManager): Promise<void> {
    const found = await this.users.existingIds(tenant, added, manager);
    const missing = added.find((id) => !found.has(id));
    if (missing) throw invalidValue(`Member "${missing}" is not a user of this tenant`);
  }

  /** Last thing in a change's transaction, after the membership rows changed. */
  refresh(tenant: TenantRef, userIds: string[], policy: RolePolicy, now: Date, manager: EntityManager): Promise<RoleChange[]> {
    return this.roles.refresh(tenant, userIds, this.groups.displayNamesSql, policy, now, manager);
  }
}
