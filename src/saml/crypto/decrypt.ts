import type { KeyObject } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { attributeOf, forEachElement, isElement } from '../xml/dom';
import {
  assertBlockEncryptionAllowed,
  assertKeyTransportAllowed,
  type EncryptionAlgorithmPolicy,
} from './algorithms';

interface XmlEncryption {
  decrypt(
    encrypted: Element,
    options: { key: string; disallowDecryptionWithInsecureAlgorithm: boolean; warnInsecureAlgorithm: boolean },
    callback: (error: Error | null, decrypted?: string) => void,
  ): void;
}

// xml-encryption decrypts a DOM node as readily as text, which spares serializing and re-parsing
// the message; its published typings admit only text, so it is typed here for what it does.
const xmlEncryption = require('xml-encryption') as XmlEncryption;

/**
 * Decrypts an EncryptedAssertion with the SP's private key and returns the assertion's XML text.
 *
 * Every algorithm in the element is held to the policy before any decryption happens, so an
 * RSA 1.5 or CBC ciphertext is never processed for anyone who could use it as an oracle. Any
 * failure after that reports the same reason and message, for the same reason.
 */
export function decryptAssertion(
  encryptedAssertion: Element,
  privateKey: KeyObject,
  policy: EncryptionAlgorithmPolicy,
): string {
  assertAlgorithmsAllowed(encryptedAssertion, policy);
  let decrypted: string | undefined;
  xmlEncryption.decrypt(
    encryptedAssertion,
    {
      // A PEM, not the KeyObject: xml-encryption re-imports the key for the OAEP digest and MGF1
      // combinations that Node's privateDecrypt cannot express.
      key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      disallowDecryptionWithInsecureAlgorithm: !policy.allowCbc,
      warnInsecureAlgorithm: false,
    },
    (error, result) => {
      decrypted = error === null ? result : undefined;
    },
  );
  if (decrypted === undefined) {
    throw decryptionFailed();
  }
  return decrypted;
}

export function decryptionFailed(): SamlValidationError {
  return new SamlValidationError('decryption_failed', 'the encrypted assertion cannot be decrypted');
}

// xml-encryption finds its elements by local name in any namespace, so the policy is checked on
// every EncryptionMethod the same way, wherever it sits.
function assertAlgorithmsAllowed(encryptedAssertion: Element, policy: EncryptionAlgorithmPolicy): void {
  forEachElement(encryptedAssertion, (element) => {
    if (element.localName !== 'EncryptionMethod') {
      return;
    }
    const algorithm = attributeOf(element, 'Algorithm');
    const owner = element.parentNode;
    if (isElement(owner) && owner.localName === 'EncryptedKey') {
      assertKeyTransportAllowed(algorithm);
    } else {
      assertBlockEncryptionAllowed(algorithm, policy);
    }
  });
}
