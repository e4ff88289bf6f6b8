import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { attributeOf } from '../xml/dom';

/**
 * The message (a Response, a LogoutRequest, a LogoutResponse) must have been sent to this
 * endpoint. SAML bindings require a Destination on a signed message; an unsigned Response may
 * omit it, the bearer Recipient then binds the assertion.
 */
export function assertDestination(message: Element, endpointUrl: string, messageSigned: boolean): void {
  const destination = attributeOf(message, 'Destination');
  if (destination === null) {
    if (messageSigned) {
      throw new SamlValidationError('destination_mismatch', `the signed ${message.localName} has no Destination`);
    }
    return;
  }
  if (destination !== endpointUrl) {
    throw new SamlValidationError(
      'destination_mismatch',
      `the ${message.localName} was sent to "${destination}", expected "${endpointUrl}"`,
    );
  }
}
