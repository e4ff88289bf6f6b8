import { DOMParser } from '@xmldom/xmldom';
import { execFileSync } from 'node:child_process';
import { verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import * as samlp from 'samlp';
import * as samlify from 'samlify';
import { parseHardenedXml } from '../../../src/common/xml/hardened-xml';
import {
  authnRequestXml,
  newAuthnRequestId,
  postAuthnRequest,
  redirectAuthnRequestUrl,
  type AuthnRequestContent,
} from '../../../src/saml/protocol/authn-request';
import { testCredential } from '../../helpers/test-credentials';
import { assertXmlsec1Installed, XMLSEC1 } from '../../helpers/xmlsec1';

const SSO_URL = 'https://idp.example.com/sso?tenant=a&b=1';
const RELAY_STATE = 'r3lay-STATE_x';
const sp = testCredential('sp');

const content: AuthnRequestContent = {
  id: '_9f1c0a52-3b7e-4d7a-9f7e-0c6b1d2e3f40',
  issueInstant: new Date('2030-06-01T12:00:00.000Z'),
  destination: SSO_URL,
  acsUrl: `https://sp.example.com/saml/organization/o1/acs?x="1"&y=<2>&z='3'`,
  issuer: `https://sp.example.com/saml/organization/o1/metadata?a=1&b=<c>&d="e"&f='g'`,
};
const PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
const ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';

/** samlify acting as the IdP that receives the request: it verifies the signature with the SP's certificate. */
function samlifyIdp() {
  samlify.setSchemaValidator({ validate: async () => 'skipped: the request is built by the code under test, not parsed by it' });
  const serviceProvider = samlify.ServiceProvider({
    entityID: content.issuer,
    authnRequestsSigned: true,
    signingCert: sp.certificatePem,
    assertionConsumerService: [{ Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', Location: content.acsUrl }],
  });
  const identityProvider = samlify.IdentityProvider({
    entityID: 'https://idp.example.com',
    wantAuthnRequestsSigned: true,
    signingCert: sp.certificatePem,
    singleSignOnService: [{ Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', Location: SSO_URL }],
    singleLogoutService: [{ Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', Location: SSO_URL }],
  });
  return { serviceProvider, identityProvider };
}

/** auth0's samlp, the IdP library of the test and dev IdPs, reading the request as it arrives and verifying its signature. */
function samlpReads(request: { query: Record<string, string>; body?: Record<string, string> }): Promise<samlp.AuthnRequestSeenByIdp> {
  return new Promise((resolve, reject) =>
    samlp.parseRequest(request, { signingCert: sp.certificatePem }, (error, data) => (error ? reject(error) : resolve(data!))),
  );
}

/** The query parameters decoded, as an IdP's web framework hands them over. */
function decodedQuery(url: string): Record<string, string> {
  return Object.fromEntries([...rawParameters(url)].map(([name, value]) => [name, decodeURIComponent(value)]));
}

/** The raw value of each query parameter, as an IdP reads the octets it verifies. */
function rawParameters(url: string): Map<string, string> {
  const query = url.slice(url.indexOf('?') + 1);
  return new Map(query.split('&').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

describe('the AuthnRequest', () => {
  it('escapes every interpolated value, so that the IdP reads back exactly what was configured', () => {
    const root = new DOMParser().parseFromString(authnRequestXml(content), 'text/xml').documentElement!;
    expect(root.getAttribute('ID')).toBe(content.id);
    expect(root.getAttribute('Destination')).toBe(content.destination);
    expect(root.getAttribute('AssertionConsumerServiceURL')).toBe(content.acsUrl);
    expect(root.getAttribute('ProtocolBinding')).toBe('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    expect(root.getAttribute('IssueInstant')).toBe('2030-06-01T12:00:00.000Z');
    expect(root.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Issuer')[0].textContent).toBe(content.issuer);
    const policy = root.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:protocol', 'NameIDPolicy')[0];
    expect(policy.getAttribute('Format')).toBe('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    expect(policy.getAttribute('AllowCreate')).toBe('false');
  });

  it('lets no configured value add markup: quotes, angle brackets and ampersands stay inside their value', () => {
    const hostile: AuthnRequestContent = {
      ...content,
      id: `_a" ForceAuthn="true`,
      destination: `https://idp.example.com/sso?a=1&b='2' IsPassive='true'`,
      acsUrl: `https://sp.example.com/acs"><samlp:Extensions/><x y="`,
      issuer: `https://sp.example.com/</saml:Issuer><saml:Issuer>https://evil.example.com`,
    };
    const xml = authnRequestXml(hostile);
    // Parsed strictly: an unescaped quote or bracket would make this throw or add nodes.
    const root = parseHardenedXml(xml).documentElement!;
    expect(root.getAttribute('ID')).toBe(hostile.id);
    expect(root.getAttribute('Destination')).toBe(hostile.destination);
    expect(root.getAttribute('AssertionConsumerServiceURL')).toBe(hostile.acsUrl);
    expect(root.hasAttribute('ForceAuthn')).toBe(false);
    expect(root.hasAttribute('IsPassive')).toBe(false);
    expect(root.attributes.length).toBe(8);
    const issuers = root.getElementsByTagNameNS(ASSERTION_NS, 'Issuer');
    expect(issuers.length).toBe(1);
    expect(issuers[0].textContent).toBe(hostile.issuer);
    expect(root.getElementsByTagNameNS(PROTOCOL_NS, 'Extensions').length).toBe(0);
    expect(xml).toContain(`Destination="https://idp.example.com/sso?a=1&amp;b=&apos;2&apos; IsPassive=&apos;true&apos;"`);
    expect(xml).toContain(`ID="_a&quot; ForceAuthn=&quot;true"`);
    expect(xml).toContain(`acs&quot;&gt;&lt;samlp:Extensions/&gt;&lt;x y=&quot;"`);
    expect(xml).toContain(`<saml:Issuer>https://sp.example.com/&lt;/saml:Issuer&gt;&lt;saml:Issuer&gt;https://evil.example.com</saml:Issuer>`);
  });

  it('asks for ForceAuthn and IsPassive only when told to', () => {
    const plain = parseHardenedXml(authnRequestXml(content)).documentElement!;
    expect(plain.hasAttribute('ForceAuthn')).toBe(false);
    expect(plain.hasAttribute('IsPassive')).toBe(false);
    const forced = parseHardenedXml(authnRequestXml({ ...content, forceAuthn: true })).documentElement!;
    expect(forced.getAttribute('ForceAuthn')).toBe('true');
    expect(forced.hasAttribute('IsPassive')).toBe(false);
    const passive = parseHardenedXml(authnRequestXml({ ...content, isPassive: true })).documentElement!;
    expect(passive.getAttribute('IsPassive')).toBe('true');
    expect(passive.hasAttribute('ForceAuthn')).toBe(false);
  });

  it('has a fresh ID that is an XML name (it may not start with a digit) and an IssueInstant in UTC', () => {
    const ids = new Set(Array.from({ length: 100 }, newAuthnRequestId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const root = parseHardenedXml(authnRequestXml({ ...content, issueInstant: new Date(Date.UTC(2031, 0, 2, 3, 4, 5, 6)) })).documentElement!;
    expect(root.getAttribute('IssueInstant')).toBe('2031-01-02T03:04:05.006Z');
    expect(root.getAttribute('Version')).toBe('2.0');
  });

  describe('on the HTTP-Redirect binding', () => {
    const url = redirectAuthnRequestUrl(content, RELAY_STATE, sp.privateKey);
    const raw = rawParameters(url);
    const signedOctets = `SAMLRequest=${raw.get('SAMLRequest')}&RelayState=${raw.get('RelayState')}&SigAlg=${raw.get('SigAlg')}`;
    const signature = Buffer.from(decodeURIComponent(raw.get('Signature')!), 'base64');

    it('keeps the IdP URL query and carries the deflated request', () => {
      expect(url.startsWith(`${SSO_URL}&SAMLRequest=`)).toBe(true);
      const xml = inflateRawSync(Buffer.from(decodeURIComponent(raw.get('SAMLRequest')!), 'base64')).toString('utf8');
      expect(xml).toBe(authnRequestXml(content));
      expect(decodeURIComponent(raw.get('SigAlg')!)).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
      expect(raw.get('RelayState')).toBe(RELAY_STATE);
    });

    it('is signed over the query octets as sent, which samlify as the IdP verifies', async () => {
      const { serviceProvider, identityProvider } = samlifyIdp();
      const query = Object.fromEntries([...raw].map(([name, value]) => [name, decodeURIComponent(value)]));
      const parsed = await identityProvider.parseLoginRequest(serviceProvider, 'redirect', { query, octetString: signedOctets });
      expect(parsed.extract.request?.id).toBe(content.id);
    });

    it("is accepted by samlp as the IdP, which verifies the signature with the SP's certificate and reads ForceAuthn", async () => {
      const seen = await samlpReads({ query: decodedQuery(url) });
      expect(seen).toMatchObject({ id: content.id, issuer: content.issuer, destination: SSO_URL, assertionConsumerServiceURL: content.acsUrl });
      expect(seen.forceAuthn).toBeUndefined();
      const forced = await samlpReads({ query: decodedQuery(redirectAuthnRequestUrl({ ...content, forceAuthn: true }, RELAY_STATE, sp.privateKey)) });
      expect(forced.forceAuthn).toBe('true');
      await expect(samlpReads({ query: { ...decodedQuery(url), RelayState: 'another' } })).rejects.toThrow(/does not match/);
      const { Signature: _signature, ...unsigned } = decodedQuery(url);
      await expect(samlpReads({ query: { ...unsigned, Signature: '' } })).rejects.toThrow(/MUST be signed/);
    });

    it('is signed over exactly those octets, and no others', () => {
      expect(verify('sha256', Buffer.from(signedOctets), sp.publicKey, signature)).toBe(true);
      const withoutRelayState = `SAMLRequest=${raw.get('SAMLRequest')}&SigAlg=${raw.get('SigAlg')}`;
      const decodedSigAlg = `SAMLRequest=${raw.get('SAMLRequest')}&RelayState=${RELAY_STATE}&SigAlg=${decodeURIComponent(raw.get('SigAlg')!)}`;
      for (const octets of [withoutRelayState, decodedSigAlg, `${signedOctets}&`]) {
        expect(verify('sha256', Buffer.from(octets), sp.publicKey, signature)).toBe(false);
      }
    });
  });

  describe('on the HTTP-POST binding', () => {
    const xml = Buffer.from(postAuthnRequest(content, sp), 'base64').toString('utf8');

    it('carries an enveloped signature after the Issuer, which xmlsec1 verifies with the SP certificate', () => {
      expect(xml).toMatch(/<\/saml:Issuer><ds:Signature /);
      assertXmlsec1Installed();
      const directory = mkdtempSync(join(tmpdir(), 'authn-request-'));
      try {
        writeFileSync(join(directory, 'cert.pem'), sp.certificatePem);
        writeFileSync(join(directory, 'request.xml'), xml);
        const verifyWith = (file: string) =>
          execFileSync(XMLSEC1, ['--verify', '--pubkey-cert-pem', join(directory, 'cert.pem'), '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:protocol:AuthnRequest', join(directory, file)], { stdio: 'pipe' });
        expect(() => verifyWith('request.xml')).not.toThrow();
        writeFileSync(join(directory, 'altered.xml'), xml.replace('AllowCreate="false"', 'AllowCreate="true"'));
        expect(() => verifyWith('altered.xml')).toThrow();
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it('is accepted by samlp as the IdP, with ForceAuthn under the signature, and refused once altered', async () => {
      const forced = postAuthnRequest({ ...content, forceAuthn: true }, sp);
      const seen = await samlpReads({ query: {}, body: { SAMLRequest: forced } });
      expect(seen).toMatchObject({ id: content.id, issuer: content.issuer, forceAuthn: 'true', assertionConsumerServiceURL: content.acsUrl });
      const altered = Buffer.from(Buffer.from(forced, 'base64').toString('utf8').replace(' ForceAuthn="true"', ''), 'utf8').toString('base64');
      await expect(samlpReads({ query: {}, body: { SAMLRequest: altered } })).rejects.toThrow(/Signature check errors/);
    });

    it('is verified by samlify as the IdP', async () => {
      const { serviceProvider, identityProvider } = samlifyIdp();
      const parsed = await identityProvider.parseLoginRequest(serviceProvider, 'post', {
        body: { SAMLRequest: Buffer.from(xml).toString('base64') },
      });
      expect(parsed.extract.request?.id).toBe(content.id);
    });
  });
});
