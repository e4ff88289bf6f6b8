import type { HttpClient } from './http-client';
import type { RequestBinding } from './login-start';
import type { OktaLikeIdp, ServiceProviderTarget } from './okta-like-idp';

export interface BenchTenant extends ServiceProviderTarget {
  organizationId: string;
  /** Path of the ACS on the service, for posting to the loopback address whatever PUBLIC_BASE_URL says. */
  acsPath: string;
  loginPath: string;
}

interface SsoSettings {
  status: string;
  serviceProvider: { entityId: string; acsUrl: string; loginUrl: string };
}

/**
 * One organization with SSO enabled and the bench IdP configured, over the public API only. The
 * IdP's fields make it take AuthnRequests on HTTP-Redirect; its metadata, on HTTP-POST only.
 */
export async function setUpBenchTenant(
  client: HttpClient,
  platformToken: string,
  idp: OktaLikeIdp,
  name: string,
  binding: RequestBinding = 'redirect',
): Promise<BenchTenant> {
  const organization = await client.json<{ id: string }>('POST', '/api/v1/organizations', platformToken, { name });
  const base = `/api/v1/organizations/${encodeURIComponent(organization.id)}/sso`;
  await client.json<SsoSettings>('POST', `${base}/enable`, platformToken);
  const identityProvider =
    binding === 'redirect' ? { entityId: idp.entityId, ssoUrl: idp.ssoUrl, certificate: idp.certificatePem } : { metadataXml: idp.postOnlyMetadataXml() };
  const settings = await client.json<SsoSettings>('PUT', `${base}/identity-provider`, platformToken, identityProvider);
  if (settings.status !== 'active') {
    throw new Error(`the tenant's SSO is "${settings.status}" after configuring the IdP, expected "active"`);
  }
  const sp = settings.serviceProvider;
  return {
    organizationId: organization.id,
    entityId: sp.entityId,
    acsUrl: sp.acsUrl,
    acsPath: new URL(sp.acsUrl).pathname,
    loginPath: new URL(sp.loginUrl).pathname,
  };
}
