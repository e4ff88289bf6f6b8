import { parseIdpMetadata } from '../../sso-config/idp/idp-metadata.parser';
import { SamlValidationError } from '../../saml/saml-error';
import { parseXml } from '../../saml/xml/parse-xml';
import { parseHardenedXml, XmlRejectedError } from './hardened-xml';

function rejectionOf(parse: () => unknown): string | undefined {
  try {
    parse();
  } catch (error) {
    if (error instanceof XmlRejectedError) return error.rejection;
    if (error instanceof SamlValidationError) return error.reason;
    if (error instanceof Error && 'code' in error) return String(error.code);
    return `unexpected: ${String(error)}`;
  }
  return undefined;
}

const DTD_MARKUP = [
  ['a DOCTYPE with an internal entity', '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'],
  ['an external entity (XXE)', '<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>'],
  ['a bare DOCTYPE', '<!DOCTYPE a><a/>'],
  ['a lower-case doctype', '<!doctype a><a/>'],
  ['whitespace after <!', '<! DOCTYPE a><a/>'],
  ['an ENTITY declaration on its own', '<a><!ENTITY e "x"></a>'],
  ['an ELEMENT declaration', '<a><!ELEMENT a ANY></a>'],
  ['an ATTLIST declaration', '<a><!ATTLIST a b CDATA "c"></a>'],
  ['a NOTATION declaration', '<a><!NOTATION n SYSTEM "x"></a>'],
  ['DTD markup inside a comment', '<a><!-- <!DOCTYPE a> --></a>'],
];

describe('parseHardenedXml, the one XML parse of SAML messages and IdP metadata', () => {
  it.each(DTD_MARKUP)('refuses %s, for SAML messages and metadata alike', (_name, text) => {
    expect(rejectionOf(() => parseHardenedXml(text))).toBe('doctype_not_allowed');
    expect(rejectionOf(() => parseXml(text))).toBe('doctype_not_allowed');
    expect(rejectionOf(() => parseIdpMetadata(text))).toBe('doctype_not_allowed');
  });

  it.each([
    ['two root elements', '<a/><b/>'],
    ['an undeclared prefix', '<x:a/>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
  ])('refuses %s as not well-formed, for SAML messages and metadata alike', (_name, text) => {
    expect(rejectionOf(() => parseHardenedXml(text))).toBe('not_well_formed');
    expect(rejectionOf(() => parseXml(text))).toBe('invalid_xml');
    expect(rejectionOf(() => parseIdpMetadata(text))).toBe('not_xml');
  });

  it('keeps the parser detail short', () => {
    const error = (() => {
      try {
        parseHardenedXml(`<a b="${'x'.repeat(1000)}"><c></a>`);
      } catch (caught) {
        return caught as Error;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(XmlRejectedError);
    expect(error!.message.length).toBeLessThan(250);
  });
});
