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
 * Groups drive roles. A directory-managed user's groups are read from the memberships wherever they
 * are shown (`directory_user_groups`), so a membership change writes only member rows; with
 * `groupsOverrideRole`, a change of a group that `roleMapping` names also recomputes its affected
 * users' roles (DirectoryRoles, in provisioning, writes the users) before the change is answered:
 * the next request of a live session has the new role. No other group can change a role.
 *
 * A change locks, in this order: the tenant's role policy (shared; see DirectoryRoles.holdPolicy),
 * the group row, then, in its last statements and only when roles are to be recomputed, the
 * affected users that no other change holds (SKIP LOCKED); the users it skipped are recomputed
 * after its commit, in short transactions that skip and retry in turn. Overlapping groups filled at
 * once then never wait on each other while holding locks: waiting for the users inside the change
 * queued the changes one behind the other and ran the pool dry. A recomputation reads the
 * memberships once it holds the user's lock, and a change recomputes what it skipped only after its
 * own commit, so the last one of a user sees every committed membership. Should the process end
 * between the commit and a retried recomputation, the IdP retries the unanswered change: a change
 * recomputes every member it names, changed or not, which repairs it.
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

  /**
   * Refuses the `added` ids that are no user of the tenant; answers those SAML logins created, whom
   * the directory takes over as they join (see usersToRefresh).
   */
  async checkMembers(tenant: TenantRef, added: string[], manager: EntityManager): Promise<string[]> {
    const { existing, unmanaged } = await this.users.memberCandidates(tenant, added, manager);
    const missing = added.find((id) => !existing.has(id));
    if (missing) throw invalidValue(`Member "${missing}" is not a user of this tenant`);
    return unmanaged;
  }

  /**
   * The users a change of the memberships of groups with these display names (before and after a
   * rename) refreshes: the members it names when `roleMapping` names one of the groups, and in any
   * case the members the directory takes over.
   */
  usersToRefresh(policy: RolePolicy, groupNames: string[], named: string[], takenOver: string[]): string[] {
    return this.roles.decidesRoles(policy, groupNames) ? [...new Set([...named, ...takenOver])] : takenOver;
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
    return this.roles.refresh(tenant, [...new Set(userIds)], policy, now, manager, true);
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
        return this.roles.refresh(tenant, pending, policy, now, manager, skipLocked);
      });
      changes.push(...outcome.changes);
      pending = outcome.skipped;
    }
    return changes;
  }
}
