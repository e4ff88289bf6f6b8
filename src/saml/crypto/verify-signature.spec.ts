import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { ecTestCredential, testCredential } from '../../../test/helpers/test-credentials';
import {
  buildAssertionXml,
  buildResponseXml,
  createTestResponse,
  ENVELOPED_SIGNATURE,
  EXC_C14N,
  type SignatureAlgorithmName,
} from '../../../test/helpers/test-idp';
import { assertXmlsec1Installed, signWithXmlsec1 } from '../../../test/helpers/xmlsec1';
import { SamlValidationError } from '../saml-error';
import { childElements } from '../xml/dom';
import { SAML_ASSERTION_NS, XMLDSIG_NS } from '../xml/namespaces';
import { parseXml } from '../xml/parse-xml';
import { verifyEnvelopedSignature } from './signature';
import { verifySignatureWithPolicy } from './verify-signature';

const XMLDSIG_MORE = 'http://www.w3.org/2001/04/xmldsig-more#';
const DIGEST_URIS = {
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha384: 'http://www.w3.org/2001/04/xmldsig-more#sha384',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
};
const STRICT = { allowSha1: false };
const p256 = ecTestCredential('p256');
const p384 = ecTestCredential('p384');
const rsa = testCredential('idp');

function assertionSignature(xml: string): Element {
  const assertion = parseXml(xml).getElementsByTagNameNS(SAML_ASSERTION_NS, 'Assertion').item(0)!;
  return childElements(assertion, XMLDSIG_NS, 'Signature')[0];
}

function verdict(xml: string, keys: KeyObject[], policy = STRICT): string {
  try {
    verifyEnvelopedSignature(assertionSignature(xml), keys, policy);
    return 'valid';
  } catch (error) {
    if (error instanceof SamlValidationError) return error.reason;
    throw error;
  }
}

/** An unsigned Response whose assertion holds an xmlsec1 signature template right after its Issuer. */
function xmlsec1Template(signatureMethod: string, digest: keyof typeof DIGEST_URIS): string {
  const now = new Date();
  const response = buildResponseXml(buildAssertionXml({}, now, false), {}, now);
  const assertionId = /<saml:Assertion[^>]* ID="([^"]+)"/.exec(response)![1];
  const template =
    `<ds:Signature xmlns:ds="${XMLDSIG_NS}"><ds:SignedInfo>` +
    `<ds:CanonicalizationMethod Algorithm="${EXC_C14N}"/><ds:SignatureMethod Algorithm="${signatureMethod}"/>` +
    `<ds:Reference URI="#${assertionId}"><ds:Transforms><ds:Transform Algorithm="${ENVELOPED_SIGNATURE}"/>` +
    `<ds:Transform Algorithm="${EXC_C14N}"/></ds:Transforms><ds:DigestMethod Algorithm="${DIGEST_URIS[digest]}"/>` +
    `<ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/></ds:Signature>`;
  const assertionIssuer = response.indexOf('</saml:Issuer>', response.indexOf('<saml:Assertion')) + '</saml:Issuer>'.length;
  return `${response.slice(0, assertionIssuer)}${template}${response.slice(assertionIssuer)}`;
}

describe('ECDSA signatures on the POST binding (XML-DSig, r‖s signature values)', () => {
  beforeAll(assertXmlsec1Installed);

  it.each([
    ['P-256 with ecdsa-sha256', p256, 'ecdsa-sha256'],
    ['P-384 with ecdsa-sha384', p384, 'ecdsa-sha384'],
    ['P-256 with ecdsa-sha512', p256, 'ecdsa-sha512'],
  ] as const)('verifies an assertion signed by node crypto, %s', async (_name, credential, algorithm) => {
    const { xml } = await createTestResponse({ credential, signatureAlgorithm: algorithm as SignatureAlgorithmName });
    expect(xml).toContain(`${XMLDSIG_MORE}${algorithm}`);
    expect(verdict(xml, [credential.publicKey])).toBe('valid');
    expect(verdict(xml, [rsa.publicKey])).toBe('untrusted_certificate');
  });

  it.each([
    ['P-256 with ecdsa-sha256 and SHA-256', p256, 'ecdsa-sha256', 'sha256'],
    ['P-384 with ecdsa-sha384 and SHA-384', p384, 'ecdsa-sha384', 'sha384'],
    ['P-384 with ecdsa-sha512 and SHA-512', p384, 'ecdsa-sha512', 'sha512'],
  ] as const)('verifies an assertion signed by xmlsec1, %s', (_name, credential, algorithm, digest) => {
    const xml = signWithXmlsec1(xmlsec1Template(`${XMLDSIG_MORE}${algorithm}`, digest), {
      privateKeyPem: credential.privateKeyPem,
      idElements: [`${SAML_ASSERTION_NS}:Assertion`],
    });
    expect(verdict(xml, [credential.publicKey])).toBe('valid');
    const other = credential === p256 ? p384 : p256;
    expect(verdict(xml, [other.publicKey])).toBe('invalid_signature');
  });

  it('refuses an xmlsec1-signed assertion once its content changed', () => {
    const xml = signWithXmlsec1(xmlsec1Template(`${XMLDSIG_MORE}ecdsa-sha256`, 'sha256'), {
      privateKeyPem: p256.privateKeyPem,
      idElements: [`${SAML_ASSERTION_NS}:Assertion`],
    });
    const tampered = xml.replace('jane.doe@example.com', 'admin@example.com');
    expect(tampered).not.toBe(xml);
    expect(verdict(tampered, [p256.publicKey])).toBe('invalid_signature');
  });

  it('refuses ecdsa-sha1 unless SHA-1 is allowed', async () => {
    const { xml } = await createTestResponse({ credential: p256, signatureAlgorithm: 'ecdsa-sha256' });
    const sha1 = xml.replace(`${XMLDSIG_MORE}ecdsa-sha256`, `${XMLDSIG_MORE}ecdsa-sha1`);
    expect(verdict(sha1, [p256.publicKey])).toBe('weak_algorithm');
  });

  it('never verifies an ECDSA algorithm with an RSA key', async () => {
    const { xml } = await createTestResponse({ credential: rsa });
    const relabelled = xml.replace(`${XMLDSIG_MORE}rsa-sha256`, `${XMLDSIG_MORE}ecdsa-sha256`);
    expect(verdict(relabelled, [rsa.publicKey])).toBe('invalid_signature');
  });
});

describe('verifySignatureWithPolicy', () => {
  const octets = Buffer.from('SAMLRequest=x&SigAlg=y');

  it('accepts only the encodings it is given for ECDSA', () => {
    const p1363 = sign('sha256', octets, { key: p256.privateKey, dsaEncoding: 'ieee-p1363' });
    const der = sign('sha256', octets, p256.privateKey);
    const algorithm = `${XMLDSIG_MORE}ecdsa-sha256`;
    expect(verifySignatureWithPolicy({ algorithm, octets, signature: p1363 }, [p256.publicKey], STRICT)).toBe(true);
    expect(verifySignatureWithPolicy({ algorithm, octets, signature: der }, [p256.publicKey], STRICT)).toBe(false);
    expect(
      verifySignatureWithPolicy({ algorithm, octets, signature: der }, [p256.publicKey], STRICT, ['ieee-p1363', 'der']),
    ).toBe(true);
  });

  it('answers false, never throws, for a signature value OpenSSL cannot read', () => {
    const algorithm = `${XMLDSIG_MORE}ecdsa-sha256`;
    const garbage = Buffer.from([0x30, 0xff, 0x02]);
    expect(verifySignatureWithPolicy({ algorithm, octets, signature: garbage }, [p256.publicKey], STRICT, ['der'])).toBe(
      false,
    );
  });

  it('skips keys of another type and Ed25519 keys', () => {
    const ed25519 = generateKeyPairSync('ed25519');
    const signature = sign(null, octets, ed25519.privateKey);
    const algorithm = `${XMLDSIG_MORE}rsa-sha256`;
    expect(verifySignatureWithPolicy({ algorithm, octets, signature }, [ed25519.publicKey], STRICT)).toBe(false);
  });
});
