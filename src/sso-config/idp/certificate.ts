import { X509Certificate } from 'node:crypto';
import { IdpConfigError } from './idp-config.error';

export interface CertificateSummary {
  subject: string;
  /** ISO 8601 */
  notBefore: string;
  /** ISO 8601 */
  notAfter: string;
  /** SHA-256 of the DER, uppercase hex pairs joined by colons, as Okta, Entra ID and ADFS display it. */
  fingerprintSha256: string;
  /** True when the certificate expires within 30 days, or already has. */
  expiresSoon: boolean;
}

const EXPIRY_WARNING_MS = 30 * 24 * 60 * 60 * 1000;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
// Buffer.from(…, 'base64') silently skips characters outside the alphabet, so check it first.
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const USABLE_KEY_TYPES = new Set(['rsa', 'ec']);

/**
 * Accepts a PEM certificate or its bare base64 DER (as IdP consoles and metadata show it, wrapped or
 * not) and returns it as canonical PEM: 64-character lines, `\n` line endings, trailing newline.
 * Messages never echo the input, which might be a private key pasted by mistake.
 */
export function normalizeCertificate(input: unknown): string {
  if (typeof input !== 'string' || input.trim() === '') {
    throw unparsable('No certificate was given.');
  }
  const base64 = input.includes('-----BEGIN') ? singleCertificateBody(input) : input;
  const compact = base64.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 !== 0) {
    throw unparsable('The certificate is neither PEM nor base64-encoded DER.');
  }
  const der = Buffer.from(compact, 'base64');
  const certificate = tryParse(der);
  // OpenSSL ignores bytes after the DER structure; a certificate with a tail is not the one the IdP meant.
  if (!certificate?.raw.equals(der)) {
    throw unparsable('The data is not an X.509 certificate.');
  }
  return toPem(der);
}

export function describeCertificate(pem: string, now: Date): CertificateSummary {
  const certificate = parsePem(pem);
  const notAfter = openSslDate(certificate.validTo);
  return {
    subject: certificate.subject.split('\n').join(', '),
    notBefore: openSslDate(certificate.validFrom).toISOString(),
    notAfter: notAfter.toISOString(),
    fingerprintSha256: certificate.fingerprint256,
    expiresSoon: notAfter.getTime() - now.getTime() <= EXPIRY_WARNING_MS,
  };
}

/** Throws unless the certificate parses, has not expired at `now`, and carries an RSA or EC public key. */
export function assertCertificateUsable(pem: string, now: Date): void {
  const certificate = parsePem(pem);
  const keyType = certificate.publicKey.asymmetricKeyType;
  if (keyType === undefined || !USABLE_KEY_TYPES.has(keyType)) {
    throw new IdpConfigError(
      'certificate',
      'certificate_unsupported_key',
      `The certificate holds a ${keyType ?? 'unknown'} key; only RSA and EC keys are supported.`,
    );
  }
  const notAfter = openSslDate(certificate.validTo);
  if (notAfter.getTime() < now.getTime()) {
    throw new IdpConfigError(
      'certificate',
      'certificate_expired',
      `The certificate "${certificate.subject.split('\n').join(', ')}" expired on ${notAfter.toISOString()}.`,
    );
  }
}

function singleCertificateBody(input: string): string {
  const blocks = [...input.matchAll(PEM_BLOCK)];
  if (blocks.length !== 1) {
    throw unparsable('Paste exactly one PEM certificate.');
  }
  const [, label, body] = blocks[0];
  if (label !== 'CERTIFICATE') {
    throw unparsable(`Expected a CERTIFICATE, got a PEM ${label}.`);
  }
  return body;
}

function tryParse(der: Buffer): X509Certificate | undefined {
  try {
    return new X509Certificate(der);
  } catch {
    return undefined;
  }
}

function parsePem(pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw unparsable('The certificate cannot be parsed.');
  }
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Node 20's X509Certificate only offers OpenSSL's text form, e.g. "Jan  1 00:00:00 2030 GMT". */
function openSslDate(text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw unparsable('The certificate has an unreadable validity period.');
  }
  return date;
}

function unparsable(message: string): IdpConfigError {
  return new IdpConfigError('certificate', 'certificate_unparsable', message);
}
