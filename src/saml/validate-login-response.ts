import type { KeyObject } from 'node:crypto';
import { assertionIdOf } from './validation/assertion-id';
import { assertAudience, conditionsOf } from './validation/audience';
import { readAttributes, type SamlAttribute } from './validation/attributes';
import { readAuthnSession } from './validation/authn-statement';
import { assertBearerConfirmation } from './validation/bearer-confirmation';
import { assertConditionsTime } from './validation/conditions-time';
import { decryptedAssertion } from './validation/decrypted-assertion';
import { assertDestination } from './validation/destination';
import { assertIssuer } from './validation/issuer';
import { locateAssertion } from './validation/locate-assertion';
import { responseRoot } from './validation/response-root';
import { assertSigned, verifyOwnSignature } from './validation/signatures';
import { assertSuccessStatus } from './validation/status';
import { nameIdOf, subjectOf, type SubjectName } from './validation/subject';
import type { Clock } from './validation/time';
import { assertUniqueIds } from './validation/unique-ids';
import { attributeOf } from './xml/dom';
import { decodePostBindingMessage } from './xml/decode-saml-message';
import { parseXml } from './xml/parse-xml';

export interface LoginResponseExpectations {
  idpEntityId: string;
  /** Every configured IdP signing certificate's key, so that a rollover keeps logins working. */
  idpKeys: KeyObject[];
  /** The audience. */
  spEntityId: string;
  /** The Destination and the bearer Recipient. */
  acsUrl: string;
  /** The private key that decrypts an EncryptedAssertion. */
  spDecryptionKey?: KeyObject;
  clockSkewSeconds: number;
  allowSha1Signatures: boolean;
  allowCbcEncryption: boolean;
  now: Date;
}

export interface ValidatedLogin extends SubjectName {
  responseId: string;
  assertionId: string;
  /** The request this Response answers; null when IdP-initiated. Not yet matched to any request. */
  inResponseTo: string | null;
  issuer: string;
  sessionIndex: string | null;
  sessionNotOnOrAfter: Date | null;
  /** When the assertion stops being acceptable: keep its ID for replay detection until this + skew. */
  assertionNotOnOrAfter: Date;
  attributes: SamlAttribute[];
}

/**
 * Validates a SAMLResponse of the HTTP-POST binding as it arrives, and returns what the assertion
 * says once every check holds. Throws SamlValidationError naming the first check that failed.
 *
 * Matching InResponseTo to an issued request, replay detection, IdP-initiated policy and whether
 * the tenant's SSO is enabled need the database and are the caller's.
 */
export function validateLoginResponse(
  samlResponseBase64: string,
  expected: LoginResponseExpectations,
): ValidatedLogin {
  const response = responseRoot(parseXml(decodePostBindingMessage(samlResponseBase64)));
  assertUniqueIds(response);
  const located = locateAssertion(response);
  assertSuccessStatus(response);

  const signaturePolicy = { allowSha1: expected.allowSha1Signatures };
  // Before decrypting: a valid Response signature authenticates the ciphertext too.
  const responseSigned = verifyOwnSignature(response, expected.idpKeys, signaturePolicy);
  const assertion = located.encrypted
    ? decryptedAssertion(located.element, expected.spDecryptionKey, expected.allowCbcEncryption)
    : located.element;
  const assertionSigned = verifyOwnSignature(assertion, expected.idpKeys, signaturePolicy);
  assertSigned(responseSigned, assertionSigned);
  const assertionId = assertionIdOf(assertion);

  assertIssuer(response, assertion, expected.idpEntityId);
  assertDestination(response, expected.acsUrl, responseSigned);
  const conditions = conditionsOf(assertion);
  assertAudience(conditions, expected.spEntityId);

  const clock: Clock = { now: expected.now, skewSeconds: expected.clockSkewSeconds };
  const subject = subjectOf(assertion);
  const subjectName = nameIdOf(subject);
  const inResponseTo = attributeOf(response, 'InResponseTo');
  const confirmation = assertBearerConfirmation(subject, {
    acsUrl: expected.acsUrl,
    responseInResponseTo: inResponseTo,
    responseSigned,
    clock,
  });
  const conditionsNotOnOrAfter = assertConditionsTime(conditions, clock);
  const session = readAuthnSession(assertion, clock);

  return {
    responseId: attributeOf(response, 'ID') as string,
    assertionId,
    inResponseTo,
    issuer: expected.idpEntityId,
    ...subjectName,
    sessionIndex: session.sessionIndex,
    sessionNotOnOrAfter: session.sessionNotOnOrAfter,
    assertionNotOnOrAfter: earliest(confirmation.notOnOrAfter, conditionsNotOnOrAfter),
    attributes: readAttributes(assertion),
  };
}

function earliest(first: Date, second: Date | null): Date {
  return second !== null && second.getTime() < first.getTime() ? second : first;
}
