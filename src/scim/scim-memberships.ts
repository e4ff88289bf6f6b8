import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';
import { DirectoryRoles, RoleChange, RolePolicy } from '../provisioning/directory-roles';
import { DirectoryUsersRepository } from '../provisioning/directory-users.repository';
import { SsoConfigRepository } from '../sso-config/sso-config.repository';
import type { TenantRef } from '../tenancy/tenant';
import { invalidValue } from './scim-error';
import { ScimGroupsRepository } from './scim-groups.repository';

/** Refresh attempts that skip the users other changes hold, before one that waits for them. */
const SKIPPING_ATTEMPTS = 8;
const RETRY_DELAY_MS = 5;

/**
 * Groups drive roles: after a membership change, each affected user's groups become the display
 * names of their SCIM groups and, with `groupsOverrideRole`, their role is recomputed from the
 * tenant's `roleMapping` (DirectoryRoles, in provisioning, writes the users), before the change is
 * answered: the next request of a live session has the new role.
 *
 * A change locks, in this order: the tenant's role policy (shared; see DirectoryRoles.holdPolicy),
 * the group row, then, in its last statements, the affected users that no other change holds
 * (SKIP LOCKED); the users it skipped are refreshed after its commit, in short transactions that
 * skip and retry in turn. Overlapping groups filled at once (a directory's first cycle: each user
 * in dozens of groups) then never wait on each other while holding locks: waiting for the users
 * inside the change queued the changes one behind the other and ran the pool dry. A refresh reads
 * the memberships once it holds the user's lock, and a change refreshes what it skipped only after
 * its own commit, so the last refresh of a user sees every committed membership. Should the
 * process end between the commit and a retried refresh, the IdP retries the unanswered change: a
 * change refreshes every member it names, changed or not, which repairs it.
 */
@Injectable()
export class ScimMemberships {
  constructor(
    private readonly users: DirectoryUsersRepository,
    private readonly roles: DirectoryRoles,
    private readonly groups: ScimGroupsRepository,
    private readonly ssoConfigs: SsoConfigRepository,
  ) {}

  /** First thing in a transaction that computes roles: a change of the policy then waits for it, or it sees the new policy. */
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

  /**
   * Last thing in the change's transaction (with the policy it read first): the users no other
   * change holds. Answers the role changes and the users it skipped, for refreshSkipped.
   */
  async refreshWithin(
    tenant: TenantRef,
    userIds: string[],
    policy: RolePolicy,
    now: Date,
    manager: EntityManager,
  ): Promise<{ changes: RoleChange[]; skipped: string[] }> {
    return this.roles.refresh(tenant, [...new Set(userIds)], this.groups.displayNamesSql, policy, now, manager, true);
  }

  /** After the change committed: the users refreshWithin skipped, each attempt in a short transaction of its own. */
  async refreshSkipped(tenant: TenantRef, userIds: string[], now: Date): Promise<RoleChange[]> {
    const changes: RoleChange[] = [];
    let pending = userIds;
    for (let attempt = 1; pending.length > 0; attempt++) {
      await sleep(RETRY_DELAY_MS * attempt);
      const skipLocked = attempt < SKIPPING_ATTEMPTS;
      const outcome = await this.groups.transaction(async (manager) => {
        const policy = await this.policy(tenant, manager);
        return this.roles.refresh(tenant, pending, this.groups.displayNamesSql, policy, now, manager, skipLocked);
      });
      changes.push(...outcome.changes);
      pending = outcome.skipped;
    }
    return changes;
  }
}
