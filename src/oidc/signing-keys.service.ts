import { Injectable } from '@nestjs/common';
import { createHash, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { SecretBox } from '../sso-config/sp/secret-box';
import { RETIRED_KEY_KEPT_HOURS, SigningKeysRepository, StoredSigningKey } from './signing-keys.repository';

/**
 * How long a new key is published before it signs: longer than any instance takes to reload its
 * keys (KEY_RELOAD_MS) and than a relying party caches the JWKS, so that nobody meets a token
 * signed by a key they have not seen.
 */
export const KEY_PUBLISH_LEAD_MS = 15 * 60_000;
const SEAL_CONTEXT = 'oidc-signing-key';

export type SigningKeyState = 'upcoming' | 'signing' | 'retiring';

export interface SigningKeyView {
  kid: string;
  state: SigningKeyState;
  createdAt: Date;
  activatesAt: Date;
}

export interface PrivateSigningJwk extends JsonWebKey {
  kid: string;
  alg: 'RS256';
  use: 'sig';
  key_ops?: string[];
}

/** The keys the provider is built with at a moment, and when that set next changes by itself. */
export interface SigningKeySet {
  /** The signing key first, then the keys only published (key_ops verify). */
  jwks: PrivateSigningJwk[];
  signingKid: string;
  /** When an upcoming key starts signing or a retiring one goes: the provider is rebuilt then. */
  changesAt: Date | null;
}

/**
 * The provider's RS256 signing keys: made on first start, stored sealed, rotated by publishing a
 * new key KEY_PUBLISH_LEAD_MS before it signs; the key it replaces stays published for a day.
 */
@Injectable()
export class SigningKeysService {
  constructor(
    private readonly keys: SigningKeysRepository,
    private readonly box: SecretBox,
  ) {}

  /** The key set, with a first key (signing at once: nothing was signed before it) when there is none. */
  async keySet(now = new Date()): Promise<SigningKeySet> {
    let stored = await this.keys.all();
    if (!stored.some((key) => key.activatesAt <= now)) {
      stored = await this.keys.locked(async (locked) => {
        const current = await locked.all();
        if (!current.some((key) => key.activatesAt <= now)) await locked.insert(this.newKey(now, now));
        return locked.all();
      });
    }
    return this.toKeySet(stored, now);
  }

  /** Schedules the next key (or answers the one already scheduled): published now, signing after the lead. */
  async rotate(now = new Date()): Promise<SigningKeyView> {
    const scheduled = await this.keys.locked(async (locked) => {
      const upcoming = (await locked.all()).find((key) => key.activatesAt > now);
      if (upcoming) return upcoming;
      const key = this.newKey(now, new Date(now.getTime() + KEY_PUBLISH_LEAD_MS));
      await locked.insert(key);
      return key;
    });
    return { kid: scheduled.kid, state: 'upcoming', createdAt: scheduled.createdAt, activatesAt: scheduled.activatesAt };
  }

  async list(now = new Date()): Promise<SigningKeyView[]> {
    const stored = await this.keys.all();
    const signing = signingKeyOf(stored, now);
    return stored
      .filter((key) => isPublished(key, stored, now))
      .map(({ kid, createdAt, activatesAt }) => ({
        kid,
        createdAt,
        activatesAt,
        state: activatesAt > now ? 'upcoming' : kid === signing?.kid ? 'signing' : 'retiring',
      }));
  }

  private toKeySet(stored: StoredSigningKey[], now: Date): SigningKeySet {
    const signing = signingKeyOf(stored, now)!;
    const published = stored.filter((key) => key !== signing && isPublished(key, stored, now));
    const jwks: PrivateSigningJwk[] = [
      this.open(signing),
      ...published.map((key) => ({ ...this.open(key), key_ops: ['verify'] })),
    ];
    const changes = [
      ...stored.filter((key) => key.activatesAt > now).map((key) => key.activatesAt.getTime()),
      ...published.map((key) => retiresAt(key, stored)).filter((at): at is number => at !== null && at > now.getTime()),
    ];
    return { jwks, signingKid: signing.kid, changesAt: changes.length > 0 ? new Date(Math.min(...changes)) : null };
  }

  private newKey(now: Date, activatesAt: Date): StoredSigningKey {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = privateKey.export({ format: 'jwk' });
    const kid = thumbprint(jwk);
    const privateJwk: PrivateSigningJwk = { ...jwk, kid, alg: 'RS256', use: 'sig' };
    return { kid, sealedJwk: this.box.seal(JSON.stringify(privateJwk), SEAL_CONTEXT), createdAt: now, activatesAt };
  }

  private open(key: StoredSigningKey): PrivateSigningJwk {
    return JSON.parse(this.box.open(key.sealedJwk, SEAL_CONTEXT)) as PrivateSigningJwk;
  }
}

/** The newest key that has started signing. */
function signingKeyOf(stored: StoredSigningKey[], now: Date): StoredSigningKey | undefined {
  return stored.filter((key) => key.activatesAt <= now).at(-1);
}

/** When the key after this one started signing, plus the time it is kept; null while none has. */
function retiresAt(key: StoredSigningKey, stored: StoredSigningKey[]): number | null {
  const successor = stored.find((other) => other.activatesAt > key.activatesAt);
  return successor ? successor.activatesAt.getTime() + RETIRED_KEY_KEPT_HOURS * 3600_000 : null;
}

function isPublished(key: StoredSigningKey, stored: StoredSigningKey[], now: Date): boolean {
  const retires = retiresAt(key, stored);
  return retires === null || retires > now.getTime() || key === signingKeyOf(stored, now);
}

/** RFC 7638: the SHA-256 of the required members in lexicographic order. */
function thumbprint(jwk: JsonWebKey): string {
  return createHash('sha256').update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n })).digest('base64url');
}
