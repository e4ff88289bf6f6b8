import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { forEachElement } from '../xml/dom';

// Whatever a signature library might resolve a reference with: SAML's ID, XMLDSig's Id, xml:id,
// wsu:Id. Two elements answering to one ID are how a signature gets pointed at the wrong one.
const ID_ATTRIBUTE_NAMES = new Set(['ID', 'Id', 'id']);

export function assertUniqueIds(root: Element): void {
  const seen = new Set<string>();
  forEachElement(root, (element) => {
    for (const attribute of Array.from(element.attributes)) {
      if (attribute.prefix === 'xmlns' || !ID_ATTRIBUTE_NAMES.has(attribute.localName ?? attribute.name)) {
        continue;
      }
      if (seen.has(attribute.value)) {
        throw new SamlValidationError('duplicate_id', `the ID ${attribute.value} is used more than once`);
      }
      seen.add(attribute.value);
    }
  });
}
