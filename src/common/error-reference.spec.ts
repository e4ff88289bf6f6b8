import { newErrorReference } from './error-reference';

describe('newErrorReference', () => {
  it("is 8 characters of Crockford's base32, with no I, L, O or U to misread", () => {
    for (let index = 0; index < 1000; index++) expect(newErrorReference()).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
  });

  it('is new for every failure', () => {
    const references = new Set(Array.from({ length: 10_000 }, newErrorReference));
    expect(references.size).toBe(10_000);
  });

  it('uses the whole alphabet, first character included', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => newErrorReference()[0]));
    expect(seen.size).toBe(32);
  });
});
