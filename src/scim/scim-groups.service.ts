import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DirectoryUsersRepository } from '../provisioning/directory-users.repository';
import type { AuditChange } from '../sso-config/sso-config.entities';
import { SsoConfigRepository } from '../sso-config/sso-config.repository';
import { isUuid } from '../tenancy/tenant';
import { invalidValue, notFound } from './scim-error';
import { compileFilter } from './scim-filter';
import { GROUP_FILTER_ATTRIBUTES } from './scim-filter-attributes';
import { GroupRow, ScimGroupsRepository } from './scim-groups.repository';
import type { RoleChange } from '../provisioning/directory-roles';
import { ScimMemberships } from './scim-memberships';
import { applyPatch, memberListAfter, memberReference } from './scim-patch';
import { project, Projection, wants } from './scim-projection';
import { checkIfMatch, filterOf, listResponse, pagingOf, ScimContext } from './scim-request';
import { GROUP_RESOURCE, GROUP_SCHEMA } from './scim-schema';
import { ScimDocument, validateResource } from './scim-validation';
import type { ScimAnswer } from './scim-users.service';

interface GroupFields {
  displayName: string;
  externalId: string | null;
  memberIds: string[];
  /** The members the request names (added or removed), whether or not that changes them. */
  named?: string[];
}

/**
 * SCIM Groups: a display name unique per tenant, an external id and members (users of the tenant).
 * A membership change of a group `roleMapping` names recomputes its members' roles at the end of its transaction (ScimMemberships).
 */
@Injectable()
export class ScimGroupsService {
  constructor(
    private readonly groups: ScimGroupsRepository,
    private readonly users: DirectoryUsersRepository,
    private readonly memberships: ScimMemberships,
    private readonly audit: SsoConfigRepository,
  ) {}

  async list(context: ScimContext, query: Record<string, unknown>, projection: Projection) {
    const paging = pagingOf(query);
    const filter = filterOf(query);
    const where = filter ? compileFilter(filter, GROUP_FILTER_ATTRIBUTES, GROUP_SCHEMA, 3) : null;
    const page = await this.groups.page(context.tenant, where, paging.startIndex - 1, paging.count);
    const withMembers = wants(projection, 'members');
    const members = withMembers ? await this.groups.membersOf(page.items.map((group) => group.id)) : null;
    const labels = members ? await this.users.labels(context.tenant, [...new Set([...members.values()].flat())]) : new Map<string, string>();
    const resources = page.items.map((group) => project(render(context, group, members?.get(group.id) ?? null, labels).resource, projection));
    return listResponse(resources, page.total, paging);
  }

  /** `withMembers` false (excludedAttributes=members, as Entra ID reads groups) spares reading thousands of members. */
  async get(context: ScimContext, id: string, withMembers = true): Promise<ScimAnswer> {
    const group = await this.existing(context, id);
    if (!withMembers) return render(context, group, null, new Map());
    const memberIds = await this.groups.memberIds(group.id);
    return render(context, group, memberIds, await this.users.labels(context.tenant, memberIds));
  }

  async create(context: ScimContext, body: unknown): Promise<ScimAnswer> {
    const fields = fieldsOf(validateResource(body, GROUP_RESOURCE, { requireSchemas: true }));
    const id = randomUUID();
    const now = new Date();
    const refreshed = await this.groups.transaction(async (manager) => {
      const policy = await this.memberships.policy(context.tenant, manager);
      const takenOver = await this.memberships.checkMembers(context.tenant, fields.memberIds, manager);
      await this.groups.insert(context.tenant, { id, displayName: fields.displayName, externalId: fields.externalId, createdAt: now }, manager);
      await this.groups.addMembers(id, fields.memberIds, manager);
      const refresh = this.memberships.usersToRefresh(policy, [fields.displayName], fields.memberIds, takenOver);
      return this.memberships.refreshWithin(context.tenant, refresh, policy, now, manager);
    });
    const roleChanges = [...refreshed.changes, ...(await this.memberships.refreshSkipped(context.tenant, refreshed.skipped, now))];
    await this.record(context, 'scim.group.created', [
      { field: `groups.${id}`, old: null, new: { displayName: fields.displayName, externalId: fields.externalId, members: fields.memberIds.length } },
      ...roleAudit(roleChanges),
    ]);
    return this.get(context, id);
  }

  async replace(context: ScimContext, id: string, body: unknown, ifMatch: string | undefined): Promise<ScimAnswer> {
    const fields = fieldsOf(validateResource(body, GROUP_RESOURCE, { requireSchemas: true }));
    await this.change(context, id, ifMatch, () => fields);
    return this.get(context, id);
  }

  /** Answers the new version only: Okta and Entra ID expect 204 to a group PATCH, and a group may have thousands of members. */
  async patch(context: ScimContext, id: string, body: unknown, ifMatch: string | undefined): Promise<string> {
    return this.change(context, id, ifMatch, (group, memberIds) => {
      const members = memberListAfter(memberIds, body, { resource: GROUP_RESOURCE, resourceId: group.id });
      if (members) return { displayName: group.displayName, externalId: group.externalId, memberIds: checkedMemberIds(members.after), named: members.named };
      const document: ScimDocument = {
        displayName: group.displayName,
        ...(group.externalId !== null ? { externalId: group.externalId } : {}),
        ...(memberIds.length > 0 ? { members: memberIds.map((value) => ({ value })) } : {}),
      };
      const patched = applyPatch(document, body, { resource: GROUP_RESOURCE, resourceId: group.id });
      return fieldsOf(validateResource(patched, GROUP_RESOURCE, { requireSchemas: false }));
    }, namedMembers(body));
  }

  async delete(context: ScimContext, id: string, ifMatch: string | undefined): Promise<void> {
    const found = await this.existing(context, id);
    checkIfMatch(ifMatch, versionOf(found));
    const now = new Date();
    const { memberIds, refreshed } = await this.groups.transaction(async (manager) => {
      const policy = await this.memberships.policy(context.tenant, manager);
      const group = await this.lockedGroup(context, found.id, manager);
      const members = await this.groups.memberIds(group.id, manager);
      await this.groups.delete(context.tenant, group.id, manager);
      const refresh = this.memberships.usersToRefresh(policy, [group.displayName], members, []);
      return { memberIds: members, refreshed: await this.memberships.refreshWithin(context.tenant, refresh, policy, now, manager) };
    });
    const roleChanges = [...refreshed.changes, ...(await this.memberships.refreshSkipped(context.tenant, refreshed.skipped, now))];
    await this.record(context, 'scim.group.deleted', [
      { field: `groups.${found.id}`, old: { displayName: found.displayName, members: memberIds.length }, new: null },
      ...roleAudit(roleChanges),
    ]);
  }

  /**
   * One change of a group under its row lock: fields, member additions and removals, and the
   * members' groups and roles. With `scope` (a PATCH of member additions and removals only), `next`
   * sees the members among those ids only: a group of thousands is not read to add a hundred.
   */
  private async change(
    context: ScimContext,
    id: string,
    ifMatch: string | undefined,
    next: (group: GroupRow, memberIds: string[]) => GroupFields,
    scope: string[] | null = null,
  ): Promise<string> {
    if (!isUuid(id)) throw notFound(`Group ${id} not found`);
    const now = new Date();
    const outcome = await this.groups.transaction(async (manager) => {
      const policy = await this.memberships.policy(context.tenant, manager);
      const group = await this.groups.beginChange(context.tenant, id.toLowerCase(), now, manager);
      if (!group) throw notFound(`Group ${id} not found`);
      checkIfMatch(ifMatch, versionOf(group));
      const before = scope ? await this.groups.membersAmong(group.id, scope, manager) : await this.groups.memberIds(group.id, manager);
      const fields = next(group, before);
      const current = new Set(before);
      const wanted = new Set(fields.memberIds);
      const added = fields.memberIds.filter((member) => !current.has(member));
      const removed = before.filter((member) => !wanted.has(member));
      const renamed = fields.displayName !== group.displayName;
      // The users the request names count as affected even when already (or no longer) members: see ScimMemberships.
      const named = renamed ? before : [...added, ...removed, ...(fields.named ?? []).filter(isUuid)];
      const takenOver = await this.memberships.checkMembers(context.tenant, added, manager);
      if (renamed || fields.externalId !== group.externalId) await this.groups.setFields(context.tenant, group.id, fields, manager);
      await this.groups.addMembers(group.id, added, manager);
      await this.groups.removeMembers(group.id, removed, manager);
      const refresh = this.memberships.usersToRefresh(policy, [group.displayName, fields.displayName], [...named, ...added], takenOver);
      const refreshed = await this.memberships.refreshWithin(context.tenant, refresh, policy, now, manager);
      return { group, fields, added, removed, refreshed, version: `W/"${group.version + 1}"` };
    });
    const roleChanges = [...outcome.refreshed.changes, ...(await this.memberships.refreshSkipped(context.tenant, outcome.refreshed.skipped, now))];
    const changes: AuditChange[] = [];
    const { group, fields } = outcome;
    if (fields.displayName !== group.displayName) changes.push({ field: `groups.${group.id}.displayName`, old: group.displayName, new: fields.displayName });
    if (fields.externalId !== group.externalId) changes.push({ field: `groups.${group.id}.externalId`, old: group.externalId, new: fields.externalId });
    if (outcome.added.length > 0 || outcome.removed.length > 0) {
      changes.push({ field: `groups.${group.id}.members`, old: null, new: { added: outcome.added, removed: outcome.removed } });
    }
    if (changes.length > 0 || roleChanges.length > 0) await this.record(context, 'scim.group.updated', [...changes, ...roleAudit(roleChanges)]);
    return outcome.version;
  }

  private async lockedGroup(context: ScimContext, id: string, manager: EntityManager): Promise<GroupRow> {
    const group = await this.groups.find(context.tenant, id, manager, true);
    if (!group) throw notFound(`Group ${id} not found`);
    return group;
  }

  private async existing(context: ScimContext, id: string): Promise<GroupRow> {
    const group = isUuid(id) ? await this.groups.find(context.tenant, id.toLowerCase()) : null;
    if (!group) throw notFound(`Group ${id} not found`);
    return group;
  }

  private record(context: ScimContext, action: string, changes: AuditChange[]): Promise<void> {
    return this.audit.addAudit(context.tenant, { actorType: 'scim_token', actorId: context.tokenId }, action, changes);
  }
}

function fieldsOf(document: ScimDocument): GroupFields {
  const members = Array.isArray(document.members) ? document.members.map(memberReference) : [];
  return {
    displayName: (document.displayName as string).trim(),
    externalId: typeof document.externalId === 'string' ? document.externalId : null,
    memberIds: checkedMemberIds([...new Set(members.map((member) => member.value))]),
  };
}

/**
 * The users a PATCH of member additions and removals names; null for any other PATCH, or one that
 * does not normalise (its error is raised in the change, after the group is found).
 */
function namedMembers(body: unknown): string[] | null {
  try {
    return memberListAfter([], body, { resource: GROUP_RESOURCE, resourceId: '' })?.named.filter(isUuid) ?? null;
  } catch {
    return null;
  }
}

/** Members name users by id: anything but a UUID is no user of the tenant. */
function checkedMemberIds(memberIds: string[]): string[] {
  const invalid = memberIds.find((member) => !isUuid(member));
  if (invalid) throw invalidValue(`Member "${invalid}" is not a user of this tenant`);
  return memberIds;
}

function versionOf(group: GroupRow): string {
  return `W/"${group.version}"`;
}

function render(context: ScimContext, group: GroupRow, memberIds: string[] | null, labels: Map<string, string>): ScimAnswer {
  const version = versionOf(group);
  const resource: ScimDocument = {
    schemas: [GROUP_SCHEMA],
    id: group.id,
    displayName: group.displayName,
    ...(group.externalId !== null ? { externalId: group.externalId } : {}),
    ...(memberIds
      ? {
          members: memberIds.map((value) => ({
            value,
            ...(labels.has(value) ? { display: labels.get(value) } : {}),
            $ref: `${context.baseUrl}/Users/${value}`,
            type: 'User',
          })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: new Date(group.createdAt).toISOString(),
      lastModified: new Date(group.updatedAt).toISOString(),
      location: `${context.baseUrl}/Groups/${group.id}`,
      version,
    },
  };
  return { resource, version };
}

function roleAudit(changes: RoleChange[]): AuditChange[] {
  return changes.map((change) => ({ field: `users.${change.userId}.role`, old: change.old, new: change.new }));
}
