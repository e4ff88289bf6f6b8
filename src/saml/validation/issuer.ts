import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { childElements, textOf } from '../xml/dom';
import { SAML_ASSERTION_NS } from '../xml/namespaces';

/** The assertion must name the configured IdP; so must the Response, when it names anyone. */
export function assertIssuer(response: Element, assertion: Element, idpEntityId: string): void {
  if (childElements(response, SAML_ASSERTION_NS, 'Issuer').length > 0) {
    assertIssuedBy(response, 'Response', idpEntityId);
  }
  assertIssuedBy(assertion, 'assertion', idpEntityId);
}

/** The element has exactly one Issuer, and it is the configured IdP. */
export function assertIssuedBy(element: Element, owner: string, idpEntityId: string): void {
  const issuers = childElements(element, SAML_ASSERTION_NS, 'Issuer');
  if (issuers.length !== 1) {
    throw new SamlValidationError('issuer_mismatch', `the ${owner} must have exactly one Issuer`);
  }
  const issuer = textOf(issuers[0]);
  if (issuer !== idpEntityId) {
    throw new SamlValidationError(
      'issuer_mismatch',
      `the ${owner} was issued by "${issuer}", expected "${idpEntityId}"`,
    );
  }
}
