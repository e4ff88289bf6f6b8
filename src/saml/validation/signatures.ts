import type { KeyObject } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import type { SignatureAlgorithmPolicy } from '../crypto/algorithms';
import { verifyEnvelopedSignature } from '../crypto/signature';
import { SamlValidationError } from '../saml-error';
import { childElements } from '../xml/dom';
import { XMLDSIG_NS } from '../xml/namespaces';

/**
 * Verifies the Signature that is a direct child of the element, if there is one, and tells
 * whether there was. Signatures anywhere else sign nothing this service reads.
 */
export function verifyOwnSignature(
  element: Element,
  trustedKeys: readonly KeyObject[],
  policy: SignatureAlgorithmPolicy,
): boolean {
  const signatures = childElements(element, XMLDSIG_NS, 'Signature');
  if (signatures.length === 0) {
    return false;
  }
  if (signatures.length > 1) {
    throw new SamlValidationError('invalid_signature', `the ${element.localName} carries more than one Signature`);
  }
  verifyEnvelopedSignature(signatures[0], trustedKeys, policy);
  return true;
}

export function assertSigned(responseSigned: boolean, assertionSigned: boolean): void {
  if (!responseSigned && !assertionSigned) {
    throw new SamlValidationError('unsigned', 'neither the Response nor the assertion is signed');
  }
}
