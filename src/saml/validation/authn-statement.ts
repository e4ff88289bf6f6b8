import type { Element } from '@xmldom/xmldom';
import { attributeOf, childElements } from '../xml/dom';
import { SAML_ASSERTION_NS } from '../xml/namespaces';
import { assertBeforeNotOnOrAfter, instantAttribute, type Clock } from './time';

export interface AuthnSession {
  sessionIndex: string | null;
  sessionNotOnOrAfter: Date | null;
}

/** The IdP session of the first AuthnStatement, refused when it has already ended. */
export function readAuthnSession(assertion: Element, clock: Clock): AuthnSession {
  const [statement] = childElements(assertion, SAML_ASSERTION_NS, 'AuthnStatement');
  if (statement === undefined) {
    return { sessionIndex: null, sessionNotOnOrAfter: null };
  }
  const sessionNotOnOrAfter = instantAttribute(statement, 'SessionNotOnOrAfter', 'expired');
  if (sessionNotOnOrAfter !== null) {
    assertBeforeNotOnOrAfter(sessionNotOnOrAfter, clock, 'the IdP session');
  }
  return { sessionIndex: attributeOf(statement, 'SessionIndex'), sessionNotOnOrAfter };
}
