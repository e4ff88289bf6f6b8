import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { generateSpIdentity } from './sp-identity';

describe('generateSpIdentity', () => {
  const before = Date.now();
  const identity = generateSpIdentity('sso-organization-3f9a1c2e');
  const certificate = new X509Certificate(identity.certificatePem);

  it('issues a self-signed certificate for the common name', () => {
    expect(certificate.subject).toBe('CN=sso-organization-3f9a1c2e');
    expect(certificate.issuer).toBe(certificate.subject);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.ca).toBe(false);
  });

  it('pairs the certificate with its private key', () => {
    expect(certificate.checkPrivateKey(createPrivateKey(identity.privateKeyPem))).toBe(true);
    expect(identity.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('uses RSA-2048 and SHA-256', () => {
    const publicKey = createPublicKey(identity.certificatePem);
    expect(publicKey.asymmetricKeyType).toBe('rsa');
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    // sha256WithRSAEncryption, as it appears in the DER.
    expect(certificate.raw.includes(Buffer.from('06092a864886f70d01010b', 'hex'))).toBe(true);
  });

  it('is valid now and for ten years', () => {
    const notBefore = new Date(certificate.validFrom);
    const notAfter = new Date(certificate.validTo);
    expect(notBefore.getTime()).toBeLessThanOrEqual(before);
    const tenYearsLater = new Date(notBefore);
    tenYearsLater.setUTCFullYear(tenYearsLater.getUTCFullYear() + 10);
    expect(notAfter.getTime()).toBe(tenYearsLater.getTime());
  });

  it('gives each identity its own key and serial number', () => {
    const other = generateSpIdentity('sso-organization-3f9a1c2e');
    expect(other.privateKeyPem).not.toBe(identity.privateKeyPem);
    expect(new X509Certificate(other.certificatePem).serialNumber).not.toBe(certificate.serialNumber);
  });

  it.each(['', ' ', 'x'.repeat(65)])('refuses the common name %p', (commonName) => {
    expect(() => generateSpIdentity(commonName)).toThrow(RangeError);
  });
});
