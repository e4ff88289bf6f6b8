import { CanActivate, ExecutionContext, ForbiddenException, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { requestCredential } from '../common/request-credential';
import { ACCESS_RULE, AccessRule, AuthorizedRequest } from './access.decorators';
import { CredentialsService } from './credentials.service';
import { Principal } from './principal';
import { ResolvedTenant, TenancyService } from './tenancy.service';
import { isUuid, TENANT_TYPE_BY_PLURAL, TenantRef } from './tenant';

/**
 * The contract's "who may do what", for every /api/v1 route. A route without a rule is
 * platform-only, so a forgotten annotation fails closed.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialsService,
    private readonly tenancy: TenancyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthorizedRequest>();
    if (!request.path.startsWith('/api/v1/')) return true;
    const rule = this.reflector.getAllAndOverride<AccessRule>(ACCESS_RULE, [context.getHandler(), context.getClass()]) ?? {
      kind: 'platform',
    };
    if (rule.kind === 'public') return true;

    const principal = await this.credentials.authenticate(requestCredential(request));
    if (!principal) throw new UnauthorizedException('A valid bearer token is required');
    request.principal = principal;

    switch (rule.kind) {
      case 'authenticated':
        return true;
      case 'platform':
        if (principal.kind !== 'platform') throw new ForbiddenException('Only the platform operator may do this');
        return true;
      case 'tenant':
        request.tenant = await this.authorizeTenant(principal, this.tenantFromRoute(request, rule));
        return true;
    }
  }

  private tenantFromRoute(request: AuthorizedRequest, rule: Extract<AccessRule, { kind: 'tenant' }>): TenantRef {
    const type = rule.type ?? TENANT_TYPE_BY_PLURAL[String(request.params[rule.kindParam ?? ''])];
    const id = String(request.params[rule.idParam] ?? '');
    if (!type || !isUuid(id)) throw new NotFoundException('Tenant not found');
    return { type, id: id.toLowerCase() };
  }

  private async authorizeTenant(principal: Principal, target: TenantRef): Promise<ResolvedTenant> {
    const tenant = await this.tenancy.resolveTenant(target);
    if (!tenant) throw new NotFoundException(`${target.type === 'partner' ? 'Partner' : 'Organization'} not found`);
    if (principal.kind === 'platform') return tenant;
    if (principal.kind === 'user' && principal.role !== 'admin') {
      throw new ForbiddenException('Only administrators may manage the tenant');
    }
    const own = principal.tenant;
    const isSelf = own.type === tenant.type && own.id === tenant.id;
    const isPartnerOfOrganization = own.type === 'partner' && tenant.type === 'organization' && tenant.partnerId === own.id;
    if (!isSelf && !isPartnerOfOrganization) throw new ForbiddenException('This credential may not manage that tenant');
    return tenant;
  }
}
