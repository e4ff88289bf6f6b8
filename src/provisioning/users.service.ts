import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/domain-errors';
import type { Role } from '../sso-config/sso-config.types';
import { isUuid, TenantRef } from '../tenancy/tenant';
import { UserAccess } from './user-access';
import { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';

export interface UserView {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  groups: string[];
  role: Role;
  active: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
}

/** What a signed-in user's session shows of them. */
export type SignedInUser = Pick<UserView, 'email' | 'firstName' | 'lastName' | 'groups' | 'role'>;

const toView = ({ id, email, firstName, lastName, groups, role, active, lastLoginAt, createdAt }: UserEntity): UserView => ({
  id,
  email,
  firstName,
  lastName,
  groups,
  role,
  active,
  lastLoginAt,
  createdAt,
});

/**
 * The users API for tenant admins. Deactivation takes effect at once everywhere: sessions are only
 * honoured while their user is active (see SessionsService.authenticate).
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly access: UserAccess,
  ) {}

  async list(tenant: TenantRef, page: number, limit: number): Promise<{ items: UserView[]; total: number }> {
    const { items, total } = await this.users.list(tenant, page, limit);
    return { items: items.map(toView), total };
  }

  async get(tenant: TenantRef, userId: string): Promise<UserView> {
    return toView(await this.existing(tenant, userId));
  }

  async setRole(tenant: TenantRef, userId: string, role: Role): Promise<UserView> {
    await this.existing(tenant, userId);
    return toView((await this.users.update(tenant, userId, { role }))!);
  }

  async setActive(tenant: TenantRef, userId: string, active: boolean): Promise<UserView> {
    await this.existing(tenant, userId);
    const user = toView((await this.users.update(tenant, userId, { active }))!);
    if (!active) await this.access.end(tenant, userId);
    return user;
  }

  /** Null when the user no longer exists or is deactivated: their sessions stop counting at once. */
  async findActive(tenant: TenantRef, userId: string): Promise<SignedInUser | null> {
    const user = await this.users.find(tenant, userId);
    if (!user?.active) return null;
    const { email, firstName, lastName, groups, role } = user;
    return { email, firstName, lastName, groups, role };
  }

  /**
   * An active user by ID alone, with their tenant: the OpenID provider knows its subjects by user ID
   * (`sub`). Null when deleted or deactivated, so the provider's tokens stop at once too.
   */
  async findActiveById(userId: string): Promise<(SignedInUser & { id: string; tenant: TenantRef }) | null> {
    if (!isUuid(userId)) return null;
    const [user] = await this.users.findByIds([userId]);
    if (!user?.active) return null;
    const { id, email, firstName, lastName, groups, role, tenantType, tenantId } = user;
    return { id, email, firstName, lastName, groups, role, tenant: { type: tenantType, id: tenantId } };
  }

  /** How the audit log names these users (any tenant's: a partner's admin changes an organization), by ID. */
  async auditNames(ids: string[]): Promise<Map<string, { name: string; email: string }>> {
    const users = await this.users.findByIds([...new Set(ids.filter(isUuid))]);
    return new Map(users.map((user) => [user.id, { name: [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email, email: user.email }]));
  }

  private async existing(tenant: TenantRef, userId: string): Promise<UserEntity> {
    const user = isUuid(userId) ? await this.users.find(tenant, userId) : null;
    if (!user) throw new NotFoundError('User not found');
    return user;
  }
}
