import { createPublicKey } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { Database } from '../../src/database/database.service';
import { TestApp } from './test-app';
import { testCredential, TestCredential } from './test-credentials';
import { IDP_ENTITY_ID } from './test-idp';

export const IDP_SSO_URL = 'https://idp.example.test/sso';
export const IDP_SLO_URL = 'https://idp.example.test/slo';

export interface SsoTenant {
  type: 'organization' | 'partner';
  id: string;
  /** `/api/v1/{organizations|partners}/{id}/sso` */
  settingsPath: string;
  /** `/saml/{organization|partner}/{id}` */
  samlPath: string;
  spEntityId: string;
  acsUrl: string;
  /** The tenant's SP certificate as an encryption credential for the test IdP. */
  spEncryption: TestCredential;
}

/** A tenant with SSO enabled and the test IdP configured by hand (entity ID, SSO/SLO URL, certificate). */
export async function createSsoTenant(t: TestApp, type: 'organization' | 'partner', options: { partnerId?: string } = {}): Promise<SsoTenant> {
  const plural = type === 'organization' ? 'organizations' : 'partners';
  const tenant = (
    await t.http
      .post(`/api/v1/${plural}`)
      .set(t.platform)
      .send({ name: `SSO ${type}`, ...(options.partnerId ? { partnerId: options.partnerId } : {}) })
      .expect(201)
  ).body;
  const settingsPath = `/api/v1/${plural}/${tenant.id}/sso`;
  await t.http.post(`${settingsPath}/enable`).set(t.platform).expect(200);
  const settings = (
    await t.http
      .put(`${settingsPath}/identity-provider`)
      .set(t.platform)
      .send({ entityId: IDP_ENTITY_ID, ssoUrl: IDP_SSO_URL, sloUrl: IDP_SLO_URL, certificate: testCredential('idp').certificatePem })
      .expect(200)
  ).body;
  const certificatePem: string = settings.serviceProvider.certificate;
  const publicKey = createPublicKey(certificatePem);
  return {
    type,
    id: tenant.id,
    settingsPath,
    samlPath: `/saml/${type}/${tenant.id}`,
    spEntityId: settings.serviceProvider.entityId,
    acsUrl: settings.serviceProvider.acsUrl,
    spEncryption: {
      certificatePem,
      certificateBase64: certificatePem.replace(/-----[^-]+-----|\s/g, ''),
      publicKey,
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    } as TestCredential,
  };
}

/** Starts SP-initiated sign-in as a browser would, and reads the AuthnRequest the IdP would receive. */
export async function startSignIn(t: TestApp, tenant: SsoTenant, returnTo = '/dashboard') {
  const response = await t.http.get(`${tenant.samlPath}/login`).query({ returnTo }).expect(302);
  const location = new URL(response.headers.location);
  const samlRequest = inflateRawSync(Buffer.from(location.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
  const requestId = /\sID="([^"]+)"/.exec(samlRequest)![1];
  return { location, samlRequest, requestId, relayState: location.searchParams.get('RelayState')! };
}

export function postToAcs(t: TestApp, tenant: SsoTenant, samlResponse: string, relayState?: string) {
  return t.http
    .post(`${tenant.samlPath}/acs`)
    .type('form')
    .send({ SAMLResponse: samlResponse, ...(relayState !== undefined ? { RelayState: relayState } : {}) });
}

export function sessionCookieOf(response: { headers: Record<string, unknown> }): string | null {
  const cookies = (response.headers['set-cookie'] as string[] | undefined) ?? [];
  const cookie = cookies.find((value) => value.startsWith('sso_session='));
  return cookie ? cookie.split(';')[0] : null;
}

export async function countSessions(t: TestApp, tenant: SsoTenant): Promise<number> {
  const rows = await t.app
    .get(Database)
    .manager.query('SELECT count(*)::int AS n FROM sessions WHERE tenant_type = $1 AND tenant_id = $2', [tenant.type, tenant.id]);
  return rows[0].n;
}

export async function lastAttempt(t: TestApp, tenant: SsoTenant) {
  const attempts = await t.http.get(`${tenant.settingsPath}/login-attempts?limit=1`).set(t.platform).expect(200);
  return attempts.body[0];
}
