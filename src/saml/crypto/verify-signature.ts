import { verify, type KeyObject } from 'node:crypto';
import { signatureAlgorithm, type SignatureAlgorithm, type SignatureAlgorithmPolicy } from './algorithms';

/**
 * How an ECDSA signature value may be encoded. XML-DSig defines it as r‖s (IEEE P1363, RFC 4051
 * §2.3.6). OpenSAML, under Shibboleth and most Java IdPs, signs HTTP-Redirect queries with the
 * JCA's `SHA256withECDSA`, whose output is DER; so the Redirect binding accepts both.
 */
export type EcdsaEncoding = 'ieee-p1363' | 'der';

export interface SignatureToVerify {
  /** The SignatureMethod Algorithm, or the SigAlg of an HTTP-Redirect query. */
  algorithm: string | null;
  /** The octets the signer signed: canonical SignedInfo, or the query string as sent. */
  octets: Buffer;
  signature: Buffer;
}

/**
 * The one signature check of both bindings. The algorithm must pass the policy (else a
 * `weak_algorithm` or `unsupported_algorithm` error is thrown), and a key counts only when its type
 * is the algorithm's: an RSA algorithm is never checked with an EC key, nor the other way round.
 *
 * @returns whether one of the keys verifies the signature.
 */
export function verifySignatureWithPolicy(
  signed: SignatureToVerify,
  keys: readonly KeyObject[],
  policy: SignatureAlgorithmPolicy,
  ecdsaEncodings: readonly EcdsaEncoding[] = ['ieee-p1363'],
): boolean {
  const algorithm = signatureAlgorithm(signed.algorithm, policy);
  return keys.some((key) => verifiesWith(algorithm, signed, key, ecdsaEncodings));
}

function verifiesWith(
  algorithm: SignatureAlgorithm,
  signed: SignatureToVerify,
  key: KeyObject,
  ecdsaEncodings: readonly EcdsaEncoding[],
): boolean {
  if (key.type !== 'public' || key.asymmetricKeyType !== algorithm.keyType) {
    return false;
  }
  if (algorithm.keyType === 'rsa') {
    return verifies(algorithm, signed, key);
  }
  return ecdsaEncodings.some((dsaEncoding) => verifies(algorithm, signed, { key, dsaEncoding }));
}

function verifies(
  algorithm: SignatureAlgorithm,
  signed: SignatureToVerify,
  key: KeyObject | { key: KeyObject; dsaEncoding: EcdsaEncoding },
): boolean {
  try {
    return verify(algorithm.hash, signed.octets, key, signed.signature);
  } catch {
    // OpenSSL refuses some malformed signature values outright instead of answering false.
    return false;
  }
}
