import { generateKeyPairSync, randomBytes } from 'node:crypto';
import * as forge from 'node-forge';

export interface SpIdentity {
  certificatePem: string;
  /** PKCS#8 PEM; store it sealed (see SecretBox). */
  privateKeyPem: string;
}

const VALIDITY_YEARS = 10;
// X.520 upper bound for a common name.
const MAX_COMMON_NAME_LENGTH = 64;
// IdPs compare assertion times with their own clock; starting the validity a little early keeps a
// freshly generated certificate from looking "not yet valid" to one running slightly behind.
const BACKDATE_MS = 5 * 60 * 1000;

/** A self-signed RSA-2048 / SHA-256 certificate and its key, for signing requests and decrypting assertions. */
export function generateSpIdentity(commonName: string): SpIdentity {
  if (commonName.trim() === '' || commonName.length > MAX_COMMON_NAME_LENGTH) {
    throw new RangeError(`The common name must have 1 to ${MAX_COMMON_NAME_LENGTH} characters.`);
  }
  // Node generates the key natively; node-forge's pure-JS key generation takes seconds.
  const { privateKey: privateKeyPem } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const privateKey = forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey;

  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  certificate.serialNumber = positiveSerialNumber();
  const notBefore = new Date(Date.now() - BACKDATE_MS);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);
  certificate.validity.notBefore = notBefore;
  certificate.validity.notAfter = notAfter;
  const name = [{ name: 'commonName', value: commonName }];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(privateKey, forge.md.sha256.create());

  return { certificatePem: forge.pki.certificateToPem(certificate), privateKeyPem };
}

/** 16 random bytes as hex, high bit cleared: RFC 5280 wants a positive serial of at most 20 octets. */
function positiveSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}
