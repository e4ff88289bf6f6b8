import type { KeyObject } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { verifyOwnSignature } from '../validation/signatures';
import { assertBeforeNotOnOrAfter, instantAttribute } from '../validation/time';
import { assertUniqueIds } from '../validation/unique-ids';
import { decodePostBindingMessage, decodeRedirectBindingMessage } from '../xml/decode-saml-message';
import { attributeOf, childElements, isNamed, textOf } from '../xml/dom';
import { SAML_ASSERTION_NS, SAML_PROTOCOL_NS } from '../xml/namespaces';
import { parseXml } from '../xml/parse-xml';
import { verifyRedirectSignature } from './redirect-signature';

export interface LogoutRequestExpectations {
  idpEntityId: string;
  idpKeys: KeyObject[];
  sloUrl: string;
  allowSha1Signatures: boolean;
  clockSkewSeconds: number;
  now: Date;
}

export interface ValidatedLogoutRequest {
  id: string;
  nameId: string;
  sessionIndexes: string[];
}

/** An IdP's LogoutRequest on the HTTP-Redirect binding: the query signature is required. */
export function validateRedirectLogoutRequest(rawQuery: string, expected: LogoutRequestExpectations): ValidatedLogoutRequest {
  const policy = { allowSha1: expected.allowSha1Signatures };
  const message = verifyRedirectSignature(rawQuery, 'SAMLRequest', expected.idpKeys, policy);
  return readLogoutRequest(logoutRequestRoot(decodeRedirectBindingMessage(message)), expected);
}

/**
 * An IdP's LogoutRequest on the HTTP-POST binding: the embedded signature must cover the
 * LogoutRequest itself (its reference is the root's ID), so everything read below is signed.
 */
export function validatePostLogoutRequest(samlRequestBase64: string, expected: LogoutRequestExpectations): ValidatedLogoutRequest {
  const root = logoutRequestRoot(decodePostBindingMessage(samlRequestBase64));
  assertUniqueIds(root);
  if (!verifyOwnSignature(root, expected.idpKeys, { allowSha1: expected.allowSha1Signatures })) {
    throw new SamlValidationError('unsigned', 'the LogoutRequest is not signed');
  }
  return readLogoutRequest(root, expected);
}

function logoutRequestRoot(xml: string): Element {
  const root = parseXml(xml).documentElement;
  if (!root || !isNamed(root, SAML_PROTOCOL_NS, 'LogoutRequest')) {
    throw new SamlValidationError('malformed_request', 'the message is not a LogoutRequest');
  }
  return root;
}

function readLogoutRequest(root: Element, expected: LogoutRequestExpectations): ValidatedLogoutRequest {
  const id = attributeOf(root, 'ID');
  if (!id) throw new SamlValidationError('malformed_request', 'the LogoutRequest has no ID');
  const issuers = childElements(root, SAML_ASSERTION_NS, 'Issuer');
  if (issuers.length !== 1 || textOf(issuers[0]).trim() !== expected.idpEntityId) {
    throw new SamlValidationError('issuer_mismatch', 'the LogoutRequest is not from the configured IdP');
  }
  const destination = attributeOf(root, 'Destination');
  if (destination !== null && destination !== expected.sloUrl) {
    throw new SamlValidationError('destination_mismatch', 'the LogoutRequest is addressed elsewhere');
  }
  const notOnOrAfter = instantAttribute(root, 'NotOnOrAfter', 'expired');
  if (notOnOrAfter) {
    assertBeforeNotOnOrAfter(notOnOrAfter, { now: expected.now, skewSeconds: expected.clockSkewSeconds }, 'the LogoutRequest');
  }
  const nameIds = childElements(root, SAML_ASSERTION_NS, 'NameID');
  const nameId = nameIds.length === 1 ? textOf(nameIds[0]).trim() : '';
  if (!nameId) throw new SamlValidationError('missing_subject', 'the LogoutRequest names no user');
  const sessionIndexes = childElements(root, SAML_PROTOCOL_NS, 'SessionIndex')
    .map((element) => textOf(element).trim())
    .filter(Boolean);
  return { id, nameId, sessionIndexes };
}
