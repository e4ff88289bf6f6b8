import { nameIdOf } from '../validation/subject';
import { assertBeforeNotOnOrAfter, instantAttribute } from '../validation/time';
import { attributeOf, childElements, textOf } from '../xml/dom';
import { SAML_PROTOCOL_NS } from '../xml/namespaces';
import { IncomingLogoutMessage, LogoutMessageExpectations, verifiedLogoutMessage } from './verified-logout-message';

export interface LogoutRequestExpectations extends LogoutMessageExpectations {
  clockSkewSeconds: number;
  now: Date;
}

export interface ValidatedLogoutRequest {
  id: string;
  nameId: string;
  sessionIndexes: string[];
}

/** An IdP's LogoutRequest, on either binding: signed, from the IdP, to this SP, in time, naming a user. */
export function validateLogoutRequest(incoming: IncomingLogoutMessage, expected: LogoutRequestExpectations): ValidatedLogoutRequest {
  const root = verifiedLogoutMessage(incoming, 'LogoutRequest', expected);
  const notOnOrAfter = instantAttribute(root, 'NotOnOrAfter', 'expired');
  if (notOnOrAfter) {
    assertBeforeNotOnOrAfter(notOnOrAfter, { now: expected.now, skewSeconds: expected.clockSkewSeconds }, 'the LogoutRequest');
  }
  const { nameId } = nameIdOf(root);
  const sessionIndexes = childElements(root, SAML_PROTOCOL_NS, 'SessionIndex')
    .map((element) => textOf(element).trim())
    .filter(Boolean);
  return { id: attributeOf(root, 'ID') as string, nameId, sessionIndexes };
}
