import { Injectable } from '@nestjs/common';
import { UsersService } from '../provisioning/users.service';
import { TenancyService } from '../tenancy/tenancy.service';
import type { TenantRef } from '../tenancy/tenant';

export interface OidcClaims {
  sub: string;
  email: string;
  email_verified: true;
  given_name?: string;
  family_name?: string;
  name?: string;
  groups: string[];
  role: string;
  tenant: TenantRef;
  partner_id?: string;
}

/** Claims by scope; what `openid` carries is what every app needs to decide access. */
export const CLAIMS_BY_SCOPE = {
  openid: ['sub', 'groups', 'role', 'tenant', 'partner_id'],
  email: ['email', 'email_verified'],
  profile: ['name', 'given_name', 'family_name'],
};

/**
 * The provider's accounts are the service's users: claims come from the same users row that SAML
 * logins and SCIM keep. A deleted or deactivated user has no account, so every token of theirs
 * (refresh, userinfo, introspection) is refused from that moment.
 */
@Injectable()
export class OidcAccountsService {
  constructor(
    private readonly users: UsersService,
    private readonly tenancy: TenancyService,
  ) {}

  async claimsOf(userId: string): Promise<OidcClaims | null> {
    const user = await this.users.findActiveById(userId);
    if (!user) return null;
    const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
    const tenant = user.tenant.type === 'organization' ? await this.tenancy.resolveTenant(user.tenant) : null;
    return {
      sub: user.id,
      email: user.email,
      // The IdP asserted the address; the service has no other way of verifying it.
      email_verified: true,
      ...(user.firstName ? { given_name: user.firstName } : {}),
      ...(user.lastName ? { family_name: user.lastName } : {}),
      ...(name ? { name } : {}),
      groups: user.groups,
      role: user.role,
      tenant: user.tenant,
      ...(tenant?.partnerId ? { partner_id: tenant.partnerId } : {}),
    };
  }
}
