import { SamlValidationError } from '../saml-error';
import { inflateRawCapped } from './inflate-raw';
import { decodeStrictBase64 } from './strict-base64';

export const MAX_SAML_MESSAGE_BYTES = 1024 * 1024;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The XML text of a message of the HTTP-POST binding (base64). */
export function decodePostBindingMessage(
  base64: string,
  maxBytes: number = MAX_SAML_MESSAGE_BYTES,
): string {
  return utf8Text(decodeCappedBase64(base64, maxBytes));
}

/** The XML text of a message of the HTTP-Redirect binding (DEFLATE, then base64). */
export function decodeRedirectBindingMessage(
  base64: string,
  maxBytes: number = MAX_SAML_MESSAGE_BYTES,
): string {
  return utf8Text(inflateRawCapped(decodeCappedBase64(base64, maxBytes), maxBytes));
}

function decodeCappedBase64(base64: string, maxBytes: number): Buffer {
  const bytes = decodeStrictBase64(base64);
  if (bytes === null) {
    throw new SamlValidationError('malformed_request', 'the message is not valid base64');
  }
  if (bytes.length > maxBytes) {
    throw new SamlValidationError('malformed_request', `the message is larger than ${maxBytes} bytes`);
  }
  return bytes;
}

function utf8Text(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new SamlValidationError('malformed_request', 'the message is not UTF-8 text');
  }
}
