import { createSign, createVerify, randomUUID } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import { Database } from '../../src/database/database.service';
import { IdpSession, LOGOUT_STATUS, LogoutAnswer, logoutResponseXml, SamlpLogoutIdp, samlpLogoutResponse } from '../helpers/samlp-logout-idp';
import { startTestApp, TestApp } from '../helpers/test-app';
import { basePostgresUrl } from '../helpers/test-database';
import { testCredential, TestCredential } from '../helpers/test-credentials';
import { createSamlPackageResponse, createTestResponse, IDP_ENTITY_ID } from '../helpers/test-idp';
import { createSsoTenant, IDP_SLO_URL, postToAcs, sessionCookieOf, SsoTenant, startSignIn } from '../helpers/sso-tenant';

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
const TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';

function logoutRequestXml(
  tenant: SsoTenant,
  nameId: string,
  options: { issuer?: string; destination?: string; notOnOrAfter?: Date } = {},
): string {
  return (
    `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"` +
    ` ID="_${randomUUID()}" Version="2.0" IssueInstant="${new Date().toISOString()}"` +
    ` Destination="${options.destination ?? `http://sso.test${tenant.samlPath}/slo`}"` +
    (options.notOnOrAfter ? ` NotOnOrAfter="${options.notOnOrAfter.toISOString()}"` : '') +
    `>` +
    `<saml:Issuer>${options.issuer ?? IDP_ENTITY_ID}</saml:Issuer>` +
    `<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${nameId}</saml:NameID>` +
    `</samlp:LogoutRequest>`
  );
}

/** The HTTP-Redirect binding as an IdP sends it: deflated, base64, signed over the query octets. */
function redirectQuery(xml: string, credential: TestCredential | null, relayState?: string): string {
  const message = encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'));
  let query = `SAMLRequest=${message}${relayState ? `&RelayState=${encodeURIComponent(relayState)}` : ''}`;
  if (!credential) return query;
  query += `&SigAlg=${encodeURIComponent(RSA_SHA256)}`;
  const signature = createSign('RSA-SHA256').update(query).sign(credential.privateKeyPem, 'base64');
  return `${query}&Signature=${encodeURIComponent(signature)}`;
}

function signedPostMessage(xml: string, credential: TestCredential): string {
  const signer = new SignedXml({ privateKey: credential.privateKeyPem, signatureAlgorithm: RSA_SHA256, canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' });
  signer.addReference({
    xpath: "//*[local-name(.)='LogoutRequest']",
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  signer.computeSignature(xml, { prefix: 'ds', location: { reference: "//*[local-name(.)='Issuer']", action: 'after' } });
  return Buffer.from(signer.getSignedXml()).toString('base64');
}

describe('single logout', () => {
  let t: TestApp;
  let tenant: SsoTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createSsoTenant(t, 'organization');
  });
  afterAll(() => t.close());

  async function signIn(email: string): Promise<string> {
    const { requestId, relayState } = await startSignIn(t, tenant);
    const response = await createSamlPackageResponse({
      audiences: [[tenant.spEntityId]],
      recipient: tenant.acsUrl,
      destination: tenant.acsUrl,
      inResponseTo: requestId,
      nameId: email,
      sessionIndex: `_idx-${randomUUID()}`,
    });
    return sessionCookieOf(await postToAcs(t, tenant, response.base64, relayState).expect(302))!;
  }

  it('ends the local session and sends the browser to the IdP with a signed LogoutRequest', async () => {
    const cookie = await signIn('leaver@example.com');
    const response = await t.http.post('/api/v1/logout').set('Cookie', cookie).expect(200);
    const url = new URL(response.body.redirectTo);
    expect(`${url.origin}${url.pathname}`).toBe(IDP_SLO_URL);
    const request = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString();
    expect(request).toContain('leaver@example.com');
    expect(request).toContain('SessionIndex');
    const query = url.search.slice(1);
    const verifier = createVerify('RSA-SHA256').update(query.slice(0, query.indexOf('&Signature=')));
    const settings = await t.http.get(tenant.settingsPath).set(t.platform);
    expect(verifier.verify(settings.body.serviceProvider.certificate, url.searchParams.get('Signature')!, 'base64')).toBe(true);
    expect(response.headers['set-cookie']![0]).toMatch(/sso_session=;/);
    await t.http.get('/api/v1/me').set('Cookie', cookie).expect(401);
  });

  it('answers {redirectTo: null} without a session', async () => {
    await t.http.post('/api/v1/logout').expect(200, { redirectTo: null });
  });

  it("ends the user's sessions on a signed LogoutRequest (Redirect) and answers a signed LogoutResponse", async () => {
    const first = await signIn('slo@example.com');
    const second = await signIn('slo@example.com');
    const bystander = await signIn('stays@example.com');
    const response = await t.http
      .get(`${tenant.samlPath}/slo?${redirectQuery(logoutRequestXml(tenant, 'slo@example.com'), testCredential('idp'), 'rs-1')}`)
      .expect(302);
    const url = new URL(response.headers.location);
    expect(`${url.origin}${url.pathname}`).toBe(IDP_SLO_URL);
    const logoutResponse = inflateRawSync(Buffer.from(url.searchParams.get('SAMLResponse')!, 'base64')).toString();
    expect(logoutResponse).toContain('urn:oasis:names:tc:SAML:2.0:status:Success');
    expect(url.searchParams.get('Signature')).toBeTruthy();
    expect(url.searchParams.get('RelayState')).toBe('rs-1');
    await t.http.get('/api/v1/me').set('Cookie', first).expect(401);
    await t.http.get('/api/v1/me').set('Cookie', second).expect(401);
    await t.http.get('/api/v1/me').set('Cookie', bystander).expect(200);
  });

  it.each([
    ['unsigned', () => redirectQuery(logoutRequestXml(tenant, 'kept@example.com'), null), 'unsigned'],
    ['signed by another key', () => redirectQuery(logoutRequestXml(tenant, 'kept@example.com'), testCredential('attacker')), 'invalid_signature'],
    ['from another issuer', () => redirectQuery(logoutRequestXml(tenant, 'kept@example.com', { issuer: 'https://evil' }), testCredential('idp')), 'issuer_mismatch'],
    ['addressed to another SP', () => redirectQuery(logoutRequestXml(tenant, 'kept@example.com', { destination: 'https://other-sp.example/slo' }), testCredential('idp')), 'destination_mismatch'],
    ['expired', () => redirectQuery(logoutRequestXml(tenant, 'kept@example.com', { notOnOrAfter: new Date(Date.now() - 3600_000) }), testCredential('idp')), 'expired'],
    ['tampered after signing', () => redirectQuery(logoutRequestXml(tenant, 'kept@example.com'), testCredential('idp')).replace('SAMLRequest=', 'SAMLRequest=A'), 'invalid_signature'],
  ])('refuses a Redirect LogoutRequest %s with 400 and ends nothing', async (_name, query, reason) => {
    const cookie = await signIn('kept@example.com');
    const response = await t.http.get(`${tenant.samlPath}/slo?${query()}`).expect(400);
    expect(response.text).toContain(reason);
    await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200);
  });

  it('handles the POST binding: signed ends the sessions, unsigned is refused', async () => {
    const cookie = await signIn('post@example.com');
    const unsigned = Buffer.from(logoutRequestXml(tenant, 'post@example.com')).toString('base64');
    const refused = await t.http.post(`${tenant.samlPath}/slo`).type('form').send({ SAMLRequest: unsigned }).expect(400);
    expect(refused.text).toContain('unsigned');
    const forged = signedPostMessage(logoutRequestXml(tenant, 'post@example.com'), testCredential('attacker'));
    await t.http.post(`${tenant.samlPath}/slo`).type('form').send({ SAMLRequest: forged }).expect(400);
    await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200);

    const signed = signedPostMessage(logoutRequestXml(tenant, 'post@example.com'), testCredential('idp'));
    await t.http.post(`${tenant.samlPath}/slo`).type('form').send({ SAMLRequest: signed }).expect(302);
    await t.http.get('/api/v1/me').set('Cookie', cookie).expect(401);
  });

  describe("SP-initiated, against samlp as the IdP (its NameID compared as Lasso does)", () => {
    const spSloUrl = () => `http://sso.test${tenant.samlPath}/slo`;

    interface SignedInUser {
      cookie: string;
      idpSession: IdpSession;
    }

    /** Signs in with an assertion whose NameID carries these attributes; what the IdP remembers of it. */
    async function signInAs(
      nameId: string,
      nameIdAttributes: IdpSession['nameIdAttributes'],
      options: { binding?: IdpSession['binding']; at?: SsoTenant } = {},
    ): Promise<SignedInUser> {
      const at = options.at ?? tenant;
      const { Format: nameIdFormat, ...qualifiers } = nameIdAttributes;
      const sessionIndex = `_idx-${randomUUID()}`;
      const { requestId, relayState } = await startSignIn(t, at);
      const response = await createTestResponse({
        audiences: [[at.spEntityId]],
        recipient: at.acsUrl,
        destination: at.acsUrl,
        inResponseTo: requestId,
        nameId,
        nameIdFormat,
        nameIdAttributes: qualifiers as Record<string, string>,
        sessionIndex,
        attributes: { 'User.Email': `user-${randomUUID()}@example.com` },
      });
      const cookie = sessionCookieOf(await postToAcs(t, at, response.base64, relayState).expect(302))!;
      const settings = await t.http.get(at.settingsPath).set(t.platform).expect(200);
      return {
        cookie,
        idpSession: {
          spEntityId: at.spEntityId,
          spCertificatePem: settings.body.serviceProvider.certificate,
          spSloUrl: `http://sso.test${at.samlPath}/slo`,
          nameId,
          nameIdAttributes,
          sessionIndex,
          binding: options.binding ?? 'redirect',
        },
      };
    }

    async function logOut(user: SignedInUser): Promise<{ redirectTo: string; requestId: string }> {
      const { redirectTo } = (await t.http.post('/api/v1/logout').set('Cookie', user.cookie).expect(200)).body;
      await t.http.get('/api/v1/me').set('Cookie', user.cookie).expect(401);
      const xml = inflateRawSync(Buffer.from(new URL(redirectTo).searchParams.get('SAMLRequest')!, 'base64')).toString();
      return { redirectTo, requestId: /\sID="([^"]+)"/.exec(xml)![1] };
    }

    /** The browser brings the IdP's answer to the tenant's SLO endpoint, wherever the answer says it is addressed. */
    function deliver(answer: LogoutAnswer, at: SsoTenant = tenant, instance: TestApp = t) {
      return answer.binding === 'redirect'
        ? instance.http.get(`${at.samlPath}/slo${answer.url.search}`)
        : instance.http.post(`${at.samlPath}/slo`).type('form').send({ SAMLResponse: answer.samlResponse });
    }

    async function lastAudit(at: SsoTenant = tenant) {
      return (await t.http.get(`${at.settingsPath}/audit-log?limit=1`).set(t.platform).expect(200)).body[0];
    }

    const qualified = () => ({
      Format: PERSISTENT,
      NameQualifier: 'https://idp.example.test/?realm=a&b="c"<d>',
      SPNameQualifier: tenant.spEntityId,
      SPProvidedID: "sp'provided\tid\nnext line é",
    });

    it('sends back every NameID attribute and the SessionIndex exactly as asserted; the IdP ends its session and the page says so', async () => {
      const user = await signInAs('AAdzZWNyZXQx&<42>', qualified());
      const idp = new SamlpLogoutIdp(user.idpSession);
      const { redirectTo, requestId } = await logOut(user);

      const answer = await idp.answer(redirectTo);
      expect(idp.seen[0]).toMatchObject({
        nameId: 'AAdzZWNyZXQx&<42>',
        nameIdAttributes: qualified(),
        sessionIndexes: [user.idpSession.sessionIndex],
      });
      expect(logoutResponseXml(answer)).toContain(`InResponseTo="${requestId}"`);
      expect(logoutResponseXml(answer)).toContain(LOGOUT_STATUS.success);

      const page = await deliver(answer).expect(200);
      expect(page.text).toContain('You are signed out of this service and of your identity provider.');
      expect(await lastAudit()).toMatchObject({
        action: 'single_logout',
        actor: { type: 'user' },
        changes: [{ field: 'outcome', new: 'success' }],
      });
    });

    it('sends a NameID without qualifiers without them, in the Format the assertion had', async () => {
      const user = await signInAs(`transient-${randomUUID()}`, { Format: TRANSIENT });
      const idp = new SamlpLogoutIdp(user.idpSession);
      await deliver(await idp.answer((await logOut(user)).redirectTo)).expect(200);
      expect(idp.seen[0].nameIdAttributes).toEqual({ Format: TRANSIENT, NameQualifier: null, SPNameQualifier: null, SPProvidedID: null });
    });

    it('tells the user when the IdP did not confirm the logout, and records its status', async () => {
      const user = await signInAs(`jane-${randomUUID()}`, qualified());
      // The IdP knows the session under another NameQualifier: no session matches, it answers Responder.
      const idp = new SamlpLogoutIdp({
        ...user.idpSession,
        nameIdAttributes: { ...user.idpSession.nameIdAttributes, NameQualifier: 'https://idp.example.test/other' },
      });
      const answer = await idp.answer((await logOut(user)).redirectTo);
      const page = await deliver(answer).expect(200);
      expect(page.text).toContain('your identity provider did not confirm that it ended your session there');
      expect(page.text).not.toContain('and of your identity provider');
      expect(await lastAudit()).toMatchObject({
        action: 'single_logout',
        changes: [
          { field: 'outcome', new: 'not_confirmed' },
          { field: 'reason', new: 'status_not_success' },
          { field: 'status', new: expect.stringContaining(LOGOUT_STATUS.responder) },
        ],
      });
    });

    it('takes the LogoutResponse on the HTTP-POST binding, signed in the message', async () => {
      const user = await signInAs(`post-${randomUUID()}`, qualified(), { binding: 'post' });
      const answer = await new SamlpLogoutIdp(user.idpSession).answer((await logOut(user)).redirectTo);
      expect(answer.binding).toBe('post');

      const unsigned = logoutResponseXml(answer).replace(/<Signature[\s\S]*<\/Signature>/, '');
      expect(unsigned).not.toContain('SignatureValue');
      const refused = await deliver({ ...answer, samlResponse: Buffer.from(unsigned).toString('base64') } as LogoutAnswer).expect(400);
      expect(refused.text).toContain('unsigned');

      const page = await deliver(answer).expect(200);
      expect(page.text).toContain('You are signed out of this service and of your identity provider.');
    });

    type Refusal = (pending: { requestId: string }) => Promise<LogoutAnswer>;
    const answered = (overrides: Partial<Parameters<typeof samlpLogoutResponse>[0]> = {}): Refusal => ({ requestId }) =>
      samlpLogoutResponse({ destination: spSloUrl(), inResponseTo: requestId, ...overrides });

    it.each<[string, Refusal, string]>([
      [
        'unsigned',
        async (pending) => {
          const { url } = (await answered()(pending)) as Extract<LogoutAnswer, { binding: 'redirect' }>;
          url.searchParams.delete('SigAlg');
          url.searchParams.delete('Signature');
          return { binding: 'redirect', url };
        },
        'unsigned',
      ],
      ['signed by another key', answered({ credential: testCredential('attacker') }), 'invalid_signature'],
      ['answering no request', answered({ inResponseTo: '' }), 'unknown_request'],
      ['answering a request never sent', answered({ inResponseTo: `_${randomUUID()}` }), 'unknown_request'],
      ['addressed to another SP', answered({ destination: 'https://other-sp.example/slo' }), 'destination_mismatch'],
      ['from another issuer', answered({ issuer: 'https://evil.example/idp' }), 'issuer_mismatch'],
      [
        'answering an expired request',
        async (pending) => {
          await t.app.get(Database).manager.query(`UPDATE logout_requests SET expires_at = now() - interval '1 second' WHERE id = $1`, [pending.requestId]);
          return answered()(pending);
        },
        'unknown_request',
      ],
    ])('refuses a LogoutResponse %s with 400, its reason, and a record', async (_name, makeAnswer, reason) => {
      const pending = await logOut(await signInAs(`refused-${randomUUID()}`, qualified()));
      const response = await deliver(await makeAnswer(pending)).expect(400);
      expect(response.text).toContain('Sign-out failed');
      expect(response.text).toContain(reason);
      expect(await lastAudit()).toMatchObject({
        action: 'single_logout',
        actor: { type: 'unverified_message', id: null },
        changes: [
          { field: 'outcome', new: 'refused' },
          { field: 'reason', new: reason },
        ],
      });
    });

    it('matches a LogoutResponse once: a second delivery is refused as reused', async () => {
      const pending = await logOut(await signInAs(`twice-${randomUUID()}`, qualified()));
      const answer = await samlpLogoutResponse({ destination: spSloUrl(), inResponseTo: pending.requestId });
      await deliver(answer).expect(200);
      const again = await deliver(answer).expect(400);
      expect(again.text).toContain('request_reused');
    });

    // Two app instances need a PostgreSQL both can reach: the embedded database is one process's.
    (basePostgresUrl() ? it : it.skip)("matches on one instance the LogoutRequest another sent, once", async () => {
      const sibling = await t.startSibling();
      const pending = await logOut(await signInAs(`sibling-${randomUUID()}`, qualified()));
      const answer = await samlpLogoutResponse({ destination: spSloUrl(), inResponseTo: pending.requestId });
      await deliver(answer, tenant, sibling).expect(200);
      expect((await deliver(answer).expect(400)).text).toContain('request_reused');
    });

    it("refuses an answer to another tenant's LogoutRequest", async () => {
      const other = await createSsoTenant(t, 'partner');
      const pending = await logOut(await signInAs(`other-${randomUUID()}`, qualified(), { at: other }));
      const answer = await samlpLogoutResponse({ destination: spSloUrl(), inResponseTo: pending.requestId });
      const response = await deliver(answer).expect(400);
      expect(response.text).toContain('unknown_request');
      // Still open for the tenant that sent it.
      const own = await samlpLogoutResponse({ destination: `http://sso.test${other.samlPath}/slo`, inResponseTo: pending.requestId });
      await deliver(own, other).expect(200);
    });

    it('refuses an /slo call carrying neither a SAMLRequest nor a SAMLResponse', async () => {
      const response = await t.http.get(`${tenant.samlPath}/slo`).expect(400);
      expect(response.text).toContain('malformed_request');
    });
  });
});
