import { DOMParser, type Document } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';

// xmldom never expands entities but accepts a DOCTYPE silently, so any document type declaration
// or entity declaration is refused before the parser sees the text.
const DTD_DECLARATION = /<!(?:DOCTYPE|ENTITY)/i;

export function parseXml(text: string): Document {
  if (DTD_DECLARATION.test(text)) {
    throw new SamlValidationError('doctype_not_allowed', 'DTDs are not allowed in SAML messages');
  }
  try {
    return new DOMParser({ onError: failOnAnyReport }).parseFromString(text, 'text/xml');
  } catch (error) {
    throw new SamlValidationError('invalid_xml', `the message is not well-formed XML: ${firstLine(error)}`);
  }
}

// xmldom reports malformed input (a second root element, unquoted attributes, text after the
// root) as warnings or errors and keeps going; every one of them must stop the parse.
function failOnAnyReport(level: string, message: string): never {
  throw new Error(`${level}: ${message}`);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0];
}
