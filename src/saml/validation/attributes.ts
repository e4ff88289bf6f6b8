import type { Element } from '@xmldom/xmldom';
import { attributeOf, childElements, textOf } from '../xml/dom';
import { SAML_ASSERTION_NS } from '../xml/namespaces';

export interface SamlAttribute {
  name: string;
  friendlyName: string | null;
  values: string[];
}

/** Every named Attribute of every AttributeStatement, in document order, values in full. */
export function readAttributes(assertion: Element): SamlAttribute[] {
  return childElements(assertion, SAML_ASSERTION_NS, 'AttributeStatement')
    .flatMap((statement) => childElements(statement, SAML_ASSERTION_NS, 'Attribute'))
    .filter((attribute) => attributeOf(attribute, 'Name'))
    .map((attribute) => ({
      name: attributeOf(attribute, 'Name') as string,
      friendlyName: attributeOf(attribute, 'FriendlyName'),
      values: childElements(attribute, SAML_ASSERTION_NS, 'AttributeValue').map(textOf),
    }));
}
