import { createSign, createVerify, randomUUID } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import { startTestApp, TestApp } from '../helpers/test-app';
import { testCredential, TestCredential } from '../helpers/test-credentials';
import { createSamlPackageResponse, IDP_ENTITY_ID } from '../helpers/test-idp';
import { createSsoTenant, IDP_SLO_URL, postToAcs, sessionCookieOf, SsoTenant, startSignIn } from '../helpers/sso-tenant';

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

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
});
