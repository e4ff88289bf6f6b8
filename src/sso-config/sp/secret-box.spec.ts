import { randomBytes } from 'node:crypto';
import { keyIdOf, SecretBox, SecretBoxError, tenantSecretContext } from './secret-box';

const oldKey = { id: 'old', key: randomBytes(32) };
const newKey = { id: 'new', key: randomBytes(32) };
const PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ…\n-----END PRIVATE KEY-----\n';

describe('SecretBox', () => {
  const box = new SecretBox([newKey, oldKey]);

  it('opens what it sealed', () => {
    expect(box.open(box.seal(PRIVATE_KEY))).toBe(PRIVATE_KEY);
    expect(box.open(box.seal(''))).toBe('');
    expect(box.open(box.seal('clé ✓'))).toBe('clé ✓');
  });

  it('seals with the first key, in the documented format, never revealing the plaintext', () => {
    const sealed = box.seal(PRIVATE_KEY);
    expect(sealed).toMatch(/^v1:new:[A-Za-z0-9+/=]{16}:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain('PRIVATE KEY');
  });

  it('uses a fresh IV for every seal', () => {
    expect(box.seal(PRIVATE_KEY)).not.toBe(box.seal(PRIVATE_KEY));
  });

  it('opens values sealed before a rotation with the old key', () => {
    const sealedBeforeRotation = new SecretBox([oldKey]).seal(PRIVATE_KEY);
    expect(sealedBeforeRotation.startsWith('v1:old:')).toBe(true);
    expect(box.open(sealedBeforeRotation)).toBe(PRIVATE_KEY);
  });

  it('cannot open a value whose key was retired', () => {
    const sealed = new SecretBox([oldKey]).seal(PRIVATE_KEY);
    expect(() => new SecretBox([newKey]).open(sealed)).toThrow(SecretBoxError);
  });

  describe('bound to a tenant', () => {
    const acme = tenantSecretContext({ type: 'organization', id: '0b6f1c3e-8a55-4d0e-9a51-3c1f1b2f6d01' });
    const globex = tenantSecretContext({ type: 'organization', id: '7d2a9e44-51c6-4f3b-8e0a-2b9d6c4e8f12' });
    const acmePartner = tenantSecretContext({ type: 'partner', id: '0b6f1c3e-8a55-4d0e-9a51-3c1f1b2f6d01' });

    it('names the tenant by kind and id', () => {
      expect(acme).toBe('organization:0b6f1c3e-8a55-4d0e-9a51-3c1f1b2f6d01');
      expect(tenantSecretContext({ type: 'partner', id: '7D2A9E44-51C6-4F3B-8E0A-2B9D6C4E8F12' })).toBe(
        'partner:7d2a9e44-51c6-4f3b-8e0a-2b9d6c4e8f12',
      );
    });

    it('opens for the tenant it was sealed for, in the same format', () => {
      const sealed = box.seal(PRIVATE_KEY, acme);
      expect(sealed).toMatch(/^v1:new:[A-Za-z0-9+/=]{16}:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]+$/);
      expect(sealed).not.toContain(acme);
      expect(box.open(sealed, acme)).toBe(PRIVATE_KEY);
    });

    it('does not open for another tenant, even one with the same id of another kind', () => {
      // A sealed value copied from one tenant's row into another's.
      const sealed = box.seal(PRIVATE_KEY, acme);
      expect(() => box.open(sealed, globex)).toThrow(SecretBoxError);
      expect(() => box.open(sealed, acmePartner)).toThrow(SecretBoxError);
    });

    it('does not open without its context, nor an unbound value with one', () => {
      expect(() => box.open(box.seal(PRIVATE_KEY, acme))).toThrow(SecretBoxError);
      expect(() => box.open(box.seal(PRIVATE_KEY), acme)).toThrow(SecretBoxError);
    });

    it('keeps the binding across a key rotation', () => {
      const sealedBeforeRotation = new SecretBox([oldKey]).seal(PRIVATE_KEY, acme);
      expect(box.open(sealedBeforeRotation, acme)).toBe(PRIVATE_KEY);
      expect(() => box.open(sealedBeforeRotation, globex)).toThrow(SecretBoxError);
    });

    it('refuses an empty context', () => {
      expect(() => box.seal(PRIVATE_KEY, '')).toThrow(SecretBoxError);
      expect(() => box.open(box.seal(PRIVATE_KEY, acme), '')).toThrow(SecretBoxError);
    });
  });

  describe('detects tampering with', () => {
    const sealed = box.seal(PRIVATE_KEY);
    const parts = sealed.split(':');
    const flipFirstByte = (base64: string) => {
      const bytes = Buffer.from(base64, 'base64');
      bytes[0] ^= 0x01;
      return bytes.toString('base64');
    };

    it.each([
      ['the ciphertext', 4],
      ['the tag', 3],
      ['the IV', 2],
    ])('%s', (_part, index) => {
      const tampered = parts.map((part, i) => (i === index ? flipFirstByte(part) : part)).join(':');
      expect(() => box.open(tampered)).toThrow(SecretBoxError);
    });

    it('the key id, even when another configured key is named', () => {
      const relabelled = ['v1', 'old', ...parts.slice(2)].join(':');
      expect(() => box.open(relabelled)).toThrow(SecretBoxError);
    });

    it('a truncated value', () => {
      expect(() => box.open(sealed.slice(0, -4))).toThrow(SecretBoxError);
    });
  });

  it.each([
    ['an empty string', ''],
    ['too few parts', 'v1:new:abc'],
    ['an unknown version', 'v2:new:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA==:AAAA'],
    ['characters outside base64', 'v1:new:AAAA*AAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA==:AAAA'],
    ['a short IV', 'v1:new:AAAA:AAAAAAAAAAAAAAAAAAAAAA==:AAAA'],
  ])('refuses %s', (_description, sealed) => {
    expect(() => box.open(sealed)).toThrow(SecretBoxError);
  });

  it.each([
    ['no key', []],
    ['a 16-byte key', [{ id: 'short', key: randomBytes(16) }]],
    ['a key id with a colon', [{ id: 'a:b', key: randomBytes(32) }]],
    ['two keys with one id', [oldKey, { id: 'old', key: randomBytes(32) }]],
  ])('refuses to be built with %s', (_description, keys) => {
    expect(() => new SecretBox(keys)).toThrow(SecretBoxError);
  });
});

describe('keyIdOf', () => {
  it('names a key by the first 8 hex characters of its SHA-256', () => {
    const key = Buffer.alloc(32, 0);
    // sha256 of 32 zero bytes: 66687aad…
    expect(keyIdOf(key)).toBe('66687aad');
  });

  it('tells keys apart', () => {
    expect(keyIdOf(oldKey.key)).not.toBe(keyIdOf(newKey.key));
  });

  it('makes ids the box accepts', () => {
    const key = randomBytes(32);
    const box = new SecretBox([{ id: keyIdOf(key), key }]);
    expect(box.open(box.seal('secret'))).toBe('secret');
  });
});
