import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { childElements, textOf } from '../xml/dom';
import { SAML_ASSERTION_NS } from '../xml/namespaces';

/** The assertion must name the configured IdP; so must the Response, when it names anyone. */
export function assertIssuer(response: Element, assertion: Element, idpEntityId: string): void {
  const responseIssuers = childElements(response, SAML_ASSERTION_NS, 'Issuer');
  if (responseIssuers.length > 0) {
    assertSingleIssuer(responseIssuers, 'Response', idpEntityId);
  }
  assertSingleIssuer(childElements(assertion, SAML_ASSERTION_NS, 'Issuer'), 'assertion', idpEntityId);
}

function assertSingleIssuer(issuers: Element[], owner: string, idpEntityId: string): void {
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
