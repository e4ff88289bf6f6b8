import type { Document } from '@xmldom/xmldom';
import { parseHardenedXml, XmlRejectedError } from '../../common/xml/hardened-xml';
import { SamlValidationError } from '../saml-error';

/** Parses a SAML message with the service's hardened parse; a refusal carries its SAML reason code. */
export function parseXml(text: string): Document {
  try {
    return parseHardenedXml(text);
  } catch (error) {
    if (!(error instanceof XmlRejectedError)) {
      throw error;
    }
    if (error.rejection === 'doctype_not_allowed') {
      throw new SamlValidationError('doctype_not_allowed', 'DTDs are not allowed in SAML messages');
    }
    throw new SamlValidationError('invalid_xml', `the message is ${error.message}`);
  }
}
