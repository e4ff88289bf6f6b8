import { sign, type KeyObject } from 'node:crypto';
import { ecTestCredential, testCredential } from '../../../test/helpers/test-credentials';
import { SamlValidationError } from '../saml-error';
import { verifyRedirectSignature } from './redirect-signature';

const XMLDSIG_MORE = 'http://www.w3.org/2001/04/xmldsig-more#';
const RSA_SHA1 = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
const STRICT = { allowSha1: false };
const rsa = testCredential('idp');
const p256 = ecTestCredential('p256');
const message = Buffer.from('<samlp:LogoutRequest/>').toString('base64');

/** A query signed as an IdP signs it: over `SAMLRequest=…&RelayState=…&SigAlg=…`, URL-encoded as sent. */
function signedQuery(sigAlg: string, key: KeyObject, encoding: 'der' | 'ieee-p1363' = 'ieee-p1363'): string {
  const signedPart = `SAMLRequest=${encodeURIComponent(message)}&RelayState=r1&SigAlg=${encodeURIComponent(sigAlg)}`;
  const hash = /sha(1|256|384|512)$/.exec(sigAlg)![0];
  const signature = sign(hash, Buffer.from(signedPart), key.asymmetricKeyType === 'ec' ? { key, dsaEncoding: encoding } : key);
  return `${signedPart}&Signature=${encodeURIComponent(signature.toString('base64'))}`;
}

function verdict(query: string, keys: KeyObject[], policy = STRICT): string {
  try {
    verifyRedirectSignature(query, 'SAMLRequest', keys, policy);
    return 'valid';
  } catch (error) {
    if (error instanceof SamlValidationError) return error.reason;
    throw error;
  }
}

describe('verifyRedirectSignature', () => {
  it('verifies RSA-SHA256 and returns the message', () => {
    const query = signedQuery(`${XMLDSIG_MORE}rsa-sha256`, rsa.privateKey);
    expect(verifyRedirectSignature(query, 'SAMLRequest', [rsa.publicKey], STRICT)).toBe(message);
    expect(verdict(query, [p256.publicKey])).toBe('invalid_signature');
  });

  it('refuses RSA-SHA1 unless SHA-1 is allowed', () => {
    const query = signedQuery(RSA_SHA1, rsa.privateKey);
    expect(verdict(query, [rsa.publicKey])).toBe('weak_algorithm');
    expect(verdict(query, [rsa.publicKey], { allowSha1: true })).toBe('valid');
  });

  it('refuses an algorithm outside the list', () => {
    const query = signedQuery(`${XMLDSIG_MORE}rsa-sha256`, rsa.privateKey).replace(
      encodeURIComponent(`${XMLDSIG_MORE}rsa-sha256`),
      encodeURIComponent('http://www.w3.org/2001/04/xmldsig-more#rsa-md5'),
    );
    expect(verdict(query, [rsa.publicKey])).toBe('weak_algorithm');
  });

  it.each([
    ['r‖s, as XML-DSig defines the value', 'ieee-p1363'],
    ['DER, as OpenSAML (JCA) signs queries', 'der'],
  ] as const)('verifies ECDSA-SHA256 encoded as %s', (_name, encoding) => {
    const query = signedQuery(`${XMLDSIG_MORE}ecdsa-sha256`, p256.privateKey, encoding);
    expect(verdict(query, [p256.publicKey])).toBe('valid');
    expect(verdict(query, [rsa.publicKey])).toBe('invalid_signature');
  });

  it('never verifies an RSA SigAlg with an EC key', () => {
    // Node would check an ECDSA signature for an RSA algorithm URI with an EC key if asked.
    const signedPart = `SAMLRequest=${encodeURIComponent(message)}&SigAlg=${encodeURIComponent(`${XMLDSIG_MORE}rsa-sha256`)}`;
    const ecSignature = sign('sha256', Buffer.from(signedPart), p256.privateKey).toString('base64');
    const query = `${signedPart}&Signature=${encodeURIComponent(ecSignature)}`;
    expect(verdict(query, [p256.publicKey])).toBe('invalid_signature');
  });

  it('refuses a tampered RelayState', () => {
    const query = signedQuery(`${XMLDSIG_MORE}ecdsa-sha256`, p256.privateKey).replace('RelayState=r1', 'RelayState=r2');
    expect(verdict(query, [p256.publicKey])).toBe('invalid_signature');
  });
});
