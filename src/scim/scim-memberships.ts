import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DirectoryUsersRepository } from '../provisioning/directory-users.repository';
import { roleForGroups } from '../provisioning/role-resolver';
import { defaultStoredOptions, optionsOf, StoredSsoOptions } from '../sso-config/sso-options';
import { SsoConfigRepository } from '../sso-config/sso-config.repository';
import type { Role } from '../sso-config/sso-config.types';
import type { TenantRef } from '../tenancy/tenant';
import { invalidValue } from './scim-error';
import { ScimGroupsRepository } from './scim-groups.repository';

export type RolePolicy = Pick<StoredSsoOptions, 'roleMapping' | 'defaultRole' | 'groupsOverrideRole'>;

export interface RoleChange {
  userId: string;
  old: Role;
  new: Role;
}

/**
 * Groups drive roles: after a membership change, each affected user's groups become the display
 * names of their SCIM groups and, with `groupsOverrideRole`, their role is recomputed from the
 * tenant's `roleMapping` in the same transaction. Sessions read role and `active` from the users
 * row on every request, so the change holds at once on every instance.
 */
@Injectable()
export class ScimMemberships {
  constructor(
    private readonly users: DirectoryUsersRepository,
    private readonly groups: ScimGroupsRepository,
    private readonly ssoConfigs: SsoConfigRepository,
  ) {}

  /** Read before a transaction starts: inside one it would hold a second connection of the pool. */
  async policy(tenant: TenantRef): Promise<RolePolicy> {
    const config = await this.ssoConfigs.find(tenant);
    const { roleMapping, defaultRole, groupsOverrideRole } = config ? optionsOf(config) : defaultStoredOptions();
    return { roleMapping, defaultRole, groupsOverrideRole };
  }

  /** The role a user the directory creates starts with: what no group gives. */
  initialRole({ roleMapping, defaultRole }: RolePolicy): Role {
    return roleForGroups([], roleMapping, defaultRole);
  }

  /**
   * Locks every user whose membership is about to change, all at once in id order (FOR NO KEY
   * UPDATE, which the membership rows' foreign-key locks do not conflict with), so that concurrent
   * changes of several groups cannot deadlock; refuses the `added` ids that are no user of the tenant.
   */
  async lockMembers(tenant: TenantRef, affected: string[], added: string[], manager: EntityManager): Promise<void> {
    const locked = await this.users.lock(tenant, [...new Set([...affected, ...added])], manager);
    const found = new Set(locked.map((user) => user.id));
    const missing = added.find((id) => !found.has(id));
    if (missing) throw invalidValue(`Member "${missing}" is not a user of this tenant`);
  }

  /** Call after the membership rows changed, with the users locked (lockMembers). */
  async refresh(tenant: TenantRef, userIds: string[], policy: RolePolicy, now: Date, manager: EntityManager): Promise<RoleChange[]> {
    if (userIds.length === 0) return [];
    const locked = await this.users.lock(tenant, userIds, manager);
    const groupsByUser = await this.groups.displayNamesOf(locked.map((user) => user.id), manager);
    const changes: RoleChange[] = [];
    const updates = locked.map(({ id, role }) => {
      const groups = groupsByUser.get(id) ?? [];
      const newRole = policy.groupsOverrideRole ? roleForGroups(groups, policy.roleMapping, policy.defaultRole) : null;
      if (newRole && newRole !== role) changes.push({ userId: id, old: role, new: newRole });
      return { userId: id, groups, role: newRole };
    });
    await this.users.setGroups(tenant, updates, now, manager);
    return changes;
  }
}
