import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSpIdentity } from '../../src/sso-config/sp/sp-identity';

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
  const { certificatePem, privateKeyPem } = generateSpIdentity(commonName);
  return credentialFromPems(privateKeyPem, certificatePem);
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
  return credentialFromPems(privateKeyPem, certificatePem);
}

function credentialFromPems(privateKeyPem: string, certificatePem: string): TestCredential {
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
