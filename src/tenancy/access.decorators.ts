import { SetMetadata, createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from './principal';
import type { ResolvedTenant } from './tenancy.service';
import type { TenantType } from './tenant';

/**
 * Who may call a route. Every route declares one (on the handler or its controller); the access
 * guard refuses a route without one. A new kind of caller (a SCIM token, an OAuth client) is one
 * member here and one branch in AccessGuard; a setup link's token is narrowed by OpenToSetupLinks.
 */
export enum AccessKind {
  /** No credential needed: SAML endpoints, health, pages, discovery. */
  Public = 'public',
  /** Only the platform operator. */
  Platform = 'platform',
  /** Any valid credential; the handler decides the rest. */
  Authenticated = 'authenticated',
  /** The tenant named by the route, for a principal allowed to manage it. */
  Tenant = 'tenant',
  /** A tenant's SCIM routes (`/scim/v2/:tenantType/:tenantId`): that tenant's SCIM tokens and nothing else. */
  Scim = 'scim',
}

/** Where a route names its tenant. */
export type TenantLocator =
  /** A fixed kind: `/partners/:id`. */
  | { type: TenantType; idParam: string }
  /** A `{organizations|partners}` segment: `/:tenantKind/:id/users`. */
  | { kindParam: string; idParam: string }
  /** One controller mounted under both `/organizations/:orgId` and `/partners/:partnerId`: the parameter present names the kind. */
  | { idParamOf: Record<TenantType, string> };

export type AccessRule =
  | { kind: AccessKind.Public }
  | { kind: AccessKind.Platform }
  | { kind: AccessKind.Authenticated }
  | { kind: AccessKind.Tenant; tenant: TenantLocator }
  /** `typeParam` holds the singular kind (`organization` / `partner`), as in `/saml/…`. */
  | { kind: AccessKind.Scim; typeParam: string; idParam: string };

export const ACCESS_RULE = 'access-rule';

const declare = (rule: AccessRule) => SetMetadata(ACCESS_RULE, rule);

export const PublicRoute = () => declare({ kind: AccessKind.Public });
export const PlatformRoute = () => declare({ kind: AccessKind.Platform });
export const AuthenticatedRoute = () => declare({ kind: AccessKind.Authenticated });
export const TenantRoute = (tenant: TenantLocator) => declare({ kind: AccessKind.Tenant, tenant });
export const ScimRoute = (typeParam: string, idParam: string) => declare({ kind: AccessKind.Scim, typeParam, idParam });

export const OPEN_TO_SETUP_LINKS = 'open-to-setup-links';

/**
 * The route (or every route of the controller) also takes a setup link's access token, for that
 * link's own tenant only. Routes without it refuse such a token (403), whatever their rule: the
 * contract lists what a setup link opens, so a new route stays closed to it until it is added.
 */
export const OpenToSetupLinks = () => SetMetadata(OPEN_TO_SETUP_LINKS, true);

export interface AuthorizedRequest extends Request {
  principal?: Principal;
  tenant?: ResolvedTenant;
}

export const CurrentTenant = createParamDecorator((_data: unknown, context: ExecutionContext): ResolvedTenant => {
  const tenant = context.switchToHttp().getRequest<AuthorizedRequest>().tenant;
  if (!tenant) throw new Error('CurrentTenant used on a route without @TenantRoute');
  return tenant;
});

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthorizedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});
