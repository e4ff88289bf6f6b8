import { SamlValidationError } from '../saml-error';
import { textOf } from './dom';
import { parseXml } from './parse-xml';

function reasonOf(text: string): string | undefined {
  try {
    parseXml(text);
  } catch (error) {
    return error instanceof SamlValidationError ? error.reason : `not a SamlValidationError: ${String(error)}`;
  }
  return undefined;
}

describe('parseXml', () => {
  it('parses a namespaced document', () => {
    const document = parseXml('<?xml version="1.0" encoding="UTF-8"?><p:a xmlns:p="urn:x"><p:b/></p:a>');
    expect(document.documentElement?.namespaceURI).toBe('urn:x');
  });

  it.each([
    ['two root elements', '<a/><b/>'],
    ['text after the root', '<a/>trailing'],
    ['an unclosed element', '<a><b></a>'],
    ['an unquoted attribute', '<a b=c/>'],
    ['an undeclared prefix', '<x:a/>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['no element at all', 'just text'],
    ['an empty string', ''],
  ])('refuses %s as invalid_xml', (_name, text) => {
    expect(reasonOf(text)).toBe('invalid_xml');
  });

  it('reads an element text across comments and CDATA, in full', () => {
    const document = parseXml('<a> a@b.com<!---->.evil.com<![CDATA[!]]> </a>');
    expect(textOf(document.documentElement!)).toBe('a@b.com.evil.com!');
  });
});
