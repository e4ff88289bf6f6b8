import type { KeyObject } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { assertDestination } from '../validation/destination';
import { assertIssuedBy } from '../validation/issuer';
import { verifyOwnSignature } from '../validation/signatures';
import { assertUniqueIds } from '../validation/unique-ids';
import { decodePostBindingMessage, decodeRedirectBindingMessage } from '../xml/decode-saml-message';
import { attributeOf, isNamed } from '../xml/dom';
import { SAML_PROTOCOL_NS } from '../xml/namespaces';
import { parseXml } from '../xml/parse-xml';
import { verifyRedirectSignature } from './redirect-signature';

export interface LogoutMessageExpectations {
  idpEntityId: string;
  idpKeys: KeyObject[];
  /** This SP's SLO endpoint: the Destination of every logout message it accepts. */
  sloUrl: string;
  allowSha1Signatures: boolean;
}

/** A logout message as it arrived: the raw query of the HTTP-Redirect binding, or the posted base64. */
export type IncomingLogoutMessage = { binding: 'redirect'; rawQuery: string } | { binding: 'post'; base64: string };

export type LogoutMessageKind = 'LogoutRequest' | 'LogoutResponse';

const PARAMETER = { LogoutRequest: 'SAMLRequest', LogoutResponse: 'SAMLResponse' } as const;

/**
 * The root of an IdP's logout message once it is signed as its binding requires (the query
 * signature on Redirect; on POST the message's own signature, so that everything read is
 * signed), comes from the configured IdP and is addressed to this SP's SLO endpoint. Both
 * bindings sign the message, so its Destination is required (saml-bindings 3.4.5.2, 3.5.5.2).
 */
export function verifiedLogoutMessage(
  incoming: IncomingLogoutMessage,
  kind: LogoutMessageKind,
  expected: LogoutMessageExpectations,
): Element {
  const policy = { allowSha1: expected.allowSha1Signatures };
  let root: Element;
  if (incoming.binding === 'redirect') {
    const message = verifyRedirectSignature(incoming.rawQuery, PARAMETER[kind], expected.idpKeys, policy);
    root = messageRoot(decodeRedirectBindingMessage(message), kind);
    assertUniqueIds(root);
  } else {
    root = messageRoot(decodePostBindingMessage(incoming.base64), kind);
    assertUniqueIds(root);
    if (!verifyOwnSignature(root, expected.idpKeys, policy)) {
      throw new SamlValidationError('unsigned', `the ${kind} is not signed`);
    }
  }
  assertIssuedBy(root, kind, expected.idpEntityId);
  assertDestination(root, expected.sloUrl, true);
  return root;
}

function messageRoot(xml: string, kind: LogoutMessageKind): Element {
  const root = parseXml(xml).documentElement;
  if (!root || !isNamed(root, SAML_PROTOCOL_NS, kind)) {
    throw new SamlValidationError('malformed_request', `the message is not a ${kind}`);
  }
  if (attributeOf(root, 'Version') !== '2.0' || !attributeOf(root, 'ID')) {
    throw new SamlValidationError('malformed_request', `the ${kind} is not SAML 2.0 or has no ID`);
  }
  return root;
}
