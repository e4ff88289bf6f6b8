import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StoredSsoOptions } from '../sso-config/sso-options';
import type { Role } from '../sso-config/sso-config.types';
import type { TenantRef } from '../tenancy/tenant';
import { DirectoryUsersRepository } from './directory-users.repository';
import { roleForGroups } from './role-resolver';

export type RolePolicy = Pick<StoredSsoOptions, 'roleMapping' | 'defaultRole' | 'groupsOverrideRole'>;

export interface RoleChange {
  userId: string;
  old: Role;
  new: Role;
}

/**
 * Groups drive the roles of directory-managed users: after a membership change of a group that
 * `roleMapping` names, and after a change of the tenant's role policy, with `groupsOverrideRole`.
 * The rule is the one SAML logins use (roleForGroups). Sessions read role and `active` from the
 * users row on every request, so a change holds at once on every instance.
 */
@Injectable()
export class DirectoryRoles {
  constructor(private readonly users: DirectoryUsersRepository) {}

  /**
   * First thing in a directory change that computes roles, before `policy` is read in the same
   * transaction: a change of the policy (applyPolicy) then either waits for it or comes before it.
   */
  holdPolicy(tenant: TenantRef, manager: EntityManager): Promise<void> {
    return this.users.lockRolePolicy(tenant, 'shared', manager);
  }

  /** The role a user the directory creates starts with: what no group gives. */
  initialRole({ roleMapping, defaultRole }: RolePolicy): Role {
    return roleForGroups([], roleMapping, defaultRole);
  }

  /**
   * Whether a change of the memberships of groups with these display names can change a role:
   * only when groups decide roles and `roleMapping` names one of them (the rule ignores the rest).
   */
  decidesRoles({ roleMapping, groupsOverrideRole }: RolePolicy, groupNames: string[]): boolean {
    if (!groupsOverrideRole) return false;
    const names = new Set(groupNames.map((name) => name.toLowerCase()));
    return roleMapping.some(({ group }) => names.has(group.toLowerCase()));
  }

  /**
   * After a membership change: locks the users (taking over those SAML logins created), reads their
   * groups and writes the roles that change. With `skipLocked`, the users another transaction holds
   * are answered as `skipped`, for the caller to refresh in a later transaction.
   */
  async refresh(
    tenant: TenantRef,
    userIds: string[],
    policy: RolePolicy,
    now: Date,
    manager: EntityManager,
    skipLocked: boolean,
  ): Promise<{ changes: RoleChange[]; skipped: string[] }> {
    const { locked, skipped } = await this.users.lockForRoles(tenant, userIds, now, manager, skipLocked);
    return { changes: await this.applyRoles(tenant, locked, policy, now, manager), skipped };
  }

  /**
   * After a change of `roleMapping`, `defaultRole` or `groupsOverrideRole`, in the settings'
   * transaction (after the write): waits for the directory changes in flight, then recomputes every
   * directory-managed user's role from their groups.
   */
  async applyPolicy(tenant: TenantRef, policy: RolePolicy, now: Date, manager: EntityManager): Promise<RoleChange[]> {
    await this.users.lockRolePolicy(tenant, 'exclusive', manager);
    if (!policy.groupsOverrideRole) return [];
    return this.applyRoles(tenant, await this.users.lockDirectoryManaged(tenant, manager), policy, now, manager);
  }

  private async applyRoles(
    tenant: TenantRef,
    users: { id: string; role: Role; groups: string[] }[],
    policy: RolePolicy,
    now: Date,
    manager: EntityManager,
  ): Promise<RoleChange[]> {
    if (!policy.groupsOverrideRole) return [];
    const changes = users.flatMap(({ id, role, groups }) => {
      const next = roleForGroups(groups, policy.roleMapping, policy.defaultRole);
      return next === role ? [] : [{ userId: id, old: role, new: next }];
    });
    await this.users.setRoles(tenant, changes.map((change) => ({ id: change.userId, role: change.new })), now, manager);
    return changes;
  }
}
