import { SamlValidationError } from '../saml-error';

export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** What a SignatureMethod (or an HTTP-Redirect SigAlg) names: the key it needs and the hash it signs. */
export interface SignatureAlgorithm {
  keyType: 'rsa' | 'ec';
  hash: HashName;
}

export interface SignatureAlgorithmPolicy {
  allowSha1: boolean;
}

export interface EncryptionAlgorithmPolicy {
  allowCbc: boolean;
}

export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const EXC_C14N_WITH_COMMENTS = 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments';

// RSA PKCS#1 v1.5 and ECDSA (RFC 4051 §2.3.6); RSA-PSS and DSA are not offered by the IdPs we serve.
const SIGNATURES: Record<string, SignatureAlgorithm> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': { keyType: 'rsa', hash: 'sha1' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { keyType: 'rsa', hash: 'sha256' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': { keyType: 'rsa', hash: 'sha384' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { keyType: 'rsa', hash: 'sha512' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1': { keyType: 'ec', hash: 'sha1' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': { keyType: 'ec', hash: 'sha256' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': { keyType: 'ec', hash: 'sha384' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': { keyType: 'ec', hash: 'sha512' },
};

const DIGESTS: Record<string, HashName> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
};

const KEY_TRANSPORTS = new Set([
  'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
  'http://www.w3.org/2009/xmlenc11#rsa-oaep',
]);

const AUTHENTICATED_BLOCK_ENCRYPTIONS = new Set([
  'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  'http://www.w3.org/2009/xmlenc11#aes256-gcm',
]);

// CBC has no integrity, which is what the XML Encryption padding-oracle attacks exploit.
const CBC_BLOCK_ENCRYPTIONS = new Set([
  'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
  'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
]);

const NEVER_ALLOWED = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-md5',
  'http://www.w3.org/2001/04/xmldsig-more#md5',
  'http://www.w3.org/2001/04/xmlenc#rsa-1_5',
  'http://www.w3.org/2001/04/xmlenc#tripledes-cbc',
]);

/** A signature algorithm the policy allows: RSA or ECDSA with SHA-256 or longer, SHA-1 only by opt-in. */
export function signatureAlgorithm(algorithm: string | null, policy: SignatureAlgorithmPolicy): SignatureAlgorithm {
  const allowed = algorithm === null ? undefined : SIGNATURES[algorithm];
  if (allowed === undefined) {
    throw refused('signature', algorithm);
  }
  assertHashAllowed(allowed.hash, 'signature', algorithm, policy);
  return allowed;
}

/** The hash of a DigestMethod the policy allows. */
export function digestHash(algorithm: string | null, policy: SignatureAlgorithmPolicy): HashName {
  const hash = algorithm === null ? undefined : DIGESTS[algorithm];
  if (hash === undefined) {
    throw refused('digest', algorithm);
  }
  assertHashAllowed(hash, 'digest', algorithm, policy);
  return hash;
}

/** Whether comments are kept by an allowed canonicalization; only exclusive c14n is accepted. */
export function exclusiveCanonicalizationKeepsComments(algorithm: string | null): boolean {
  if (algorithm === EXC_C14N) {
    return false;
  }
  if (algorithm === EXC_C14N_WITH_COMMENTS) {
    return true;
  }
  throw unsupported('canonicalization', algorithm);
}

export function assertKeyTransportAllowed(algorithm: string | null): void {
  if (algorithm === null || !KEY_TRANSPORTS.has(algorithm)) {
    throw refused('key transport', algorithm);
  }
}

export function assertBlockEncryptionAllowed(
  algorithm: string | null,
  policy: EncryptionAlgorithmPolicy,
): void {
  if (algorithm !== null && AUTHENTICATED_BLOCK_ENCRYPTIONS.has(algorithm)) {
    return;
  }
  if (algorithm !== null && CBC_BLOCK_ENCRYPTIONS.has(algorithm)) {
    if (policy.allowCbc) {
      return;
    }
    throw new SamlValidationError(
      'weak_algorithm',
      `block encryption ${algorithm} needs the allowCbcEncryption opt-in`,
    );
  }
  throw refused('block encryption', algorithm);
}

function assertHashAllowed(
  hash: HashName,
  kind: string,
  algorithm: string | null,
  policy: SignatureAlgorithmPolicy,
): void {
  if (hash === 'sha1' && !policy.allowSha1) {
    throw new SamlValidationError(
      'weak_algorithm',
      `${kind} algorithm ${algorithm} needs the allowSha1Signatures opt-in`,
    );
  }
}

function refused(kind: string, algorithm: string | null): SamlValidationError {
  if (algorithm !== null && NEVER_ALLOWED.has(algorithm)) {
    return new SamlValidationError('weak_algorithm', `${kind} algorithm ${algorithm} is not allowed`);
  }
  return unsupported(kind, algorithm);
}

function unsupported(kind: string, algorithm: string | null): SamlValidationError {
  return new SamlValidationError(
    'unsupported_algorithm',
    `${kind} algorithm ${algorithm ?? '(none)'} is not supported`,
  );
}
