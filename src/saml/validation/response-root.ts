import type { Document, Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { attributeOf, isNamed } from '../xml/dom';
import { SAML_PROTOCOL_NS } from '../xml/namespaces';

/** The document's single root, which must be a SAML 2.0 samlp:Response with an ID. */
export function responseRoot(document: Document): Element {
  const root = document.documentElement;
  if (root === null || !isNamed(root, SAML_PROTOCOL_NS, 'Response')) {
    throw new SamlValidationError(
      'not_a_response',
      `expected a samlp:Response, got ${root === null ? 'nothing' : `{${root.namespaceURI ?? ''}}${root.localName}`}`,
    );
  }
  if (attributeOf(root, 'Version') !== '2.0') {
    throw new SamlValidationError('not_a_response', 'the Response is not SAML version 2.0');
  }
  if (!attributeOf(root, 'ID')) {
    throw new SamlValidationError('not_a_response', 'the Response has no ID');
  }
  return root;
}
