import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { attributeOf, childElements, isElement } from '../xml/dom';
import { EXC_C14N_NS, XMLDSIG_NS } from '../xml/namespaces';
import { decodeStrictBase64 } from '../xml/strict-base64';
import {
  digestHash,
  ENVELOPED_SIGNATURE,
  exclusiveCanonicalizationKeepsComments,
  type SignatureAlgorithmPolicy,
} from './algorithms';
import { canonicalizeExclusive, type ExclusiveCanonicalizationOptions } from './exclusive-canonicalization';
import { verifySignatureWithPolicy, type SignatureToVerify } from './verify-signature';

/**
 * Verifies an enveloped XML signature over the element that contains it, with the trusted keys
 * only: a key or certificate carried in the message never makes a signature valid.
 *
 * The Signature must hold exactly one Reference, to `#` + the ID of its parent, transformed by
 * enveloped-signature then exclusive c14n. Anything looser is where signature wrapping lives.
 */
export function verifyEnvelopedSignature(
  signature: Element,
  trustedKeys: readonly KeyObject[],
  policy: SignatureAlgorithmPolicy,
): void {
  const signedElement = signature.parentNode;
  if (!isElement(signedElement)) {
    throw invalid('the Signature is not inside an element');
  }
  const signedInfo = onlySignatureChild(signature, 'SignedInfo');
  const signatureValue = onlySignatureChild(signature, 'SignatureValue');
  const canonicalizationMethod = onlySignatureChild(signedInfo, 'CanonicalizationMethod');
  const signatureMethod = onlySignatureChild(signedInfo, 'SignatureMethod');
  const reference = onlySignatureChild(signedInfo, 'Reference');

  const signedInfoKeepsComments = exclusiveCanonicalizationKeepsComments(
    attributeOf(canonicalizationMethod, 'Algorithm'),
  );
  const signed: SignatureToVerify = {
    algorithm: attributeOf(signatureMethod, 'Algorithm'),
    octets: Buffer.from(
      canonicalOctets(signedInfo, {
        inclusivePrefixes: inclusivePrefixesOf(canonicalizationMethod),
        withComments: signedInfoKeepsComments,
      }),
      'utf8',
    ),
    signature: base64Content(signatureValue),
  };
  // SignedInfo first: it is small, and the digest below canonicalizes the whole signed element.
  if (!verifySignatureWithPolicy(signed, trustedKeys, policy)) {
    if (verifySignatureWithPolicy(signed, embeddedPublicKeys(signature), policy)) {
      throw new SamlValidationError(
        'untrusted_certificate',
        'the message is signed with a certificate that is not configured for this IdP',
      );
    }
    throw invalid('the signature does not verify with any configured IdP certificate');
  }
  assertDigestMatches(reference, signedElement, signature, policy);
}

function assertDigestMatches(
  reference: Element,
  signedElement: Element,
  signature: Element,
  policy: SignatureAlgorithmPolicy,
): void {
  const id = attributeOf(signedElement, 'ID');
  if (id === null || id === '' || attributeOf(reference, 'URI') !== `#${id}`) {
    throw invalid('the Reference does not point at the element that contains the Signature');
  }
  const inclusivePrefixes = referenceInclusivePrefixes(reference);
  const hash = digestHash(attributeOf(onlySignatureChild(reference, 'DigestMethod'), 'Algorithm'), policy);
  const expectedDigest = base64Content(onlySignatureChild(reference, 'DigestValue'));
  // A same-document reference drops comments whatever the c14n variant says (XMLDSig 4.4.3.3).
  const octets = canonicalOctets(signedElement, {
    excludedChild: signature,
    inclusivePrefixes,
    withComments: false,
  });
  if (!createHash(hash).update(octets, 'utf8').digest().equals(expectedDigest)) {
    throw invalid('the digest of the signed element does not match: it was altered after signing');
  }
}

function referenceInclusivePrefixes(reference: Element): string[] {
  const transformsElements = childElements(reference, XMLDSIG_NS, 'Transforms');
  const transforms =
    transformsElements.length === 1 ? childElements(transformsElements[0], XMLDSIG_NS, 'Transform') : [];
  const algorithms = transforms.map((transform) => attributeOf(transform, 'Algorithm'));
  if (algorithms.length !== 2 || algorithms[0] !== ENVELOPED_SIGNATURE) {
    throw new SamlValidationError(
      'unsupported_algorithm',
      'the Reference must be transformed by enveloped-signature then exclusive c14n, and by nothing else',
    );
  }
  exclusiveCanonicalizationKeepsComments(algorithms[1]);
  return inclusivePrefixesOf(transforms[1]);
}

function inclusivePrefixesOf(canonicalization: Element): string[] {
  return childElements(canonicalization, EXC_C14N_NS, 'InclusiveNamespaces').flatMap((element) =>
    (attributeOf(element, 'PrefixList') ?? '').split(/\s+/).filter((prefix) => prefix !== ''),
  );
}

function canonicalOctets(element: Element, options: ExclusiveCanonicalizationOptions): string {
  try {
    return canonicalizeExclusive(element, options);
  } catch (error) {
    // xml-crypto throws on nodes it cannot render and the recursion can exhaust the stack on a
    // hostile nesting depth: either way the signature cannot be verified.
    throw invalid(`the signed content cannot be canonicalized: ${String(error)}`);
  }
}

// Read only to tell an IdP certificate rollover from tampering once the configured keys failed.
function embeddedPublicKeys(signature: Element): KeyObject[] {
  const certificates = childElements(signature, XMLDSIG_NS, 'KeyInfo')
    .flatMap((keyInfo) => childElements(keyInfo, XMLDSIG_NS, 'X509Data'))
    .flatMap((x509Data) => childElements(x509Data, XMLDSIG_NS, 'X509Certificate'));
  const keys: KeyObject[] = [];
  for (const certificate of certificates) {
    const der = decodeStrictBase64(certificate.textContent ?? '');
    try {
      if (der !== null) {
        keys.push(new X509Certificate(der).publicKey);
      }
    } catch {
      // Not a certificate: nothing to diagnose with.
    }
  }
  return keys;
}

function onlySignatureChild(parent: Element, localName: string): Element {
  const children = childElements(parent, XMLDSIG_NS, localName);
  if (children.length !== 1) {
    throw invalid(`${parent.localName} must contain exactly one ${localName}`);
  }
  return children[0];
}

function base64Content(element: Element): Buffer {
  const bytes = decodeStrictBase64(element.textContent ?? '');
  if (bytes === null) {
    throw invalid(`${element.localName} is not base64`);
  }
  return bytes;
}

function invalid(message: string): SamlValidationError {
  return new SamlValidationError('invalid_signature', message);
}
