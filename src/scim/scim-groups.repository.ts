import { Injectable } from '@nestjs/common';
import { EntityManager, QueryFailedError } from 'typeorm';
import { ConflictError } from '../common/domain-errors';
import { Database } from '../database/database.service';
import { readPage, SqlPredicate } from '../database/paging';
import type { TenantRef } from '../tenancy/tenant';
import { invalidValue } from './scim-error';

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

export interface GroupRow {
  id: string;
  displayName: string;
  externalId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `g.id, g.display_name AS "displayName", g.external_id AS "externalId", g.version,
  g.created_at AS "createdAt", g.updated_at AS "updatedAt"`;
const SELECT = `SELECT ${COLUMNS} FROM scim_groups g`;

/** SCIM groups and their members. */
@Injectable()
export class ScimGroupsRepository {
  constructor(private readonly database: Database) {}

  get manager(): EntityManager {
    return this.database.manager;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.database.transaction(work);
  }

  /** With `forUpdate`, the row stays locked until the transaction ends: changes to one group apply one after the other. */
  async find(tenant: TenantRef, id: string, manager: EntityManager = this.manager, forUpdate = false): Promise<GroupRow | null> {
    const rows: GroupRow[] = await manager.query(
      `${SELECT} WHERE g.tenant_type = $1 AND g.tenant_id = $2 AND g.id = $3${forUpdate ? ' FOR UPDATE' : ''}`,
      [tenant.type, tenant.id, id],
    );
    return rows[0] ?? null;
  }

  /** One page in a stable order (creation, then id); `where` is a predicate over the alias `g`, its parameters numbered from $3. */
  async page(tenant: TenantRef, where: SqlPredicate | null, offset: number, limit: number): Promise<{ items: GroupRow[]; total: number }> {
    return readPage<GroupRow>(
      this.manager,
      {
        columns: COLUMNS,
        from: 'scim_groups g',
        key: 'g.id',
        scope: { sql: 'g.tenant_type = $1 AND g.tenant_id = $2', parameters: [tenant.type, tenant.id] },
        where,
        orderBy: 'g.created_at, g.id',
      },
      offset,
      limit,
    );
  }

  async insert(tenant: TenantRef, group: Omit<GroupRow, 'version' | 'updatedAt'>, manager: EntityManager): Promise<void> {
    await conflictsAsErrors(() =>
      manager.query(
        `INSERT INTO scim_groups (id, tenant_type, tenant_id, display_name, external_id, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 1, $6, $6)`,
        [group.id, tenant.type, tenant.id, group.displayName, group.externalId, group.createdAt],
      ),
    );
  }

  /**
   * The first statement of a change of the group: locks its row until the transaction ends (changes
   * to one group apply one after the other) and gives it its next version. Answers the group as it
   * was before, or null when it is not the tenant's.
   */
  async beginChange(tenant: TenantRef, id: string, now: Date, manager: EntityManager): Promise<GroupRow | null> {
    const [rows]: [GroupRow[], number] = await manager.query(
      `UPDATE scim_groups g SET version = g.version + 1, updated_at = $4
       WHERE g.tenant_type = $1 AND g.tenant_id = $2 AND g.id = $3
       RETURNING g.id, g.display_name AS "displayName", g.external_id AS "externalId", g.version - 1 AS version, g.created_at AS "createdAt"`,
      [tenant.type, tenant.id, id, now],
    );
    return rows[0] ? { ...rows[0], updatedAt: now } : null;
  }

  /** Within a change begun by beginChange. */
  async setFields(tenant: TenantRef, id: string, fields: { displayName: string; externalId: string | null }, manager: EntityManager) {
    await conflictsAsErrors(() =>
      manager.query(
        `UPDATE scim_groups SET display_name = $4, external_id = $5 WHERE tenant_type = $1 AND tenant_id = $2 AND id = $3`,
        [tenant.type, tenant.id, id, fields.displayName, fields.externalId],
      ),
    );
  }

  /** A new version for groups whose members changed without the group itself being written (a member deleted). */
  async touch(ids: string[], now: Date, manager: EntityManager): Promise<void> {
    if (ids.length === 0) return;
    await manager.query('UPDATE scim_groups SET version = version + 1, updated_at = $2 WHERE id = ANY($1::uuid[])', [ids, now]);
  }

  async delete(tenant: TenantRef, id: string, manager: EntityManager): Promise<boolean> {
    const [, count]: [unknown, number] = await manager.query('DELETE FROM scim_groups WHERE tenant_type = $1 AND tenant_id = $2 AND id = $3', [
      tenant.type,
      tenant.id,
      id,
    ]);
    return count > 0;
  }

  async memberIds(groupId: string, manager: EntityManager = this.manager): Promise<string[]> {
    const rows: { userId: string }[] = await manager.query(
      'SELECT user_id AS "userId" FROM scim_group_members WHERE group_id = $1 ORDER BY user_id',
      [groupId],
    );
    return rows.map((row) => row.userId);
  }

  /** Which of these users are members of the group. */
  async membersAmong(groupId: string, userIds: string[], manager: EntityManager): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows: { userId: string }[] = await manager.query(
      'SELECT user_id AS "userId" FROM scim_group_members WHERE group_id = $1 AND user_id = ANY($2::uuid[]) ORDER BY user_id',
      [groupId, userIds],
    );
    return rows.map((row) => row.userId);
  }

  async membersOf(groupIds: string[]): Promise<Map<string, string[]>> {
    const members = new Map<string, string[]>(groupIds.map((id) => [id, []]));
    if (groupIds.length === 0) return members;
    const rows: { groupId: string; userId: string }[] = await this.manager.query(
      'SELECT group_id AS "groupId", user_id AS "userId" FROM scim_group_members WHERE group_id = ANY($1::uuid[]) ORDER BY group_id, user_id',
      [groupIds],
    );
    for (const row of rows) members.get(row.groupId)!.push(row.userId);
    return members;
  }

  /** The users were checked first; one deleted since then is refused as no user. */
  async addMembers(groupId: string, userIds: string[], manager: EntityManager): Promise<void> {
    if (userIds.length === 0) return;
    try {
      await manager.query('INSERT INTO scim_group_members (group_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING', [groupId, userIds]);
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === FOREIGN_KEY_VIOLATION) {
        throw invalidValue('A member is no longer a user of this tenant');
      }
      throw error;
    }
  }

  async removeMembers(groupId: string, userIds: string[], manager: EntityManager): Promise<void> {
    if (userIds.length === 0) return;
    await manager.query('DELETE FROM scim_group_members WHERE group_id = $1 AND user_id = ANY($2::uuid[])', [groupId, userIds]);
  }

  /** Each user's groups (id and display name), by user id. */
  async groupsOf(userIds: string[], manager: EntityManager = this.manager): Promise<Map<string, { id: string; displayName: string }[]>> {
    const groups = new Map<string, { id: string; displayName: string }[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return groups;
    const rows: { userId: string; id: string; displayName: string }[] = await manager.query(
      `SELECT m.user_id AS "userId", g.id, g.display_name AS "displayName"
       FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id
       WHERE m.user_id = ANY($1::uuid[]) ORDER BY g.display_name, g.id`,
      [userIds],
    );
    for (const row of rows) groups.get(row.userId)?.push({ id: row.id, displayName: row.displayName });
    return groups;
  }
}

async function conflictsAsErrors(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === UNIQUE_VIOLATION) {
      throw new ConflictError('Another group of this tenant has this displayName', 'displayName', 'group_taken');
    }
    throw error;
  }
}
