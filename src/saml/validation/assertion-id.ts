import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { attributeOf } from '../xml/dom';

/** The assertion's ID, which replay detection records; an assertion without one is refused. */
export function assertionIdOf(assertion: Element): string {
  const id = attributeOf(assertion, 'ID');
  if (!id) {
    throw new SamlValidationError('missing_assertion', 'the assertion has no ID');
  }
  return id;
}
