import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  Optional,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { requestCredential } from '../common/request-credential';
import { ACCESS_RULE, AccessKind, AccessRule, AuthorizedRequest, OPEN_TO_SETUP_LINKS, TenantLocator } from './access.decorators';
import { CredentialsService } from './credentials.service';
import { Principal, SCIM_TOKEN_AUTHENTICATOR, ScimTokenAuthenticator } from './principal';
import { ResolvedTenant, TenancyService } from './tenancy.service';
import { isUuid, TENANT_TYPE_BY_PLURAL, TENANT_TYPES, TenantRef, TenantType } from './tenant';

/** The rule a route declares, on its handler or else on its controller; undefined when it declares none. */
export function accessRuleOf(reflector: Reflector, handler: Function, controller: Function): AccessRule | undefined {
  return reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [handler, controller]);
}

/**
 * The contract's "who may do what", for every route of the app wherever it lives. A route that
 * declares no rule is refused, so a forgotten annotation fails closed.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialsService,
    private readonly tenancy: TenancyService,
    @Optional() @Inject(SCIM_TOKEN_AUTHENTICATOR) private readonly scimTokens?: ScimTokenAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthorizedRequest>();
    const rule = accessRuleOf(this.reflector, context.getHandler(), context.getClass());
    if (!rule) {
      this.logger.error({ msg: 'route declares no access rule; refused', route: `${context.getClass().name}.${context.getHandler().name}` });
      throw new ForbiddenException('This route is not open to anyone');
    }
    switch (rule.kind) {
      case AccessKind.Public:
        return true;
      case AccessKind.Authenticated:
        refuseSetupLink(await this.authenticate(request));
        return true;
      case AccessKind.Platform:
        if ((await this.authenticate(request)).kind !== 'platform') throw new ForbiddenException('Only the platform operator may do this');
        return true;
      case AccessKind.Tenant: {
        const principal = await this.authenticate(request);
        if (!this.opensToSetupLinks(context)) refuseSetupLink(principal);
        request.tenant = await this.authorizeTenant(principal, tenantFromRoute(request.params, rule.tenant));
        return true;
      }
      case AccessKind.Scim:
        request.principal = await this.authenticateScim(request, rule);
        return true;
      default:
        return unknownRule(rule);
    }
  }

  private opensToSetupLinks(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean | undefined>(OPEN_TO_SETUP_LINKS, [context.getHandler(), context.getClass()]) === true;
  }

  private async authenticate(request: AuthorizedRequest): Promise<Principal> {
    const principal = await this.credentials.authenticate(requestCredential(request));
    if (!principal) throw new UnauthorizedException('A valid bearer token is required');
    request.principal = principal;
    return principal;
  }

  /**
   * Only a bearer SCIM token of the tenant the route names: any other credential (a session cookie,
   * an API key, the platform token, another tenant's SCIM token) is 401, as SCIM clients expect.
   */
  private async authenticateScim(request: AuthorizedRequest, rule: Extract<AccessRule, { kind: AccessKind.Scim }>): Promise<Principal> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    const type = request.params[rule.typeParam];
    const id = request.params[rule.idParam];
    const principal = token && this.scimTokens ? await this.scimTokens.authenticate(token) : null;
    const sameTenant = principal?.tenant.type === type && typeof id === 'string' && principal.tenant.id === id.toLowerCase();
    if (!principal || !sameTenant) throw new UnauthorizedException('A SCIM token of this tenant is required');
    return principal;
  }

  private async authorizeTenant(principal: Principal, target: TenantRef): Promise<ResolvedTenant> {
    if (principal.kind === 'scimToken') throw new UnauthorizedException('A SCIM token is accepted on SCIM routes only');
    const tenant = await this.tenancy.resolveTenant(target);
    if (!tenant) throw new NotFoundException(`${target.type === 'partner' ? 'Partner' : 'Organization'} not found`);
    if (principal.kind === 'platform') return tenant;
    if (principal.kind === 'user' && principal.role !== 'admin') {
      throw new ForbiddenException('Only administrators may manage the tenant');
    }
    const own = principal.tenant;
    const isSelf = own.type === tenant.type && own.id === tenant.id;
    // A setup link hands over its own tenant only: a partner's link opens none of its organizations.
    if (principal.kind === 'setupLink' && !isSelf) throw new ForbiddenException('This setup link is for another tenant');
    const isPartnerOfOrganization = own.type === 'partner' && tenant.type === 'organization' && tenant.partnerId === own.id;
    if (!isSelf && !isPartnerOfOrganization) throw new ForbiddenException('This credential may not manage that tenant');
    return tenant;
  }
}

/** A setup link's token opens only the tenant routes that declare @OpenToSetupLinks. */
function refuseSetupLink(principal: Principal): void {
  if (principal.kind === 'setupLink') throw new ForbiddenException('A setup link does not open this route');
}

function tenantFromRoute(params: Record<string, unknown>, locator: TenantLocator): TenantRef {
  let type: TenantType | undefined;
  let id: unknown;
  if ('idParamOf' in locator) {
    type = TENANT_TYPES.find((candidate) => params[locator.idParamOf[candidate]] !== undefined);
    id = type && params[locator.idParamOf[type]];
  } else {
    type = 'type' in locator ? locator.type : tenantTypeOfSegment(params[locator.kindParam]);
    id = params[locator.idParam];
  }
  if (!type || typeof id !== 'string' || !isUuid(id)) throw new NotFoundException('Tenant not found');
  return { type, id: id.toLowerCase() };
}

/** `organizations` or `partners`; anything else (including `constructor`) names no tenant kind. */
function tenantTypeOfSegment(segment: unknown): TenantType | undefined {
  return typeof segment === 'string' && Object.hasOwn(TENANT_TYPE_BY_PLURAL, segment) ? TENANT_TYPE_BY_PLURAL[segment] : undefined;
}

/** A rule kind without a branch above is refused at run time and, through `never`, at compile time. */
function unknownRule(rule: never): never {
  throw new ForbiddenException(`Unknown access rule ${(rule as AccessRule).kind}`);
}
