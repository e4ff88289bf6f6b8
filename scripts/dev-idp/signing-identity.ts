import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSpIdentity } from '../../src/sso-config/sp/sp-identity';

export interface SigningIdentity {
  certificatePem: string;
  privateKeyPem: string;
}

const CERTIFICATE_FILE = 'signing-certificate.pem';
const PRIVATE_KEY_FILE = 'signing-key.pem';

/**
 * The dev IdP's signing key and self-signed certificate, generated on first start and kept in
 * `directory`, so that a tenant configured with its metadata keeps working across restarts.
 */
export function loadOrCreateSigningIdentity(directory: string): SigningIdentity {
  const certificatePath = join(directory, CERTIFICATE_FILE);
  const privateKeyPath = join(directory, PRIVATE_KEY_FILE);
  if (existsSync(certificatePath) && existsSync(privateKeyPath)) {
    return { certificatePem: readFileSync(certificatePath, 'utf8'), privateKeyPem: readFileSync(privateKeyPath, 'utf8') };
  }
  // Same shape as the service's own SP identity: RSA-2048, self-signed with SHA-256.
  const identity = generateSpIdentity('SSO service dev IdP');
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  writeFileSync(privateKeyPath, identity.privateKeyPem, { mode: 0o600 });
  writeFileSync(certificatePath, identity.certificatePem, { mode: 0o644 });
  return identity;
}
