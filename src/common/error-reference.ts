import { randomBytes } from 'node:crypto';

/** Crockford's base32: digits and capitals without I, L, O and U, so a reference read aloud is not misheard. */
const CROCKFORD_BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const REFERENCE_BYTES = 5;

/**
 * A short reference for one failure, quoted by the person who met it and found by the admin in
 * the sign-in attempts and the logs: 40 random bits as 8 characters. Written here rather than
 * taken from a base32 package because it is one loop over five bytes.
 */
export function newErrorReference(): string {
  // 40 bits fit a JavaScript number exactly.
  let bits = randomBytes(REFERENCE_BYTES).readUIntBE(0, REFERENCE_BYTES);
  let reference = '';
  for (let index = 0; index < (REFERENCE_BYTES * 8) / 5; index++) {
    reference = CROCKFORD_BASE32[bits % 32] + reference;
    bits = Math.floor(bits / 32);
  }
  return reference;
}
