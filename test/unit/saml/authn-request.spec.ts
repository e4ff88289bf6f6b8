import { DOMParser } from '@xmldom/xmldom';
import { execFileSync } from 'node:child_process';
import { verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import * as samlify from 'samlify';
import {
  authnRequestXml,
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
  acsUrl: 'https://sp.example.com/saml/organization/o1/acs?x="1"&y=<2>',
  issuer: 'https://sp.example.com/saml/organization/o1/metadata?a=1&b=<c>',
};

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

    it('is verified by samlify as the IdP', async () => {
      const { serviceProvider, identityProvider } = samlifyIdp();
      const parsed = await identityProvider.parseLoginRequest(serviceProvider, 'post', {
        body: { SAMLRequest: Buffer.from(xml).toString('base64') },
      });
      expect(parsed.extract.request?.id).toBe(content.id);
    });
  });
});
