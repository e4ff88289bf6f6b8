import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { childElements, textOf } from '../xml/dom';
import { SAML_ASSERTION_NS } from '../xml/namespaces';

/** The assertion's single Conditions element, which must exist: it carries the audience. */
export function conditionsOf(assertion: Element): Element {
  const conditions = childElements(assertion, SAML_ASSERTION_NS, 'Conditions');
  if (conditions.length !== 1) {
    throw new SamlValidationError(
      'audience_mismatch',
      'the assertion must have exactly one Conditions element restricting its audience',
    );
  }
  return conditions[0];
}

/**
 * There must be an AudienceRestriction, and every one of them must name this SP: SAML core makes
 * several restrictions a conjunction.
 */
export function assertAudience(conditions: Element, spEntityId: string): void {
  const restrictions = childElements(conditions, SAML_ASSERTION_NS, 'AudienceRestriction');
  if (restrictions.length === 0) {
    throw new SamlValidationError('audience_mismatch', 'the assertion has no AudienceRestriction');
  }
  for (const restriction of restrictions) {
    const audiences = childElements(restriction, SAML_ASSERTION_NS, 'Audience').map(textOf);
    if (!audiences.includes(spEntityId)) {
      throw new SamlValidationError(
        'audience_mismatch',
        `the assertion is meant for ${JSON.stringify(audiences)}, not "${spEntityId}"`,
      );
    }
  }
}
