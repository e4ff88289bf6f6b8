import { createHash, createVerify } from 'node:crypto';
import { Database } from '../../src/database/database.service';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { startTestApp, TestApp } from '../helpers/test-app';
import { ecTestCredential, testCredential } from '../helpers/test-credentials';
import { createSamlPackageResponse, createTestResponse, IDP_ENTITY_ID } from '../helpers/test-idp';
import { countSessions, createSsoTenant, IDP_SSO_URL, lastAttempt, postToAcs, sessionCookieOf, SsoTenant, startSignIn } from '../helpers/sso-tenant';

const GROUPS = 'User.groups';

describe('SAML sign-in', () => {
  let t: TestApp;
  let organization: SsoTenant;
  let partner: SsoTenant;

  beforeAll(async () => {
    t = await startTestApp();
    organization = await createSsoTenant(t, 'organization');
    partner = await createSsoTenant(t, 'partner');
  });
  afterAll(() => t.close());

  describe('SP metadata', () => {
    it('describes the SP with signing and encryption keys, signed requests and signed assertions', async () => {
      const response = await t.http.get(`${organization.samlPath}/metadata`).expect(200);
      expect(response.headers['content-type']).toMatch(/application\/samlmetadata\+xml/);
      const xml = response.text;
      expect(xml).toContain(`entityID="${organization.spEntityId}"`);
      expect(xml).toMatch(/AuthnRequestsSigned="true"/);
      expect(xml).toMatch(/WantAssertionsSigned="true"/);
      expect(xml).toMatch(/KeyDescriptor use="signing"/);
      expect(xml).toMatch(/KeyDescriptor use="encryption"/);
      expect(xml).toMatch(new RegExp(`AssertionConsumerService[^>]*HTTP-POST[^>]*Location="${organization.acsUrl}"`));
      expect(xml).toMatch(/SingleLogoutService[^>]*HTTP-Redirect/);
      expect(xml).toMatch(/SingleLogoutService[^>]*HTTP-POST/);
      expect(xml).toContain('nameid-format:emailAddress');
      expect(xml).not.toMatch(/PRIVATE KEY/);
    });

    it('is 404 for an unknown tenant or a tenant without SSO', async () => {
      await t.http.get(`/saml/organization/00000000-0000-4000-8000-000000000000/metadata`).expect(404);
      await t.http.get(`/saml/widget/${organization.id}/metadata`).expect(404);
      const bare = (await t.http.post('/api/v1/organizations').set(t.platform).send({ name: 'no sso' })).body;
      await t.http.get(`/saml/organization/${bare.id}/metadata`).expect(404);
    });
  });

  describe('AuthnRequest', () => {
    it('redirects to the IdP with a request signed with RSA-SHA256 over the query as sent', async () => {
      const { location, samlRequest, relayState } = await startSignIn(t, organization, '/reports?x=1');
      expect(`${location.origin}${location.pathname}`).toBe(IDP_SSO_URL);
      expect(samlRequest).toContain(`AssertionConsumerServiceURL="${organization.acsUrl}"`);
      expect(samlRequest).toContain(`<saml:Issuer>${organization.spEntityId}</saml:Issuer>`);
      expect(location.searchParams.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
      expect(relayState).not.toContain('reports');
      const query = location.search.slice(1);
      const signedOctets = query.slice(0, query.indexOf('&Signature='));
      const verifier = createVerify('RSA-SHA256');
      verifier.update(signedOctets);
      const settings = await t.http.get(organization.settingsPath).set(t.platform);
      expect(verifier.verify(settings.body.serviceProvider.certificate, location.searchParams.get('Signature')!, 'base64')).toBe(true);
    });

    it('posts a signed AuthnRequest through an auto-submitting form when the IdP takes HTTP-POST only', async () => {
      const postOnly = await createSsoTenant(t, 'organization');
      const metadataXml =
        `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${IDP_ENTITY_ID}">` +
        `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="true">` +
        `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>` +
        `${testCredential('idp').certificateBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
        `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${IDP_SSO_URL}"/>` +
        `</md:IDPSSODescriptor></md:EntityDescriptor>`;
      const settings = await t.http.put(`${postOnly.settingsPath}/identity-provider`).set(t.platform).send({ metadataXml }).expect(200);
      expect(settings.body.identityProvider.ssoBinding).toBe('post');

      const page = await t.http.get(`${postOnly.samlPath}/login`).query({ returnTo: '/after' }).expect(200);
      expect(page.headers['content-type']).toMatch(/html/);
      expect(page.headers['content-security-policy']).toContain(`form-action ${new URL(IDP_SSO_URL).origin}`);
      expect(page.headers['content-security-policy']).toMatch(/script-src 'nonce-[^']+'/);
      expect(page.text).toContain(`action="${IDP_SSO_URL}"`);
      const samlRequest = Buffer.from(/name="SAMLRequest" value="([^"]+)"/.exec(page.text)![1], 'base64').toString();
      const relayState = /name="RelayState" value="([^"]+)"/.exec(page.text)![1];
      const verifier = new SignedXml({ publicCert: settings.body.serviceProvider.certificate });
      const signature = new DOMParser().parseFromString(samlRequest, 'text/xml').getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0];
      verifier.loadSignature(signature as never);
      expect(verifier.checkSignature(samlRequest)).toBe(true);
      expect(samlRequest).toContain('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');

      const requestId = /\sID="([^"]+)"/.exec(samlRequest)![1];
      const response = await createSamlPackageResponse({ audiences: [[postOnly.spEntityId]], recipient: postOnly.acsUrl, destination: postOnly.acsUrl, inResponseTo: requestId });
      const login = await postToAcs(t, postOnly, response.base64, relayState).expect(302);
      expect(login.headers.location).toBe('/after');
    });

    it('is refused for a tenant whose SSO is disabled', async () => {
      await t.http.post(`${partner.settingsPath}/disable`).set(t.platform).expect(200);
      const response = await t.http.get(`${partner.samlPath}/login`).expect(403);
      expect(response.text).toContain('sso_disabled');
      await t.http.post(`${partner.settingsPath}/enable`).set(t.platform).expect(200);
    });
  });

  describe.each([
    ['organization', () => organization],
    ['partner', () => partner],
  ])('happy paths for a %s', (_kind, tenantOf) => {
    const signings = [
      ['a signed assertion (auth0 saml package)', async (tenant: SsoTenant, inResponseTo?: string) =>
        createSamlPackageResponse({ audiences: [[tenant.spEntityId]], recipient: tenant.acsUrl, destination: tenant.acsUrl, inResponseTo, attributes: { 'User.Email': 'ann@example.com', [GROUPS]: ['admins'] } })],
      ['a signed response around a signed assertion (auth0 saml package)', async (tenant: SsoTenant, inResponseTo?: string) =>
        createSamlPackageResponse({ audiences: [[tenant.spEntityId]], recipient: tenant.acsUrl, destination: tenant.acsUrl, inResponseTo, signResponse: true, attributes: { 'User.Email': 'ann@example.com' } })],
      ['an encrypted signed assertion (auth0 saml package, AES-256-GCM, RSA-OAEP)', async (tenant: SsoTenant, inResponseTo?: string) =>
        createSamlPackageResponse({ audiences: [[tenant.spEntityId]], recipient: tenant.acsUrl, destination: tenant.acsUrl, inResponseTo, encrypt: { credential: tenant.spEncryption }, attributes: { 'User.Email': 'ann@example.com' } })],
      ['a signed response only (xml-crypto)', async (tenant: SsoTenant, inResponseTo?: string) =>
        createTestResponse({ audiences: [[tenant.spEntityId]], recipient: tenant.acsUrl, destination: tenant.acsUrl, inResponseTo, sign: 'response', attributes: { 'User.Email': 'ann@example.com' } })],
    ] as const;

    it.each(signings)('signs in SP-initiated with %s, lands on returnTo with a session', async (_name, build) => {
      const tenant = tenantOf();
      const { requestId, relayState } = await startSignIn(t, tenant, '/reports?range=30d');
      const samlResponse = await build(tenant, requestId);
      const response = await postToAcs(t, tenant, samlResponse.base64, relayState).expect(302);
      expect(response.headers.location).toBe('/reports?range=30d');
      const cookie = sessionCookieOf(response)!;
      expect(response.headers['set-cookie']![0]).toMatch(/HttpOnly/i);
      expect(response.headers['set-cookie']![0]).toMatch(/SameSite=Lax/i);
      const me = await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200);
      expect(me.body).toEqual({
        user: { id: expect.any(String), email: 'ann@example.com', firstName: null, lastName: null, groups: expect.any(Array), role: 'member' },
        tenant: { type: tenant.type, id: tenant.id, name: `SSO ${tenant.type}` },
      });
      const attempt = await lastAttempt(t, tenant);
      expect(attempt).toMatchObject({ outcome: 'success', email: 'ann@example.com', assertionId: expect.any(String) });
    });

    it('signs in IdP-initiated (no InResponseTo), following a local RelayState', async () => {
      const tenant = tenantOf();
      const samlResponse = await createSamlPackageResponse({ audiences: [[tenant.spEntityId]], recipient: tenant.acsUrl, destination: tenant.acsUrl });
      const response = await postToAcs(t, tenant, samlResponse.base64, '/home').expect(302);
      expect(response.headers.location).toBe('/home');
      expect(sessionCookieOf(response)).not.toBeNull();
    });
  });

  describe('session lifetime', () => {
    it("ends at the IdP's SessionNotOnOrAfter when it comes before SESSION_MAX_HOURS, else at the maximum", async () => {
      const expiresOf = async (cookie: string) =>
        (
          await t.app
            .get(Database)
            .manager.query('SELECT expires_at FROM sessions WHERE token_hash = $1', [createHash('sha256').update(cookie.split('=')[1]).digest('hex')])
        )[0].expires_at as Date;
      const idpEnd = new Date(Date.now() + 30 * 60_000);
      const short = await createTestResponse({ audiences: [[organization.spEntityId]], recipient: organization.acsUrl, destination: organization.acsUrl, sessionNotOnOrAfter: idpEnd });
      const shortCookie = sessionCookieOf(await postToAcs(t, organization, short.base64).expect(302))!;
      expect(Math.abs((await expiresOf(shortCookie)).getTime() - idpEnd.getTime())).toBeLessThan(1000);

      const long = await createTestResponse({ audiences: [[organization.spEntityId]], recipient: organization.acsUrl, destination: organization.acsUrl, sessionNotOnOrAfter: new Date(Date.now() + 48 * 3600_000) });
      const longCookie = sessionCookieOf(await postToAcs(t, organization, long.base64).expect(302))!;
      const maximum = Date.now() + t.config.sessionMaxHours * 3600_000;
      expect(Math.abs((await expiresOf(longCookie)).getTime() - maximum)).toBeLessThan(5000);
    });

    it('refuses a session once it has expired', async () => {
      const response = await createTestResponse({ audiences: [[organization.spEntityId]], recipient: organization.acsUrl, destination: organization.acsUrl });
      const cookie = sessionCookieOf(await postToAcs(t, organization, response.base64).expect(302))!;
      await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200);
      await t.app
        .get(Database)
        .manager.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [
          createHash('sha256').update(cookie.split('=')[1]).digest('hex'),
        ]);
      await t.http.get('/api/v1/me').set('Cookie', cookie).expect(401);
      await t.http.get('/api/v1/me').set('Authorization', `Bearer ${cookie.split('=')[1]}`).expect(401);
    });
  });

  it('falls back to / for a foreign returnTo', async () => {
    const { requestId, relayState } = await startSignIn(t, organization, 'https://evil.example/phish');
    const samlResponse = await createSamlPackageResponse({ audiences: [[organization.spEntityId]], recipient: organization.acsUrl, destination: organization.acsUrl, inResponseTo: requestId });
    const response = await postToAcs(t, organization, samlResponse.base64, relayState).expect(302);
    expect(response.headers.location).toBe('/');
    for (const foreign of ['//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
      const samlIdpInitiated = await createSamlPackageResponse({ audiences: [[organization.spEntityId]], recipient: organization.acsUrl, destination: organization.acsUrl });
      const idpInitiated = await postToAcs(t, organization, samlIdpInitiated.base64, foreign).expect(302);
      expect(idpInitiated.headers.location).toBe('/');
    }
  });

  describe('refusals', () => {
    type Case = [string, () => Promise<{ body: string; relayState?: string }>, string, number];
    const valid = (tenant: SsoTenant, extra: Parameters<typeof createTestResponse>[0] = {}) =>
      createTestResponse({ audiences: [[tenant.spEntityId]], recipient: tenant.acsUrl, destination: tenant.acsUrl, ...extra });
    const cases: Case[] = [
      ['an unsigned response', async () => ({ body: (await valid(organization, { sign: 'none' })).base64 }), 'unsigned', 400],
      ['a response signed by an unconfigured key', async () => ({ body: (await valid(organization, { credential: testCredential('attacker') })).base64 }), 'untrusted_certificate', 400],
      ['a wrong audience', async () => ({ body: (await valid(organization, { audiences: [[partner.spEntityId]] })).base64 }), 'audience_mismatch', 400],
      ['a wrong destination', async () => ({ body: (await valid(organization, { destination: partner.acsUrl })).base64 }), 'destination_mismatch', 400],
      ['a wrong recipient', async () => ({ body: (await valid(organization, { recipient: partner.acsUrl })).base64 }), 'recipient_mismatch', 400],
      ['a wrong issuer', async () => ({ body: (await valid(organization, { issuer: 'https://other-idp.example' })).base64 }), 'issuer_mismatch', 400],
      ['an expired assertion', async () => ({ body: (await valid(organization, { now: new Date(Date.now() - 3600_000) })).base64 }), 'expired', 400],
      ['a non-Success status', async () => ({ body: (await valid(organization, { statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder' })).base64 }), 'status_not_success', 400],
      ['SHA-1', async () => ({ body: (await valid(organization, { signatureAlgorithm: 'rsa-sha1', digestAlgorithm: 'sha1' })).base64 }), 'weak_algorithm', 400],
      ['bad base64', async () => ({ body: '!!!not base64!!!' }), 'malformed_request', 400],
      ['an unknown InResponseTo', async () => ({ body: (await valid(organization, { inResponseTo: '_never-issued' })).base64 }), 'unknown_request', 400],
      ['a DOCTYPE with entities', async () => ({
        body: Buffer.from('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&x;</samlp:Response>').toString('base64'),
      }), 'doctype_not_allowed', 400],
    ];

    it.each(cases)('refuses %s, records the reason and creates no session', async (_name, build, reason, status) => {
      const before = await countSessions(t, organization);
      const { body, relayState } = await build();
      const response = await postToAcs(t, organization, body, relayState).expect(status);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.text).toContain(reason);
      expect(response.text).not.toMatch(/at .*\.ts:\d+/);
      expect(sessionCookieOf(response)).toBeNull();
      expect(await countSessions(t, organization)).toBe(before);
      expect((await lastAttempt(t, organization)).reason).toBe(reason);
    });

    it('refuses a replayed assertion and a reused InResponseTo', async () => {
      const { requestId, relayState } = await startSignIn(t, organization);
      const first = await valid(organization, { inResponseTo: requestId });
      await postToAcs(t, organization, first.base64, relayState).expect(302);
      const before = await countSessions(t, organization);
      const replay = await postToAcs(t, organization, first.base64, relayState).expect(400);
      expect(replay.text).toContain('request_reused');
      const second = await valid(organization, { inResponseTo: requestId });
      await postToAcs(t, organization, second.base64, relayState).expect(400);
      expect((await lastAttempt(t, organization)).reason).toBe('request_reused');
      const idpInitiated = await valid(organization);
      await postToAcs(t, organization, idpInitiated.base64).expect(302);
      const replayed = await postToAcs(t, organization, idpInitiated.base64).expect(400);
      expect(replayed.text).toContain('replayed_assertion');
      expect((await lastAttempt(t, organization)).reason).toBe('replayed_assertion');
      expect(await countSessions(t, organization)).toBe(before + 1);
    });

    it('refuses a RelayState that was not issued with the answered request', async () => {
      const answered = await startSignIn(t, organization);
      const other = await startSignIn(t, organization);
      const response = await valid(organization, { inResponseTo: answered.requestId });
      await postToAcs(t, organization, response.base64, other.relayState).expect(400);
      expect((await lastAttempt(t, organization)).reason).toBe('unknown_request');
      const retry = await valid(organization, { inResponseTo: answered.requestId });
      await postToAcs(t, organization, retry.base64, answered.relayState).expect(302);
    });

    it('refuses an InResponseTo issued for another tenant', async () => {
      const { requestId } = await startSignIn(t, partner);
      const response = await valid(organization, { inResponseTo: requestId });
      await postToAcs(t, organization, response.base64).expect(400);
      expect((await lastAttempt(t, organization)).reason).toBe('unknown_request');
    });

    it('refuses IdP-initiated sign-in when the tenant does not allow it', async () => {
      await t.http.patch(organization.settingsPath).set(t.platform).send({ allowIdpInitiated: false }).expect(200);
      try {
        const response = await postToAcs(t, organization, (await valid(organization)).base64).expect(403);
        expect(response.text).toContain('idp_initiated_not_allowed');
        expect((await lastAttempt(t, organization)).reason).toBe('idp_initiated_not_allowed');
        const { requestId, relayState } = await startSignIn(t, organization);
        await postToAcs(t, organization, (await valid(organization, { inResponseTo: requestId })).base64, relayState).expect(302);
      } finally {
        await t.http.patch(organization.settingsPath).set(t.platform).send({ allowIdpInitiated: true }).expect(200);
      }
    });

    it('refuses every response while SSO is disabled', async () => {
      await t.http.post(`${organization.settingsPath}/disable`).set(t.platform).expect(200);
      try {
        const before = await countSessions(t, organization);
        const response = await postToAcs(t, organization, (await valid(organization)).base64).expect(403);
        expect(response.text).toContain('sso_disabled');
        expect((await lastAttempt(t, organization)).reason).toBe('sso_disabled');
        expect(await countSessions(t, organization)).toBe(before);
      } finally {
        await t.http.post(`${organization.settingsPath}/enable`).set(t.platform).expect(200);
      }
    });

    it('refuses a response signed by another tenant\'s IdP', async () => {
      const other = await createSsoTenant(t, 'organization');
      await t.http
        .put(`${other.settingsPath}/identity-provider`)
        .set(t.platform)
        .send({ entityId: IDP_ENTITY_ID, ssoUrl: IDP_SSO_URL, certificate: testCredential('idp-next').certificatePem })
        .expect(200);
      const response = await createTestResponse({
        audiences: [[organization.spEntityId]],
        recipient: organization.acsUrl,
        destination: organization.acsUrl,
        credential: testCredential('idp-next'),
      });
      await postToAcs(t, organization, response.base64).expect(400);
      expect((await lastAttempt(t, organization)).reason).toBe('untrusted_certificate');
    });

    it('refuses an oversized body with a 4xx and no 5xx', async () => {
      const huge = 'A'.repeat(1_100_000);
      const response = await postToAcs(t, organization, huge);
      expect(response.status).toBe(413);
    });
  });

  describe('an IdP with an EC key', () => {
    it('is accepted at import and signs users in with ECDSA-SHA256', async () => {
      const ecIdp = await createSsoTenant(t, 'organization');
      const p256 = ecTestCredential('p256');
      await t.http
        .put(`${ecIdp.settingsPath}/identity-provider`)
        .set(t.platform)
        .send({ entityId: IDP_ENTITY_ID, ssoUrl: IDP_SSO_URL, certificate: p256.certificatePem })
        .expect(200);
      const { requestId, relayState } = await startSignIn(t, ecIdp, '/ec');
      const samlResponse = await createTestResponse({
        audiences: [[ecIdp.spEntityId]],
        recipient: ecIdp.acsUrl,
        destination: ecIdp.acsUrl,
        inResponseTo: requestId,
        credential: p256,
        signatureAlgorithm: 'ecdsa-sha256',
      });
      const response = await postToAcs(t, ecIdp, samlResponse.base64, relayState).expect(302);
      expect(response.headers.location).toBe('/ec');
      expect((await lastAttempt(t, ecIdp)).outcome).toBe('success');
    });
  });
});
