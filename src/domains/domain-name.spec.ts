import { normalizeDomain } from './domain-name';
import { DomainError } from './domain.errors';

function refusal(input: string): string | undefined {
  try {
    normalizeDomain(input);
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'unexpected';
  }
}

describe('normalizeDomain', () => {
  it.each([
    ['Example.COM', 'example.com'],
    ['example.com.', 'example.com'],
    ['  acme.co.uk ', 'acme.co.uk'],
    ['eu.acme.com', 'eu.acme.com'],
    ['bücher.de', 'xn--bcher-kva.de'],
    ['XN--BCHER-KVA.DE', 'xn--bcher-kva.de'],
    ['münchen.例え.jp', 'xn--mnchen-3ya.xn--r8jz45g.jp'],
  ])('stores %s as %s', (input, stored) => {
    expect(normalizeDomain(input)).toBe(stored);
  });

  it.each([
    '', ' ', 'localhost', 'com', 'co.uk', 'co.uk.', '127.0.0.1', '[::1]', '::1', '10.0.0.1',
    'https://acme.com', 'acme.com/path', 'user@acme.com', 'acme .com', 'acme..com', '-acme.com', 'acme-.com',
    'acme_corp.com', 'corp.local', 'intranet.internal', 'acme.123',
    `${'a'.repeat(64)}.com`, `${'a.'.repeat(126)}com`,
  ])('refuses %j as invalid_domain', (input) => {
    expect(refusal(input)).toBe('invalid_domain');
  });

  it('accepts a label of 63 characters and a name of 253', () => {
    expect(normalizeDomain(`${'a'.repeat(63)}.com`)).toHaveLength(67);
    const name = `${'a'.repeat(61)}.${'b'.repeat(61)}.${'c'.repeat(61)}.${'d'.repeat(63)}.com`;
    expect(name).toHaveLength(253);
    expect(normalizeDomain(name)).toBe(name);
  });

  it.each(['gmail.com', 'GMail.com.', 'outlook.com', 'hotmail.com', 'yahoo.com', 'icloud.com', 'proton.me', 'qq.com',
    'yandex.ru', 'web.de', 'naver.com', 'uol.com.br', 'yahoo.co.jp', 'mail.ru'])(
    'refuses the consumer mail domain %s as public_email_domain',
    (input) => {
      expect(refusal(input)).toBe('public_email_domain');
    },
  );
});
