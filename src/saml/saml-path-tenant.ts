import { isUuid, TenantRef, TenantType } from '../tenancy/tenant';
import { TenantSsoError } from './saml-error';

const KINDS: Record<string, TenantType> = { organization: 'organization', partner: 'partner' };

/**
 * The tenant a `/saml/{organization|partner}/{id}/…` path names; anything else is an unknown tenant.
 * A plain function of the two route parameters (a Nest pipe transforms one), called by each route.
 */
export function samlTenant(kind: string, id: string): TenantRef {
  const type = KINDS[kind];
  if (!type || !isUuid(id)) throw new TenantSsoError('unknown_tenant', 'No such tenant');
  return { type, id: id.toLowerCase() };
}
