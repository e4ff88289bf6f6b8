import type { KeyObject } from 'node:crypto';
import type { SignatureAlgorithmPolicy } from '../crypto/algorithms';
import { verifySignatureWithPolicy } from '../crypto/verify-signature';
import { SamlValidationError } from '../saml-error';
import { decodeStrictBase64 } from '../xml/strict-base64';

export type RedirectMessageName = 'SAMLRequest' | 'SAMLResponse';

/**
 * The HTTP-Redirect binding signs the query octets exactly as sent (saml-bindings §3.4.4.1), so
 * they are taken from the raw query string, never re-encoded from parsed values.
 */
export function verifyRedirectSignature(
  rawQuery: string,
  message: RedirectMessageName,
  trustedKeys: readonly KeyObject[],
  policy: SignatureAlgorithmPolicy,
): string {
  const raw = new Map<string, string>();
  for (const pair of rawQuery.split('&')) {
    const separator = pair.indexOf('=');
    const name = separator < 0 ? pair : pair.slice(0, separator);
    if (raw.has(name)) throw new SamlValidationError('malformed_request', `the query repeats ${name}`);
    raw.set(name, separator < 0 ? '' : pair.slice(separator + 1));
  }
  const encodedMessage = raw.get(message);
  if (!encodedMessage) throw new SamlValidationError('malformed_request', `the query carries no ${message}`);
  const sigAlg = raw.get('SigAlg');
  const signature = raw.get('Signature');
  if (sigAlg === undefined || signature === undefined) throw new SamlValidationError('unsigned', 'the message is not signed');

  const relayState = raw.get('RelayState');
  const octets = Buffer.from(
    `${message}=${encodedMessage}${relayState !== undefined ? `&RelayState=${relayState}` : ''}&SigAlg=${sigAlg}`,
    'utf8',
  );
  const signatureBytes = decodeStrictBase64(decode(signature));
  if (signatureBytes === null) {
    throw new SamlValidationError('invalid_signature', 'the query signature is not base64');
  }
  const signed = { algorithm: decode(sigAlg), octets, signature: signatureBytes };
  if (!verifySignatureWithPolicy(signed, trustedKeys, policy, ['ieee-p1363', 'der'])) {
    throw new SamlValidationError('invalid_signature', 'the query signature does not verify with a configured certificate');
  }
  return decode(encodedMessage);
}

function decode(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    throw new SamlValidationError('malformed_request', 'the query is not validly encoded');
  }
}
