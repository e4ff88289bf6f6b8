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
    options: {
      key: KeyObject | string;
      disallowDecryptionWithInsecureAlgorithm: boolean;
      warnInsecureAlgorithm: boolean;
    },
    callback: (error: (Error & { code?: string }) | null, decrypted?: string) => void,
  ): void;
}

// xml-encryption decrypts a DOM node as readily as text, which spares serializing and re-parsing
// the message; its published typings admit only text, so it is typed here for what it does.
const xmlEncryption = require('xml-encryption') as XmlEncryption;

/**
 * Decrypts an EncryptedAssertion with the SP's private key and returns the assertion's XML text.
 *
 * Every algorithm in the element is held to the policy before any decryption happens, so an
 * RSA 1.5 or CBC ciphertext is never processed for anyone who could use it as an oracle. Past
 * that point every failure reports the same reason and message, for the same reason.
 */
export function decryptAssertion(
  encryptedAssertion: Element,
  privateKey: KeyObject,
  policy: EncryptionAlgorithmPolicy,
): string {
  assertAlgorithmsAllowed(encryptedAssertion, policy);
  let outcome = decryptWith(encryptedAssertion, privateKey, policy);
  if (typeof outcome !== 'string' && outcome.code === 'ERR_INVALID_ARG_TYPE') {
    // xml-encryption re-imports the key for the OAEP digest and MGF1 combinations Node cannot
    // express natively, and a KeyObject does not survive that; importing a PEM costs a millisecond
    // more, so only those ciphertexts pay for it.
    outcome = decryptWith(encryptedAssertion, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), policy);
  }
  if (typeof outcome !== 'string') {
    throw decryptionFailed();
  }
  return outcome;
}

/** The plaintext, or what xml-encryption failed with. */
function decryptWith(
  encryptedAssertion: Element,
  key: KeyObject | string,
  policy: EncryptionAlgorithmPolicy,
): string | { code?: string } {
  let outcome: string | { code?: string } = {};
  xmlEncryption.decrypt(
    encryptedAssertion,
    { key, disallowDecryptionWithInsecureAlgorithm: !policy.allowCbc, warnInsecureAlgorithm: false },
    (error, decrypted) => {
      outcome = error ?? decrypted ?? {};
    },
  );
  return outcome;
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
