import { Injectable } from '@nestjs/common';
import { DomainsService } from '../domains/domains.service';
import type { ActiveSession } from '../sessions/sessions.service';
import { SsoConfigRepository } from '../sso-config/sso-config.repository';
import { statusOf } from '../sso-config/sso-status';
import { TenancyService } from '../tenancy/tenancy.service';
import { isUuid, TenantRef } from '../tenancy/tenant';

/**
 * Which tenant an authorization request asks for: `organization_id` / `partner_id`, or the tenant
 * that verified the domain of `login_hint`. `any` when it names none (any live session will do);
 * `unknown` when it names one that does not exist (the request is then denied).
 */
export type RequestedTenant = { kind: 'any' } | { kind: 'tenant'; tenant: TenantRef } | { kind: 'unknown' };

export const sameTenant = (a: TenantRef, b: TenantRef): boolean => a.type === b.type && a.id.toLowerCase() === b.id.toLowerCase();

export const sessionTenant = (session: ActiveSession): TenantRef => ({ type: session.tenantType, id: session.tenantId });

/** Whether a service session may answer the request: any tenant will do, or the one asked for; never a tenant that does not exist. */
export function isAtRequestedTenant(session: ActiveSession, requested: RequestedTenant): boolean {
  if (requested.kind === 'unknown') return false;
  return requested.kind === 'any' || sameTenant(requested.tenant, sessionTenant(session));
}

@Injectable()
export class RequestedTenantResolver {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly domains: DomainsService,
    private readonly ssoConfigs: SsoConfigRepository,
  ) {}

  async resolve(params: Record<string, unknown>): Promise<RequestedTenant> {
    const organizationId = params.organization_id;
    const partnerId = params.partner_id;
    if (organizationId !== undefined && partnerId !== undefined) return { kind: 'unknown' };
    if (organizationId !== undefined) return this.existing('organization', organizationId);
    if (partnerId !== undefined) return this.existing('partner', partnerId);
    const hint = params.login_hint;
    if (typeof hint === 'string' && /^[^@\s]+@[^@\s]+$/.test(hint)) {
      // Only a domain proven in DNS routes anyone, as on the /login page; an unproven one falls back to it.
      const owner = await this.domains.verifiedOwnerOf(hint.slice(hint.lastIndexOf('@') + 1));
      if (owner) return { kind: 'tenant', tenant: owner };
    }
    return { kind: 'any' };
  }

  /** Whether the tenant's SSO can sign anyone in now (set up and enabled). */
  async ssoActive(tenant: TenantRef): Promise<boolean> {
    const config = await this.ssoConfigs.find(tenant);
    return config !== null && statusOf(config) === 'active';
  }

  private async existing(type: TenantRef['type'], id: unknown): Promise<RequestedTenant> {
    if (typeof id !== 'string' || !isUuid(id)) return { kind: 'unknown' };
    const tenant = await this.tenancy.resolveTenant({ type, id });
    return tenant ? { kind: 'tenant', tenant: { type: tenant.type, id: tenant.id } } : { kind: 'unknown' };
  }
}
