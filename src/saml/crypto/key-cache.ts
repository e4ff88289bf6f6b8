import { X509Certificate, type KeyObject } from 'node:crypto';

/**
 * Turns IdP certificates into public KeyObjects once. Importing a PEM costs more than the RSA
 * verification itself, so callers keep one cache and look the keys up on every login.
 */
export class PublicKeyCache {
  private readonly keys = new Map<string, KeyObject>();

  constructor(private readonly maxEntries = 1000) {}

  /** The public key of a certificate given as PEM or as DER bytes. Throws if it is no certificate. */
  publicKeyOf(certificate: string | Buffer): KeyObject {
    const cacheKey = typeof certificate === 'string' ? certificate : certificate.toString('base64');
    const cached = this.keys.get(cacheKey);
    if (cached !== undefined) {
      return cached;
    }
    const key = new X509Certificate(certificate).publicKey;
    if (this.keys.size >= this.maxEntries) {
      // Maps iterate in insertion order: this drops the oldest entry.
      this.keys.delete(this.keys.keys().next().value as string);
    }
    this.keys.set(cacheKey, key);
    return key;
  }

  publicKeysOf(certificates: ReadonlyArray<string | Buffer>): KeyObject[] {
    return certificates.map((certificate) => this.publicKeyOf(certificate));
  }
}
