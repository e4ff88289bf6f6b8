import { inflateRawSync } from 'node:zlib';
import { SamlValidationError } from '../saml-error';

/**
 * Inflates a message of the HTTP-Redirect binding. A few kilobytes of DEFLATE can expand to
 * gigabytes, so zlib stops at the cap instead of the caller checking afterwards.
 */
export function inflateRawCapped(deflated: Buffer, maxInflatedBytes: number): Buffer {
  try {
    return inflateRawSync(deflated, { maxOutputLength: maxInflatedBytes });
  } catch (error) {
    const tooLarge = error instanceof RangeError;
    throw new SamlValidationError(
      'malformed_request',
      tooLarge
        ? `the inflated message is larger than ${maxInflatedBytes} bytes`
        : 'the message is not valid DEFLATE data',
    );
  }
}
