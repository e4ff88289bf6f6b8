import { X509Certificate } from 'node:crypto';
import { derBase64, fixtureCertificates } from '../../../test/fixtures/metadata';
import { assertCertificateUsable, describeCertificate, normalizeCertificate } from './certificate';

const { rsa1, ecP256, ed25519, expired } = fixtureCertificates;
const DURING_VALIDITY = new Date('2040-01-01T00:00:00Z');

function configError(code: string) {
  return expect.objectContaining({ name: 'IdpConfigError', field: 'certificate', code });
}

describe('normalizeCertificate', () => {
  it('returns a canonical PEM unchanged', () => {
    expect(normalizeCertificate(rsa1)).toBe(rsa1);
  });

  it.each([
    ['PEM with CRLF line endings and surrounding blanks', `\r\n  ${rsa1.replace(/\n/g, '\r\n')}  \r\n`],
    ['PEM on one line', rsa1.replace(/\n/g, ' ')],
    ['PEM after the text openssl prints before it', `subject=CN = Test IdP Signing 1\nissuer=CN = Test IdP Signing 1\n${rsa1}`],
    ['bare base64 on one line', derBase64(rsa1)],
    ['bare base64 in 64-column lines', derBase64(rsa1).replace(/(.{64})/g, '$1\n')],
    ['bare base64 in 76-column CRLF lines with indentation', derBase64(rsa1).replace(/(.{76})/g, '$1\r\n      ')],
  ])('turns %s into the canonical PEM', (_description, input) => {
    expect(normalizeCertificate(input)).toBe(rsa1);
  });

  it('writes 64-character lines between the armour', () => {
    const lines = normalizeCertificate(derBase64(ecP256)).trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines.at(-1)).toBe('-----END CERTIFICATE-----');
    expect(lines.slice(1, -2).every((line) => line.length === 64)).toBe(true);
  });

  it.each([
    ['nothing', ''],
    ['blanks', '  \n '],
    ['a number', 42],
    ['text', 'not a certificate'],
    ['base64 that is not DER', Buffer.from('not a certificate at all').toString('base64')],
    ['base64 with a character outside the alphabet', `${derBase64(rsa1).slice(0, 100)}*${derBase64(rsa1).slice(101)}`],
    ['truncated base64', derBase64(rsa1).slice(0, 200)],
    ['a certificate followed by extra bytes', Buffer.concat([Buffer.from(derBase64(rsa1), 'base64'), Buffer.from([0, 0, 0])]).toString('base64')],
    ['two PEM certificates', `${rsa1}${ecP256}`],
    ['a PEM private key', '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIGZha2Uga2V5IGZvciB0ZXN0cyBvbmx5IQ==\n-----END PRIVATE KEY-----\n'],
    ['a PEM without its end line', rsa1.replace('-----END CERTIFICATE-----', '')],
  ])('refuses %s', (_description, input) => {
    expect(() => normalizeCertificate(input)).toThrow(configError('certificate_unparsable'));
  });

  it('does not echo what it refuses', () => {
    const privateKey = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIGZha2Uga2V5IGZvciB0ZXN0cyBvbmx5IQ==\n-----END PRIVATE KEY-----\n';
    expect(() => normalizeCertificate(privateKey)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('MC4CAQ') }),
    );
  });
});

describe('describeCertificate', () => {
  it('summarizes the certificate', () => {
    expect(describeCertificate(rsa1, DURING_VALIDITY)).toEqual({
      subject: 'C=US, O=SSO Service Test Fixtures, CN=Test IdP Signing 1',
      notBefore: '2026-11-29T03:15:59.000Z',
      notAfter: '2056-11-29T03:15:59.000Z',
      fingerprintSha256: new X509Certificate(rsa1).fingerprint256,
      expiresSoon: false,
    });
  });

  it('writes the SHA-256 fingerprint as uppercase hex pairs joined by colons', () => {
    const { fingerprintSha256 } = describeCertificate(rsa1, DURING_VALIDITY);
    expect(fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it.each([
    ['31 days before expiry', '2056-10-29T03:15:58Z', false],
    ['30 days before expiry', '2056-10-30T03:15:59Z', true],
    ['one day before expiry', '2056-11-28T03:15:59Z', true],
    ['after expiry', '2060-01-01T00:00:00Z', true],
  ])('flags expiresSoon %s', (_description, now, expiresSoon) => {
    expect(describeCertificate(rsa1, new Date(now)).expiresSoon).toBe(expiresSoon);
  });
});

describe('assertCertificateUsable', () => {
  it.each([
    ['an RSA certificate', rsa1],
    ['an EC certificate', ecP256],
  ])('accepts %s in its validity period', (_description, pem) => {
    expect(() => assertCertificateUsable(pem, DURING_VALIDITY)).not.toThrow();
  });

  it('refuses an expired certificate, saying when it expired', () => {
    expect(() => assertCertificateUsable(expired, DURING_VALIDITY)).toThrow(
      expect.objectContaining({
        name: 'IdpConfigError',
        field: 'certificate',
        code: 'certificate_expired',
        message: expect.stringContaining('2020-01-01T00:00:00.000Z'),
      }),
    );
  });

  it('refuses a key type the signature checks do not support', () => {
    expect(() => assertCertificateUsable(ed25519, DURING_VALIDITY)).toThrow(configError('certificate_unsupported_key'));
  });

  it('refuses what does not parse', () => {
    expect(() => assertCertificateUsable('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', DURING_VALIDITY)).toThrow(
      configError('certificate_unparsable'),
    );
  });
});
