import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isEmail } from '../provisioning/attribute-resolver';
import { DirectoryUser, DirectoryUserFields, DirectoryUsersRepository } from '../provisioning/directory-users.repository';
import { UserAccess } from '../provisioning/user-access';
import type { AuditChange } from '../sso-config/sso-config.entities';
import { SsoConfigRepository } from '../sso-config/sso-config.repository';
import { isUuid } from '../tenancy/tenant';
import { invalidValue, notFound, uniqueness } from './scim-error';
import { compileFilter } from './scim-filter';
import { USER_FILTER_ATTRIBUTES } from './scim-filter-attributes';
import { ScimGroupsRepository } from './scim-groups.repository';
import type { RolePolicy } from '../provisioning/directory-roles';
import { ScimMemberships } from './scim-memberships';
import { roleForGroups } from '../provisioning/role-resolver';
import type { Role } from '../sso-config/sso-config.types';
import { applyPatch } from './scim-patch';
import { project, Projection, wants } from './scim-projection';
import { canonicalJson, checkIfMatch, contentVersion, filterOf, listResponse, pagingOf, ScimContext } from './scim-request';
import { ENTERPRISE_USER_SCHEMA, USER_RESOURCE, USER_SCHEMA } from './scim-schema';
import { isObject, ScimDocument, validateResource } from './scim-validation';

/** Attributes kept in their own columns; the rest of the document is stored as sent. */
const COLUMN_ATTRIBUTES = ['userName', 'externalId', 'active', 'displayName'];

export interface ScimAnswer {
  resource: ScimDocument;
  version: string;
}

type UserGroups = { id: string; displayName: string }[];

/**
 * SCIM Users (RFC 7644 §3) over the tenant's users: the same users as SSO and the Users API. The
 * email is the primary (else the work, else the first) email, else the userName when it is one.
 */
@Injectable()
export class ScimUsersService {
  constructor(
    private readonly users: DirectoryUsersRepository,
    private readonly groups: ScimGroupsRepository,
    private readonly memberships: ScimMemberships,
    private readonly access: UserAccess,
    private readonly audit: SsoConfigRepository,
  ) {}

  async list(context: ScimContext, query: Record<string, unknown>, projection: Projection) {
    const paging = pagingOf(query);
    const filter = filterOf(query);
    const where = filter ? compileFilter(filter, USER_FILTER_ATTRIBUTES, USER_SCHEMA, 3) : null;
    const page = await this.users.page(context.tenant, where, paging.startIndex - 1, paging.count);
    const groups = wants(projection, 'groups') ? await this.groups.groupsOf(page.items.map((user) => user.id)) : new Map<string, UserGroups>();
    const resources = page.items.map((user) => project(render(context, user, groups.get(user.id) ?? []).resource, projection));
    return listResponse(resources, page.total, paging);
  }

  async get(context: ScimContext, id: string): Promise<ScimAnswer> {
    const user = await this.existing(context, id);
    return render(context, user, await this.groupsOf(user.id));
  }

  async create(context: ScimContext, body: unknown): Promise<ScimAnswer> {
    const fields = fieldsOf(validateResource(body, USER_RESOURCE, { requireSchemas: true }), true);
    const now = new Date();
    const { id, takenOver, role } = await this.groups.transaction(async (manager) => {
      const policy = await this.memberships.policy(context.tenant, manager);
      const newId = randomUUID();
      const initialRole = this.memberships.initialRole(policy);
      // Inserted first: a directory's users are new far more often than not, and this spares a read.
      if (await this.users.insert(context.tenant, newId, fields, initialRole, now, manager)) return { id: newId, takenOver: null, role: initialRole };
      const existing = await this.users.findByEmail(context.tenant, fields.email, manager);
      // Absent only when a concurrent request deleted it since the insert: refused as taken, as it was then.
      if (!existing || existing.scimManaged) throw uniqueness(`A user with the email ${fields.email} exists`);
      // A user that SAML logins created before the directory was connected: the directory takes it over.
      const handover = takeOver(existing, policy);
      await this.users.update(context.tenant, existing.id, fields, now, manager, handover);
      return { id: existing.id, takenOver: existing, role: handover.role };
    });
    if (!fields.active) await this.access.end(context.tenant, id);
    await this.record(context, 'scim.user.created', [
      { field: `users.${id}`, old: takenOver ? 'provisioned by SAML login' : null, new: summary(fields) },
    ]);
    // Rendered from what was just written (no group yet, taken over or not) rather than read back.
    const written: DirectoryUser = {
      id,
      ...fields,
      role,
      scimManaged: true,
      createdAt: takenOver?.createdAt ?? now,
      updatedAt: now,
    };
    return render(context, written, []);
  }

  async replace(context: ScimContext, id: string, body: unknown, ifMatch: string | undefined): Promise<ScimAnswer> {
    const user = await this.existing(context, id);
    checkIfMatch(ifMatch, render(context, user, await this.groupsOf(user.id)).version);
    const fields = fieldsOf(validateResource(body, USER_RESOURCE, { requireSchemas: true }), user.active);
    return this.write(context, user, fields);
  }

  async patch(context: ScimContext, id: string, body: unknown, ifMatch: string | undefined): Promise<ScimAnswer> {
    const user = await this.existing(context, id);
    checkIfMatch(ifMatch, render(context, user, await this.groupsOf(user.id)).version);
    const patched = applyPatch(editableDocument(user), body, { resource: USER_RESOURCE, resourceId: user.id });
    return this.write(context, user, fieldsOf(validateResource(patched, USER_RESOURCE, { requireSchemas: false }), user.active));
  }

  /** Removes the user: its memberships go with the row; its sessions, grants and tokens are ended. */
  async delete(context: ScimContext, id: string, ifMatch: string | undefined): Promise<void> {
    const user = await this.existing(context, id);
    const groups = await this.groupsOf(user.id);
    checkIfMatch(ifMatch, render(context, user, groups).version);
    await this.groups.transaction(async (manager) => {
      await this.groups.touch(groups.map((group) => group.id), new Date(), manager);
      if (!(await this.users.delete(context.tenant, user.id, manager))) throw notFound('User not found');
    });
    await this.access.end(context.tenant, user.id);
    await this.record(context, 'scim.user.deleted', [{ field: `users.${user.id}`, old: user.userName ?? user.email, new: null }]);
  }

  private async write(context: ScimContext, user: DirectoryUser, fields: DirectoryUserFields): Promise<ScimAnswer> {
    await this.groups.transaction(async (manager) => {
      const handover = user.scimManaged ? undefined : takeOver(user, await this.memberships.policy(context.tenant, manager));
      await this.users.update(context.tenant, user.id, fields, new Date(), manager, handover);
    });
    if (user.active && !fields.active) await this.access.end(context.tenant, user.id);
    const changes = diff(user, fields);
    if (changes.length > 0) await this.record(context, 'scim.user.updated', changes.map((change) => ({ ...change, field: `users.${user.id}.${change.field}` })));
    return this.get(context, user.id);
  }

  private async existing(context: ScimContext, id: string): Promise<DirectoryUser> {
    const user = isUuid(id) ? await this.users.find(context.tenant, id.toLowerCase()) : null;
    if (!user) throw notFound(`User ${id} not found`);
    return user;
  }

  private async groupsOf(userId: string): Promise<UserGroups> {
    return (await this.groups.groupsOf([userId])).get(userId) ?? [];
  }

  private record(context: ScimContext, action: string, changes: AuditChange[]): Promise<void> {
    return this.audit.addAudit(context.tenant, { actorType: 'scim_token', actorId: context.tokenId }, action, changes);
  }
}

/**
 * What a user that SAML logins created keeps when the directory takes it over: no group (its groups
 * are now its SCIM groups), and the role those give when groups decide roles, else its own.
 */
function takeOver(user: DirectoryUser, policy: RolePolicy): { groups: string[]; role: Role } {
  return { groups: [], role: policy.groupsOverrideRole ? roleForGroups([], policy.roleMapping, policy.defaultRole) : user.role };
}

function fieldsOf(document: ScimDocument, activeWhenAbsent: boolean): DirectoryUserFields {
  const userName = (document.userName as string).trim();
  const name = isObject(document.name) ? document.name : {};
  const email = emailOf(document.emails) ?? (isEmail(userName) ? userName : null);
  if (!email) throw invalidValue('The user needs an email: in "emails", or a "userName" that is an email address');
  if (!isEmail(email)) throw invalidValue(`"${email}" is not an email address`);
  const rest = Object.fromEntries(Object.entries(document).filter(([key]) => !COLUMN_ATTRIBUTES.includes(key)));
  return {
    email,
    userName,
    firstName: typeof name.givenName === 'string' ? name.givenName : null,
    lastName: typeof name.familyName === 'string' ? name.familyName : null,
    displayName: typeof document.displayName === 'string' ? document.displayName : null,
    externalId: typeof document.externalId === 'string' ? document.externalId : null,
    active: typeof document.active === 'boolean' ? document.active : activeWhenAbsent,
    document: rest,
  };
}

/** The primary email, else the work one, else the first. */
function emailOf(emails: unknown): string | null {
  if (!Array.isArray(emails)) return null;
  const values = emails.filter((email): email is { value: string; type?: string; primary?: boolean } => typeof email?.value === 'string');
  const chosen = values.find((email) => email.primary === true) ?? values.find((email) => email.type?.toLowerCase() === 'work') ?? values[0];
  return chosen ? chosen.value.trim() : null;
}

/** The document PATCH applies to: what a read shows, without the read-only parts. */
function editableDocument(user: DirectoryUser): ScimDocument {
  const { resource } = renderDocument(user);
  return resource;
}

function renderDocument(user: DirectoryUser): { resource: ScimDocument } {
  const stored = user.document ?? {};
  const name = { ...(isObject(stored.name) ? stored.name : {}) } as Record<string, unknown>;
  if (user.firstName !== null) name.givenName = user.firstName;
  else delete name.givenName;
  if (user.lastName !== null) name.familyName = user.lastName;
  else delete name.familyName;
  const { name: _name, emails, ...others } = stored;
  const resource: ScimDocument = {
    ...(user.externalId !== null ? { externalId: user.externalId } : {}),
    userName: user.userName ?? user.email,
    ...(Object.keys(name).length > 0 ? { name } : {}),
    ...(user.displayName !== null ? { displayName: user.displayName } : {}),
    active: user.active,
    emails: Array.isArray(emails) ? emails : [{ value: user.email, type: 'work', primary: true }],
    ...others,
  };
  return { resource };
}

function render(context: ScimContext, user: DirectoryUser, groups: UserGroups): ScimAnswer {
  const { resource: document } = renderDocument(user);
  const body: ScimDocument = {
    schemas: document[ENTERPRISE_USER_SCHEMA] ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA],
    id: user.id,
    ...document,
    groups: groups.map((group) => ({ value: group.id, display: group.displayName, $ref: `${context.baseUrl}/Groups/${group.id}`, type: 'direct' })),
  };
  const version = contentVersion(body);
  const meta = {
    resourceType: 'User',
    created: new Date(user.createdAt).toISOString(),
    lastModified: new Date(user.updatedAt).toISOString(),
    location: `${context.baseUrl}/Users/${user.id}`,
    version,
  };
  return { resource: { ...body, meta }, version };
}

function summary(fields: DirectoryUserFields) {
  return { userName: fields.userName, email: fields.email, externalId: fields.externalId, active: fields.active };
}

function diff(before: DirectoryUser, after: DirectoryUserFields): AuditChange[] {
  const pairs: [string, unknown, unknown][] = [
    ['userName', before.userName, after.userName],
    ['email', before.email, after.email],
    ['active', before.active, after.active],
    ['externalId', before.externalId, after.externalId],
    ['displayName', before.displayName, after.displayName],
    ['firstName', before.firstName, after.firstName],
    ['lastName', before.lastName, after.lastName],
  ];
  const changes: AuditChange[] = pairs.filter(([, old, next]) => old !== next).map(([field, old, next]) => ({ field, old, new: next }));
  if (canonicalJson(before.document ?? {}) !== canonicalJson(after.document)) changes.push({ field: 'attributes', old: null, new: 'changed' });
  return changes;
}

