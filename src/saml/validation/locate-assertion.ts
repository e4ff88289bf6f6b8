import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { forEachElement } from '../xml/dom';
import { SAML_ASSERTION_NS } from '../xml/namespaces';

export interface LocatedAssertion {
  element: Element;
  encrypted: boolean;
}

/**
 * The one Assertion or EncryptedAssertion of the Response. It must be the only one anywhere in
 * the document and a direct child of the Response: an assertion parked in Extensions, Advice or
 * a ds:Object is what signature wrapping feeds to a consumer that looks in the wrong place.
 */
export function locateAssertion(response: Element): LocatedAssertion {
  const assertions = assertionsIn(response);
  if (assertions.length === 0) {
    throw new SamlValidationError('missing_assertion', 'the Response carries no assertion');
  }
  if (assertions.length > 1) {
    throw new SamlValidationError(
      'multiple_assertions',
      `the Response carries ${assertions.length} assertions; exactly one is allowed`,
    );
  }
  const [element] = assertions;
  if (element.parentNode !== response) {
    throw new SamlValidationError(
      'missing_assertion',
      'the assertion is not a direct child of the Response',
    );
  }
  return { element, encrypted: element.localName === 'EncryptedAssertion' };
}

/** Every Assertion and EncryptedAssertion in the subtree, the root included. */
export function assertionsIn(root: Element): Element[] {
  const assertions: Element[] = [];
  forEachElement(root, (element) => {
    if (
      element.namespaceURI === SAML_ASSERTION_NS &&
      (element.localName === 'Assertion' || element.localName === 'EncryptedAssertion')
    ) {
      assertions.push(element);
    }
  });
  return assertions;
}
