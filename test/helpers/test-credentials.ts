import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as forge from 'node-forge';

export interface TestCredential {
  privateKey: KeyObject;
  privateKeyPem: string;
  publicKey: KeyObject;
  publicKeyPem: string;
  certificatePem: string;
  /** The certificate's base64 DER, as an X509Certificate element carries it. */
  certificateBase64: string;
}

export type TestCredentialName = 'idp' | 'idp-next' | 'attacker' | 'sp';

// RSA key generation dominates test time, so each name is generated once per test file.
const credentials = new Map<TestCredentialName, TestCredential>();

export function testCredential(name: TestCredentialName): TestCredential {
  let credential = credentials.get(name);
  if (credential === undefined) {
    credential = createSelfSignedCredential(`test ${name}`);
    credentials.set(name, credential);
  }
  return credential;
}

export function createSelfSignedCredential(commonName: string): TestCredential {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  certificate.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
  certificate.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  certificate.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  const subject = [{ name: 'commonName', value: commonName }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(certificate);

  return {
    privateKey: createPrivateKey(privateKeyPem),
    privateKeyPem,
    publicKey: createPublicKey(certificatePem),
    publicKeyPem,
    certificatePem,
    certificateBase64: certificatePem.replace(/-----[A-Z ]+-----|\s/g, ''),
  };
}

export type EcTestCurve = 'p256' | 'p384';

/**
 * An IdP signing credential with an EC key, from test/fixtures/certs: node-forge makes RSA
 * certificates only, so these were made once with OpenSSL.
 */
export function ecTestCredential(curve: EcTestCurve): TestCredential {
  const directory = join(__dirname, '..', 'fixtures', 'certs');
  const privateKeyPem = readFileSync(join(directory, `idp-ec-${curve}-signing.key.pem`), 'utf8');
  const certificatePem = readFileSync(join(directory, `idp-ec-${curve}-signing.pem`), 'utf8');
  const publicKey = createPublicKey(certificatePem);
  return {
    privateKey: createPrivateKey(privateKeyPem),
    privateKeyPem,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    certificatePem,
    certificateBase64: certificatePem.replace(/-----[A-Z ]+-----|\s/g, ''),
  };
}
