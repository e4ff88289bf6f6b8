import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Database } from '../database/database.service';
import type { Role } from '../sso-config/sso-config.types';
import type { TenantRef } from '../tenancy/tenant';
import { DirectoryUsersRepository } from './directory-users.repository';
import { UserEntity } from './user.entity';

/** Users as the Users API, sessions and the OpenID provider read them: a directory-managed user with its SCIM groups. */
@Injectable()
export class UsersRepository {
  constructor(
    private readonly database: Database,
    private readonly directoryUsers: DirectoryUsersRepository,
  ) {}

  async isDeactivated(tenant: TenantRef, emailNormalized: string): Promise<boolean> {
    const rows: { active: boolean }[] = await this.database.manager.query(
      'SELECT active FROM users WHERE tenant_type = $1 AND tenant_id = $2 AND email_normalized = $3',
      [tenant.type, tenant.id, emailNormalized],
    );
    return rows[0]?.active === false;
  }

  async list(tenant: TenantRef, page: number, limit: number): Promise<{ items: UserEntity[]; total: number }> {
    const [items, total] = await this.database.repository(UserEntity).findAndCount({
      where: { tenantType: tenant.type, tenantId: tenant.id },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    return { items: await this.withDirectoryGroups(items), total };
  }

  async find(tenant: TenantRef, userId: string): Promise<UserEntity | null> {
    const user = await this.database.repository(UserEntity).findOneBy({ id: userId, tenantType: tenant.type, tenantId: tenant.id });
    return user ? (await this.withDirectoryGroups([user]))[0] : null;
  }

  async update(tenant: TenantRef, userId: string, changes: Partial<Pick<UserEntity, 'role' | 'active'>>): Promise<UserEntity | null> {
    await this.database
      .repository(UserEntity)
      .update({ id: userId, tenantType: tenant.type, tenantId: tenant.id }, { ...changes, updatedAt: new Date() });
    return this.find(tenant, userId);
  }

  async findByIds(ids: string[]): Promise<UserEntity[]> {
    return ids.length === 0 ? [] : this.withDirectoryGroups(await this.database.repository(UserEntity).findBy({ id: In(ids) }));
  }

  private async withDirectoryGroups(users: UserEntity[]): Promise<UserEntity[]> {
    const groups = await this.directoryUsers.groupsOf(users.filter((user) => user.scimManaged).map((user) => user.id));
    for (const user of users) user.groups = groups.get(user.id) ?? user.groups;
    return users;
  }
}
