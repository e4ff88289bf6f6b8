import type { KeyObject } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { decryptAssertion, decryptionFailed } from '../crypto/decrypt';
import { SamlValidationError } from '../saml-error';
import { isNamed } from '../xml/dom';
import { SAML_ASSERTION_NS } from '../xml/namespaces';
import { parseXml } from '../xml/parse-xml';
import { assertionsIn } from './locate-assertion';
import { assertUniqueIds } from './unique-ids';

/**
 * Decrypts the EncryptedAssertion and parses the result on its own, DTDs refused again.
 *
 * Until the plaintext is a well-formed Assertion every failure looks the same, padding or parse
 * error alike: telling them apart is the oracle of the attacks on XML Encryption.
 */
export function decryptedAssertion(
  encryptedAssertion: Element,
  spDecryptionKey: KeyObject | undefined,
  allowCbcEncryption: boolean,
): Element {
  if (spDecryptionKey === undefined) {
    throw new SamlValidationError(
      'decryption_failed',
      'the assertion is encrypted but no SP decryption key is configured',
    );
  }
  const xml = decryptAssertion(encryptedAssertion, spDecryptionKey, { allowCbc: allowCbcEncryption });
  let assertion: Element | null;
  try {
    assertion = parseXml(xml).documentElement;
  } catch {
    throw decryptionFailed();
  }
  if (assertion === null || !isNamed(assertion, SAML_ASSERTION_NS, 'Assertion')) {
    throw decryptionFailed();
  }
  assertUniqueIds(assertion);
  if (assertionsIn(assertion).length !== 1) {
    throw new SamlValidationError('multiple_assertions', 'the decrypted assertion contains another assertion');
  }
  return assertion;
}
