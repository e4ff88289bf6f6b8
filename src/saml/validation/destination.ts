import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { attributeOf } from '../xml/dom';

/**
 * The Response must have been sent to this ACS. SAML bindings require a Destination on a signed
 * message; an unsigned Response may omit it, the bearer Recipient then binds the assertion.
 */
export function assertDestination(response: Element, acsUrl: string, responseSigned: boolean): void {
  const destination = attributeOf(response, 'Destination');
  if (destination === null) {
    if (responseSigned) {
      throw new SamlValidationError('destination_mismatch', 'the signed Response has no Destination');
    }
    return;
  }
  if (destination !== acsUrl) {
    throw new SamlValidationError(
      'destination_mismatch',
      `the Response was sent to "${destination}", expected "${acsUrl}"`,
    );
  }
}
