import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { edit, first, injectCommentInNameId, resignWithAttackerKey, tamperNameId } from '../../../test/helpers/saml-attacks';
import { testCredential } from '../../../test/helpers/test-credentials';
import {
  buildAssertionXml,
  buildResponseXml,
  createSamlPackageResponse,
  createTestResponse,
  ENVELOPED_SIGNATURE,
  EXC_C14N,
  signElement,
} from '../../../test/helpers/test-idp';
import { SamlValidationError } from '../saml-error';
import { childElements } from '../xml/dom';
import { SAML_ASSERTION_NS, SAML_PROTOCOL_NS, XMLDSIG_NS } from '../xml/namespaces';
import { parseXml } from '../xml/parse-xml';
import { canonicalizeExclusive } from './exclusive-canonicalization';
import { verifyEnvelopedSignature } from './signature';

type Signed = 'Assertion' | 'Response';

const idp = testCredential('idp');

function signedElement(xml: string, signed: Signed): Element {
  const document = parseXml(xml);
  const namespace = signed === 'Response' ? SAML_PROTOCOL_NS : SAML_ASSERTION_NS;
  return document.getElementsByTagNameNS(namespace, signed).item(0)!;
}

function signatureOf(element: Element): Element {
  return childElements(element, XMLDSIG_NS, 'Signature')[0];
}

function verdict(
  xml: string,
  signed: Signed,
  keys: KeyObject[] = [idp.publicKey],
  policy = { allowSha1: false },
): string {
  try {
    verifyEnvelopedSignature(signatureOf(signedElement(xml, signed)), keys, policy);
    return 'valid';
  } catch (error) {
    if (error instanceof SamlValidationError) {
      return error.reason;
    }
    throw error;
  }
}

/** xml-crypto's own verdict, from its own parse of the text, with the IdP certificate. */
function xmlCryptoAccepts(xml: string, signed: Signed): boolean {
  const document = new DOMParser().parseFromString(xml, 'text/xml');
  const element = document.getElementsByTagNameNS('*', signed).item(0)!;
  const signature = Array.from(element.childNodes).find(
    (node) => node.nodeType === 1 && (node as Element).localName === 'Signature',
  )!;
  const verifier = new SignedXml({ publicCert: idp.certificatePem });
  verifier.loadSignature(new XMLSerializer().serializeToString(signature));
  try {
    return verifier.checkSignature(xml) === true;
  } catch {
    return false;
  }
}

const samples: Array<[string, Signed, () => Promise<string>]> = [
  ['an assertion signed by the saml package (default-namespace Signature)', 'Assertion', async () =>
    (await createSamlPackageResponse()).xml],
  ['an assertion with attributes signed by the saml package', 'Assertion', async () =>
    (await createSamlPackageResponse({ attributes: { groups: ['a', 'b'] } })).xml],
  ['a pretty-printed assertion signed in place, inheriting namespaces', 'Assertion', async () =>
    (await createTestResponse({ attributes: { email: 'jane.doe@example.com', groups: ['a', 'b'] } })).xml],
  ['a signed Response', 'Response', async () => (await createTestResponse({ sign: 'response' })).xml],
  ['a Response signed over a signed assertion', 'Response', async () => (await createTestResponse({ sign: 'both' })).xml],
  ['an assertion signed with RSA-SHA512 and SHA-512', 'Assertion', async () =>
    (await createTestResponse({ signatureAlgorithm: 'rsa-sha512', digestAlgorithm: 'sha512' })).xml],
  ['an assertion whose transform lists inherited prefixes as inclusive', 'Assertion', async () =>
    signElement(unsignedResponse({ attributes: { email: 'x@example.com' } }), 'Assertion', {
      inclusivePrefixes: ['xs', 'xsi', 'samlp'],
    })],
  ['an assertion whose SignedInfo lists prefixes as inclusive', 'Assertion', async () =>
    signElement(unsignedResponse({}), 'Assertion', { signedInfoInclusivePrefixes: ['samlp', 'saml'] })],
  ['an assertion whose SignedInfo is canonicalized with comments', 'Assertion', async () =>
    signElement(unsignedResponse({}), 'Assertion', {
      signedInfoCanonicalization: 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
    })],
];

function unsignedResponse(options: Parameters<typeof buildAssertionXml>[0]): string {
  const now = new Date();
  return buildResponseXml(buildAssertionXml(options, now, false), {}, now);
}

const tamperings: Array<[string, (xml: string, signed: Signed) => string]> = [
  ['the NameID changed', (xml) => tamperNameId(xml).xml],
  ['an attribute added to the signed element', (xml, signed) =>
    edit(xml, (document) => first(document, '*', signed).setAttribute('Extra', 'x')).xml],
  ['whitespace added inside the signed element', (xml) =>
    edit(xml, (document) => first(document, SAML_ASSERTION_NS, 'Subject').appendChild(document.createTextNode(' '))).xml],
  ['the SignatureValue altered', (xml, signed) =>
    edit(xml, (document) => {
      const value = first(first(document, '*', signed), XMLDSIG_NS, 'SignatureValue');
      const text = value.textContent!;
      value.textContent = (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    }).xml],
  ['the DigestValue replaced', (xml, signed) =>
    edit(xml, (document) => {
      first(first(document, '*', signed), XMLDSIG_NS, 'DigestValue').textContent = Buffer.alloc(32).toString('base64');
    }).xml],
];

const harmlessEdits: Array<[string, (xml: string) => string]> = [
  ['an empty comment inside the NameID', (xml) => injectCommentInNameId(xml, 'jane').xml],
  ['a comment between signed elements', (xml) =>
    edit(xml, (document) => {
      const subject = first(document, SAML_ASSERTION_NS, 'Subject');
      subject.parentNode!.insertBefore(document.createComment(' note '), subject);
    }).xml],
];

describe('verifyEnvelopedSignature agrees with xml-crypto', () => {
  describe.each(samples)('%s', (_name, signed, create) => {
    let xml: string;
    beforeAll(async () => {
      xml = await create();
    });

    it('verifies', () => {
      expect(xmlCryptoAccepts(xml, signed)).toBe(true);
      expect(verdict(xml, signed)).toBe('valid');
    });

    it.each(tamperings)('refuses it with %s', (_tampering, tamper) => {
      const tampered = tamper(xml, signed);
      expect(xmlCryptoAccepts(tampered, signed)).toBe(false);
      expect(verdict(tampered, signed)).toBe('invalid_signature');
    });

    it.each(harmlessEdits)('still verifies it with %s', (_edit, change) => {
      const changed = change(xml);
      expect(xmlCryptoAccepts(changed, signed)).toBe(true);
      expect(verdict(changed, signed)).toBe('valid');
    });
  });
});

describe('verifyEnvelopedSignature', () => {
  let assertionSigned: string;
  beforeAll(async () => {
    assertionSigned = (await createTestResponse()).xml;
  });

  it('accepts any of the configured keys, for certificate rollover', () => {
    const next = testCredential('idp-next');
    expect(verdict(assertionSigned, 'Assertion', [next.publicKey, idp.publicKey])).toBe('valid');
    expect(verdict(assertionSigned, 'Assertion', [next.publicKey])).toBe('untrusted_certificate');
  });

  it('never trusts the certificate the message carries', () => {
    const forged = resignWithAttackerKey(assertionSigned).xml;
    expect(verdict(forged, 'Assertion')).toBe('untrusted_certificate');
  });

  it('calls a signature by an unconfigured key without a usable KeyInfo invalid', () => {
    const forged = edit(resignWithAttackerKey(assertionSigned).xml, (document) => {
      const keyInfo = first(document, XMLDSIG_NS, 'KeyInfo');
      keyInfo.parentNode!.removeChild(keyInfo);
    }).xml;
    expect(verdict(forged, 'Assertion')).toBe('invalid_signature');
  });

  it('refuses SHA-1 signatures and digests unless allowed', async () => {
    const sha1 = (await createTestResponse({ signatureAlgorithm: 'rsa-sha1', digestAlgorithm: 'sha1' })).xml;
    expect(verdict(sha1, 'Assertion')).toBe('weak_algorithm');
    expect(verdict(sha1, 'Assertion', [idp.publicKey], { allowSha1: true })).toBe('valid');
    const sha1Digest = (await createTestResponse({ digestAlgorithm: 'sha1' })).xml;
    expect(verdict(sha1Digest, 'Assertion')).toBe('weak_algorithm');
    expect(verdict(sha1Digest, 'Assertion', [idp.publicKey], { allowSha1: true })).toBe('valid');
  });

  it('refuses a Reference to any element but the Signature parent', () => {
    const signer = new SignedXml({
      privateKey: idp.privateKeyPem,
      publicCert: idp.certificatePem,
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalizationAlgorithm: EXC_C14N,
    });
    signer.addReference({
      xpath: "//*[local-name(.)='Assertion']",
      transforms: [ENVELOPED_SIGNATURE, EXC_C14N],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
    signer.computeSignature(unsignedResponse({}), {
      prefix: 'ds',
      location: { reference: "/*/*[local-name(.)='Issuer']", action: 'after' },
    });
    const detached = signer.getSignedXml();
    expect(xmlCryptoAccepts(detached, 'Response')).toBe(true);
    expect(verdict(detached, 'Response')).toBe('invalid_signature');
  });

  it.each([
    ['an Id attribute', (xml: string) => xml.replace('<samlp:Response ', '<samlp:Response Id="_other" '), {}],
    ['the empty URI of the whole document', (xml: string) => xml, { isEmptyUri: true }],
  ])('refuses a Reference naming the signed element by %s rather than its ID', (_name, prepare, reference) => {
    const signer = new SignedXml({
      privateKey: idp.privateKeyPem,
      publicCert: idp.certificatePem,
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalizationAlgorithm: EXC_C14N,
    });
    signer.addReference({
      xpath: "//*[local-name(.)='Response']",
      transforms: [ENVELOPED_SIGNATURE, EXC_C14N],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      ...reference,
    });
    signer.computeSignature(prepare(unsignedResponse({})), {
      prefix: 'ds',
      location: { reference: "/*/*[local-name(.)='Issuer']", action: 'after' },
    });
    const xml = signer.getSignedXml();
    expect(xml).not.toContain(`URI="#${signedElement(xml, 'Response').getAttribute('ID')}"`);
    expect(xmlCryptoAccepts(xml, 'Response')).toBe(true);
    expect(verdict(xml, 'Response')).toBe('invalid_signature');
  });

  it('refuses a SignedInfo with more than one Reference', () => {
    const signer = new SignedXml({
      privateKey: idp.privateKeyPem,
      publicCert: idp.certificatePem,
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalizationAlgorithm: EXC_C14N,
    });
    for (const element of ['Response', 'Assertion']) {
      signer.addReference({
        xpath: `//*[local-name(.)='${element}']`,
        transforms: [ENVELOPED_SIGNATURE, EXC_C14N],
        digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      });
    }
    signer.computeSignature(unsignedResponse({}), {
      prefix: 'ds',
      location: { reference: "/*/*[local-name(.)='Issuer']", action: 'after' },
    });
    expect(verdict(signer.getSignedXml(), 'Response')).toBe('invalid_signature');
  });

  it.each([
    ['inclusive c14n', [ENVELOPED_SIGNATURE, 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315']],
    ['no enveloped-signature transform', [EXC_C14N]],
    ['an extra transform', [ENVELOPED_SIGNATURE, EXC_C14N, EXC_C14N]],
  ])('refuses a Reference transformed by %s', (_name, transforms) => {
    const xml = signElement(unsignedResponse({}), 'Assertion', { transforms });
    expect(verdict(xml, 'Assertion')).toBe('unsupported_algorithm');
  });

  it('refuses a SignedInfo canonicalized by inclusive c14n', () => {
    const xml = signElement(unsignedResponse({}), 'Assertion', {
      signedInfoCanonicalization: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
    });
    expect(verdict(xml, 'Assertion')).toBe('unsupported_algorithm');
  });

  it('never verifies an RSA algorithm with an EC key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const assertion = signedElement(assertionSigned, 'Assertion');
    const signature = signatureOf(assertion);
    const signedInfo = childElements(signature, XMLDSIG_NS, 'SignedInfo')[0];
    const octets = Buffer.from(canonicalizeExclusive(signedInfo, { inclusivePrefixes: [], withComments: false }));
    const ecSignature = sign('sha256', octets, ec.privateKey);
    expect(verify('sha256', octets, ec.publicKey, ecSignature)).toBe(true);
    childElements(signature, XMLDSIG_NS, 'SignatureValue')[0].textContent = ecSignature.toString('base64');
    expect(() => verifyEnvelopedSignature(signature, [ec.publicKey], { allowSha1: false })).toThrow(
      expect.objectContaining({ reason: 'invalid_signature' }),
    );
  });

  it('refuses a SignatureValue that is not base64', () => {
    const xml = edit(assertionSigned, (document) => {
      first(document, XMLDSIG_NS, 'SignatureValue').textContent = 'not*base64';
    }).xml;
    expect(verdict(xml, 'Assertion')).toBe('invalid_signature');
  });
});
