import { DOMParser, type Document } from '@xmldom/xmldom';

export type XmlRejection = 'doctype_not_allowed' | 'not_well_formed';

/** Why a text was not accepted as XML; each caller turns it into its own reason code. */
export class XmlRejectedError extends Error {
  override readonly name = 'XmlRejectedError';

  constructor(
    readonly rejection: XmlRejection,
    message: string,
  ) {
    super(message);
  }
}

// xmldom never expands entities but accepts a DOCTYPE silently, so any DTD markup is refused before
// the parser sees the text. Refusing it anywhere, even inside a comment, is cruder than a parser
// setting but cannot be bypassed; no SAML message or IdP metadata carries it.
const DTD_MARKUP = /<!\s*(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;
const MAX_DETAIL_LENGTH = 200;

/**
 * The one XML parse of the service, for SAML messages and IdP metadata alike: no DTD, and any
 * report of the parser, warning or error, stops the parse.
 */
export function parseHardenedXml(text: string): Document {
  if (DTD_MARKUP.test(text)) {
    throw new XmlRejectedError('doctype_not_allowed', 'DTDs and entity declarations are not allowed');
  }
  try {
    return new DOMParser({ onError: failOnAnyReport }).parseFromString(text, 'text/xml');
  } catch (error) {
    throw new XmlRejectedError('not_well_formed', `not well-formed XML: ${detailOf(error)}`);
  }
}

// xmldom reports malformed input (a second root element, unquoted attributes, text after the
// root) as warnings or errors and keeps going; every one of them must stop the parse.
function failOnAnyReport(level: string, message: string): never {
  throw new Error(`${level}: ${message}`);
}

function detailOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0].slice(0, MAX_DETAIL_LENGTH);
}
