import { deflateRawSync } from 'node:zlib';
import { SamlValidationError } from '../saml-error';
import { decodePostBindingMessage, decodeRedirectBindingMessage } from './decode-saml-message';

function reasonOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof SamlValidationError ? error.reason : `not a SamlValidationError: ${String(error)}`;
  }
  return undefined;
}

describe('decodePostBindingMessage', () => {
  const xml = '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>';
  const base64 = Buffer.from(xml).toString('base64');

  it('decodes base64 wrapped over lines with CRLF, LF, tabs and spaces', () => {
    const wrapped = base64.match(/.{1,10}/g)!.join('\r\n\t ');
    expect(decodePostBindingMessage(wrapped)).toBe(xml);
  });

  it.each([
    ['a character outside the alphabet', `${base64.slice(0, 8)}!${base64.slice(8)}`],
    ['URL-safe base64', base64.replace(/\+/g, '-').replace(/\//g, '_') + '-_'],
    ['missing padding', 'QUJD' + 'QQ'],
    ['padding in the middle', 'QQ==QUJD'],
    ['too much padding', 'QUI==='],
    ['padding bits that are not zero', 'QR=='],
    ['padding that is not needed', 'QUJD===='],
    ['nothing at all', ''],
    ['whitespace only', ' \n\t '],
  ])('refuses %s as malformed_request', (_name, text) => {
    expect(reasonOf(() => decodePostBindingMessage(text))).toBe('malformed_request');
  });

  it('refuses a message larger than the cap', () => {
    const bytes = 1000;
    expect(decodePostBindingMessage(Buffer.alloc(bytes, 'a').toString('base64'), bytes)).toHaveLength(bytes);
    expect(reasonOf(() => decodePostBindingMessage(Buffer.alloc(bytes + 1, 'a').toString('base64'), bytes))).toBe(
      'malformed_request',
    );
    expect(reasonOf(() => decodePostBindingMessage('A'.repeat(10 * bytes), bytes))).toBe('malformed_request');
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(reasonOf(() => decodePostBindingMessage(Buffer.from([0x3c, 0xff, 0xfe, 0x3e]).toString('base64')))).toBe(
      'malformed_request',
    );
  });
});

describe('decodeRedirectBindingMessage', () => {
  it('inflates a DEFLATEd message', () => {
    const xml = '<samlp:LogoutRequest/>';
    expect(decodeRedirectBindingMessage(deflateRawSync(xml).toString('base64'))).toBe(xml);
  });

  it('stops inflating a compression bomb at the cap', () => {
    const bomb = deflateRawSync(Buffer.alloc(50 * 1024 * 1024)).toString('base64');
    expect(bomb.length).toBeLessThan(100_000);
    expect(reasonOf(() => decodeRedirectBindingMessage(bomb, 1024 * 1024))).toBe('malformed_request');
  });

  it('refuses data that is not DEFLATE', () => {
    expect(reasonOf(() => decodeRedirectBindingMessage(Buffer.from('not deflate at all').toString('base64')))).toBe(
      'malformed_request',
    );
  });
});
