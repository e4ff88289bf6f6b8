import { SetMetadata, createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from './principal';
import type { ResolvedTenant } from './tenancy.service';
import type { TenantType } from './tenant';

export type AccessRule =
  | { kind: 'public' }
  | { kind: 'platform' }
  | { kind: 'authenticated' }
  /** The tenant comes from the route: a fixed type, or a `{organizations|partners}` segment. */
  | { kind: 'tenant'; type?: TenantType; kindParam?: string; idParam: string };

export const ACCESS_RULE = 'access-rule';

/** No credential needed. */
export const PublicRoute = () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);
/** Only the platform operator. */
export const PlatformRoute = () => SetMetadata(ACCESS_RULE, { kind: 'platform' } satisfies AccessRule);
/** Any valid credential; the handler decides the rest. */
export const AuthenticatedRoute = () => SetMetadata(ACCESS_RULE, { kind: 'authenticated' } satisfies AccessRule);
/** The tenant named by the route, for a principal allowed to manage it. */
export const TenantRoute = (rule: { type?: TenantType; kindParam?: string; idParam: string }) =>
  SetMetadata(ACCESS_RULE, { kind: 'tenant', ...rule } satisfies AccessRule);

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
