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
 * Groups drive the roles of directory-managed users: after a membership change, and after a change
 * of the tenant's role policy, with `groupsOverrideRole`. The rule is the one SAML logins use
 * (roleForGroups). Sessions read role and `active` from the users row on every request, so a change
 * holds at once on every instance.
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
   * After a membership change: the users' groups from `groupsOf` (see
   * DirectoryUsersRepository.refreshGroups) in one statement, then the roles of those whose groups
   * now give another one. With `skipLocked`, the users another transaction holds are answered as
   * `skipped`, for the caller to refresh in a later transaction.
   */
  async refresh(
    tenant: TenantRef,
    userIds: string[],
    groupsOf: (userId: string) => string,
    policy: RolePolicy,
    now: Date,
    manager: EntityManager,
    skipLocked: boolean,
  ): Promise<{ changes: RoleChange[]; skipped: string[] }> {
    const { refreshed, skipped } = await this.users.refreshGroups(tenant, userIds, groupsOf, now, manager, skipLocked);
    return { changes: await this.applyRoles(tenant, refreshed, policy, now, manager), skipped };
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
