import { isUuid, TenantRef, TenantType } from '../tenancy/tenant';
import { TenantSsoError } from './saml-error';

const KINDS: Record<string, TenantType> = { organization: 'organization', partner: 'partner' };

/** `/saml/{organization|partner}/{id}/…` to a tenant reference; anything else is an unknown tenant. */
export function samlTenant(kind: string, id: string): TenantRef {
  const type = KINDS[kind];
  if (!type || !isUuid(id)) throw new TenantSsoError('unknown_tenant', 'No such tenant');
  return { type, id: id.toLowerCase() };
}
