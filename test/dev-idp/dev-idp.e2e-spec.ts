import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { startDevIdp, RunningDevIdp } from '../../scripts/dev-idp/dev-idp-server';
import { parseIdpMetadata } from '../../src/sso-config/idp/idp-metadata.parser';

const SP_BASE = 'https://sso.example.test/saml/organization/7f0c1a56-9a43-4c55-9d7e-2f1b3c4d5e6f';
const SP_ENTITY_ID = `${SP_BASE}/metadata`;
const ACS_URL = `${SP_BASE}/acs`;
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/** The hidden fields and target of an auto-submitting HTML form. */
function postedForm(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form in: ${html.slice(0, 500)}`);
  const fields = Object.fromEntries(
    [...html.matchAll(/name="([^"]+)"\s+value="([^"]*)"/g)].map(([, name, value]) => [name, value.replace(/&#(\d+);/g, (_m, code) => String.fromCharCode(Number(code)))]),
  );
  return { action, fields };
}

async function postForm(url: string, fields: Record<string, string>): Promise<string> {
  const response = await fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${body}`);
  return body;
}

describe('dev IdP (samlp)', () => {
  let dataDir: string;
  let idp: RunningDevIdp;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dev-idp-'));
    idp = await startDevIdp({ port: 0, dataDir });
  });
  afterAll(async () => {
    await idp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function serviceProvider(validateInResponseTo: ValidateInResponseTo): SAML {
    return new SAML({
      entryPoint: `${idp.baseUrl}/sso`,
      logoutUrl: `${idp.baseUrl}/slo`,
      issuer: SP_ENTITY_ID,
      callbackUrl: ACS_URL,
      audience: SP_ENTITY_ID,
      idpIssuer: idp.entityId,
      idpCert: idp.certificatePem,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: true,
      validateInResponseTo,
      signatureAlgorithm: 'sha256',
      digestAlgorithm: 'sha256',
    });
  }

  it('serves metadata the service imports: redirect SSO, signing certificate, single logout', async () => {
    const response = await fetch(idp.metadataUrl);
    expect(response.status).toBe(200);
    const descriptor = parseIdpMetadata(await response.text());
    expect(descriptor).toMatchObject({ entityId: idp.entityId, ssoUrl: `${idp.baseUrl}/sso`, ssoBinding: 'redirect', sloUrl: `${idp.baseUrl}/slo` });
    expect(descriptor.certificates).toEqual([idp.certificatePem.replace(/\r\n/g, '\n')]);
  });

  it('keeps its signing key across restarts in DATA_DIR/dev-idp', async () => {
    const again = await startDevIdp({ port: 0, dataDir });
    try {
      expect(again.certificatePem).toBe(idp.certificatePem);
    } finally {
      await again.close();
    }
  });

  it('answers an SP-initiated AuthnRequest with a signed RSA-SHA256 response to its ACS, InResponseTo set', async () => {
    const sp = serviceProvider(ValidateInResponseTo.always);
    const authorizeUrl = await sp.getAuthorizeUrlAsync('/app', undefined, {});
    const loginPage = await (await fetch(authorizeUrl)).text();
    expect(loginPage).toContain(SP_ENTITY_ID);
    const { fields: request } = postedForm(loginPage);

    const form = postedForm(await postForm(`${idp.baseUrl}/sso/respond`, { ...request, user: 'ada' }));
    expect(form.action).toBe(ACS_URL);
    expect(form.fields.RelayState).toBe('/app');
    const xml = Buffer.from(form.fields.SAMLResponse, 'base64').toString('utf8');
    expect(xml).toContain(`Destination="${ACS_URL}"`);
    expect(xml).toContain(`Recipient="${ACS_URL}"`);
    expect(xml).toContain(`<saml:Audience>${SP_ENTITY_ID}</saml:Audience>`);
    expect(xml.match(/SignatureMethod Algorithm="([^"]+)"/g)).toEqual([
      `SignatureMethod Algorithm="${RSA_SHA256}"`,
      `SignatureMethod Algorithm="${RSA_SHA256}"`,
    ]);
    expect([...xml.matchAll(/DigestMethod Algorithm="([^"]+)"/g)].map(([, algorithm]) => algorithm)).toEqual([SHA256, SHA256]);

    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: form.fields.SAMLResponse });
    expect(profile).toMatchObject({
      nameID: 'ada.admin@example.com',
      nameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      'User.Email': 'ada.admin@example.com',
      'User.FirstName': 'Ada',
      'User.LastName': 'Admin',
      'User.groups': ['sso-admins', 'engineering'],
    });
    expect(profile?.inResponseTo).toMatch(/^_/);
  });

  it('signs an IdP-initiated response for the chosen SP, without InResponseTo', async () => {
    const html = await postForm(`${idp.baseUrl}/idp-initiated`, { audience: SP_ENTITY_ID, acsUrl: '', RelayState: '/app', user: 'vera' });
    const form = postedForm(html);
    expect(form.action).toBe(ACS_URL);
    const xml = Buffer.from(form.fields.SAMLResponse, 'base64').toString('utf8');
    expect(xml).not.toContain('InResponseTo');
    const { profile } = await serviceProvider(ValidateInResponseTo.never).validatePostResponseAsync({ SAMLResponse: form.fields.SAMLResponse });
    expect(profile).toMatchObject({ nameID: 'vera.viewer@example.com', 'User.groups': 'contractors' });
  });

  it('answers an SP LogoutRequest with a signed LogoutResponse to the SP single logout URL', async () => {
    const sp = serviceProvider(ValidateInResponseTo.ifPresent);
    const logoutUrl = await sp.getLogoutUrlAsync(
      { issuer: idp.entityId, nameID: 'ada.admin@example.com', nameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', sessionIndex: '_s' },
      '/logged-out',
      {},
    );
    const form = postedForm(await (await fetch(logoutUrl)).text());
    expect(form.action).toBe(`${SP_BASE}/slo`);
    expect(form.fields.RelayState).toBe('/logged-out');
    await expect(sp.validatePostResponseAsync({ SAMLResponse: form.fields.SAMLResponse })).resolves.toMatchObject({ loggedOut: true });
  });

  it('refuses what it cannot answer with a page that says why', async () => {
    const unknownUser = await fetch(`${idp.baseUrl}/idp-initiated`, {
      method: 'POST',
      body: new URLSearchParams({ audience: SP_ENTITY_ID, user: 'mallory' }),
    });
    expect(unknownUser.status).toBe(400);
    expect(await unknownUser.text()).toContain('Choose one of the listed users.');
    const garbage = await fetch(`${idp.baseUrl}/sso?SAMLRequest=bm90IGEgcmVxdWVzdA`);
    expect(garbage.status).toBe(400);
  });
});
