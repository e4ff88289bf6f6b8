import type { TenantRef } from '../../tenancy/tenant';

export interface SpUrls {
  entityId: string;
  acsUrl: string;
  metadataUrl: string;
  loginUrl: string;
  sloUrl: string;
}

/** Every SP URL of a tenant, built from PUBLIC_BASE_URL (the contract's `/saml/{kind}/{id}/…`). */
export function spUrls(publicBaseUrl: string, tenant: TenantRef): SpUrls {
  const base = `${publicBaseUrl}/saml/${tenant.type}/${tenant.id}`;
  return {
    entityId: `${base}/metadata`,
    acsUrl: `${base}/acs`,
    metadataUrl: `${base}/metadata`,
    loginUrl: `${base}/login`,
    sloUrl: `${base}/slo`,
  };
}
