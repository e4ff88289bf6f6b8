import { LoginStateError } from '../saml-error';
import { statusOf, type MessageStatus } from '../validation/status';
import { attributeOf } from '../xml/dom';
import { IncomingLogoutMessage, LogoutMessageExpectations, verifiedLogoutMessage } from './verified-logout-message';

export interface ValidatedLogoutResponse {
  id: string;
  /** The LogoutRequest it answers; not yet matched to one this service sent. */
  inResponseTo: string;
  status: MessageStatus;
}

/**
 * The IdP's answer to a LogoutRequest of this SP, on either binding: signed, from the IdP, to
 * this SP, answering a request. Whether it answers one this tenant sent and has not seen answered
 * needs the database and is the caller's; so is what a non-Success status means.
 */
export function validateLogoutResponse(incoming: IncomingLogoutMessage, expected: LogoutMessageExpectations): ValidatedLogoutResponse {
  const root = verifiedLogoutMessage(incoming, 'LogoutResponse', expected);
  const inResponseTo = attributeOf(root, 'InResponseTo');
  if (!inResponseTo) {
    throw new LoginStateError('unknown_request', 'the LogoutResponse answers no LogoutRequest');
  }
  return { id: attributeOf(root, 'ID') as string, inResponseTo, status: statusOf(root) };
}
