import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { attributeOf, childElements, textOf } from '../xml/dom';
import { SAML_ASSERTION_NS } from '../xml/namespaces';

/**
 * A NameID with every attribute SAML core 2.2.3 gives it, each as the IdP wrote it (null when
 * absent): a LogoutRequest must name the principal with the same identifier (3.7.1), and strict
 * IdPs compare the qualifiers too.
 */
export interface SubjectName {
  nameId: string;
  nameIdFormat: string | null;
  nameQualifier: string | null;
  spNameQualifier: string | null;
  spProvidedId: string | null;
}

export function subjectOf(assertion: Element): Element {
  const subjects = childElements(assertion, SAML_ASSERTION_NS, 'Subject');
  if (subjects.length !== 1) {
    throw new SamlValidationError('missing_subject', 'the assertion must have exactly one Subject');
  }
  return subjects[0];
}

/**
 * The NameID of a Subject (or of a LogoutRequest) in full; an EncryptedID or BaseID names nobody
 * this service can use.
 */
export function nameIdOf(parent: Element): SubjectName {
  const nameIds = childElements(parent, SAML_ASSERTION_NS, 'NameID');
  const nameId = nameIds.length === 1 ? textOf(nameIds[0]) : '';
  if (nameId === '') {
    throw new SamlValidationError('missing_subject', `the ${parent.localName} must have exactly one non-empty NameID`);
  }
  const [element] = nameIds;
  return {
    nameId,
    nameIdFormat: attributeOf(element, 'Format'),
    nameQualifier: attributeOf(element, 'NameQualifier'),
    spNameQualifier: attributeOf(element, 'SPNameQualifier'),
    spProvidedId: attributeOf(element, 'SPProvidedID'),
  };
}
