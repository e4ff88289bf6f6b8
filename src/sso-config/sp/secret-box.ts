import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { TenantRef } from '../../tenancy/tenant';

export interface SecretBoxKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

const FORMAT_VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A short, stable name for a key, so sealed values say which key opens them without revealing it. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** The context that binds a secret to its tenant: `organization:<uuid>` or `partner:<uuid>`. */
export function tenantSecretContext(tenant: TenantRef): string {
  return `${tenant.type}:${tenant.id.toLowerCase()}`;
}

/**
 * AES-256-GCM for secrets at rest, as `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64 parts).
 * Seals with the first key and opens with whichever key the value names, so keys can be rotated by
 * putting the new one first and keeping the old ones until every value has been re-sealed.
 *
 * A value may be sealed for a context (whose secret it is, e.g. `tenantSecretContext(tenant)`): the
 * context is authenticated with the value but not stored in it, and the value opens only for that
 * same context, so a sealed value copied into another tenant's row does not open there.
 */
export class SecretBox {
  private readonly current: SecretBoxKey;
  private readonly keysById: ReadonlyMap<string, Buffer>;

  constructor(keys: SecretBoxKey[]) {
    if (keys.length === 0) {
      throw new SecretBoxError('At least one key is required.');
    }
    for (const { id, key } of keys) {
      if (!/^[A-Za-z0-9_-]+$/.test(id)) {
        throw new SecretBoxError(`Key id "${id}" must be letters, digits, "_" or "-".`);
      }
      if (key.length !== KEY_BYTES) {
        throw new SecretBoxError(`Key "${id}" must be ${KEY_BYTES} bytes, not ${key.length}.`);
      }
    }
    this.keysById = new Map(keys.map(({ id, key }) => [id, key]));
    if (this.keysById.size !== keys.length) {
      throw new SecretBoxError('Key ids must be unique.');
    }
    this.current = keys[0];
  }

  seal(plaintext: string, context?: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.key, iv);
    cipher.setAAD(associatedData(this.current.id, context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [FORMAT_VERSION, this.current.id, iv, tag, ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64')))
      .join(':');
  }

  /** `context` must be the one the value was sealed for (none when it was sealed without). */
  open(sealed: string, context?: string): string {
    const parts = sealed.split(':');
    const [version, keyId, ...encoded] = parts;
    if (parts.length !== 5 || version !== FORMAT_VERSION || !encoded.every((part) => BASE64.test(part))) {
      throw new SecretBoxError('The sealed value is malformed.');
    }
    const key = this.keysById.get(keyId);
    if (key === undefined) {
      throw new SecretBoxError(`The sealed value needs key "${keyId}", which is not configured.`);
    }
    const [iv, tag, ciphertext] = encoded.map((part) => Buffer.from(part, 'base64'));
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new SecretBoxError('The sealed value is malformed.');
    }
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(keyId, context));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('The sealed value was altered, sealed with a different key, or sealed for another context.');
    }
  }
}

// Authenticating the header stops a value from being relabelled with another version or key id;
// authenticating the context stops it from being moved to another owner. Key ids hold no colon, so
// `v1:<keyId>` (no context) and `v1:<keyId>:<context>` never collide.
function associatedData(keyId: string, context: string | undefined): Buffer {
  if (context === undefined) {
    return Buffer.from(`${FORMAT_VERSION}:${keyId}`, 'utf8');
  }
  if (context === '') {
    // Most likely a missing tenant id: refused rather than silently binding to nothing.
    throw new SecretBoxError('The context must not be empty.');
  }
  return Buffer.from(`${FORMAT_VERSION}:${keyId}:${context}`, 'utf8');
}
