import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { attributeOf, childElements, textOf } from '../xml/dom';
import { SAML_ASSERTION_NS } from '../xml/namespaces';

export interface SubjectName {
  nameId: string;
  nameIdFormat: string | null;
}

export function subjectOf(assertion: Element): Element {
  const subjects = childElements(assertion, SAML_ASSERTION_NS, 'Subject');
  if (subjects.length !== 1) {
    throw new SamlValidationError('missing_subject', 'the assertion must have exactly one Subject');
  }
  return subjects[0];
}

/** The Subject's NameID in full; an EncryptedID or BaseID names nobody this service can use. */
export function nameIdOf(subject: Element): SubjectName {
  const nameIds = childElements(subject, SAML_ASSERTION_NS, 'NameID');
  const nameId = nameIds.length === 1 ? textOf(nameIds[0]) : '';
  if (nameId === '') {
    throw new SamlValidationError('missing_subject', 'the Subject must have exactly one non-empty NameID');
  }
  return { nameId, nameIdFormat: attributeOf(nameIds[0], 'Format') };
}
