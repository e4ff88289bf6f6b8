import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { attributeOf, childElements } from '../xml/dom';
import { BEARER_CONFIRMATION_METHOD, SAML_ASSERTION_NS } from '../xml/namespaces';
import { assertBeforeNotOnOrAfter, assertNotBefore, instantAttribute, type Clock } from './time';

export interface BearerExpectations {
  acsUrl: string;
  responseInResponseTo: string | null;
  responseSigned: boolean;
  clock: Clock;
}

export interface BearerConfirmation {
  notOnOrAfter: Date;
}

/**
 * The subject is confirmed when one bearer SubjectConfirmation holds (SAML core 2.4.1): it was
 * delivered to this ACS, in time, in answer to the request the Response answers. When none
 * holds, the first one's failure is reported.
 */
export function assertBearerConfirmation(subject: Element, expected: BearerExpectations): BearerConfirmation {
  const bearers = childElements(subject, SAML_ASSERTION_NS, 'SubjectConfirmation').filter(
    (confirmation) => attributeOf(confirmation, 'Method') === BEARER_CONFIRMATION_METHOD,
  );
  if (bearers.length === 0) {
    throw new SamlValidationError('bearer_confirmation_missing', 'the Subject has no bearer SubjectConfirmation');
  }
  let firstFailure: unknown;
  for (const bearer of bearers) {
    try {
      return confirmedBearer(bearer, expected);
    } catch (failure) {
      firstFailure ??= failure;
    }
  }
  throw firstFailure;
}

function confirmedBearer(bearer: Element, expected: BearerExpectations): BearerConfirmation {
  const data = childElements(bearer, SAML_ASSERTION_NS, 'SubjectConfirmationData');
  if (data.length !== 1) {
    throw new SamlValidationError(
      'bearer_confirmation_missing',
      'the bearer SubjectConfirmation must have exactly one SubjectConfirmationData',
    );
  }
  const [confirmationData] = data;
  const recipient = attributeOf(confirmationData, 'Recipient');
  if (recipient !== expected.acsUrl) {
    throw new SamlValidationError(
      'recipient_mismatch',
      `the assertion is for the recipient "${recipient ?? ''}", expected "${expected.acsUrl}"`,
    );
  }
  const notOnOrAfter = instantAttribute(confirmationData, 'NotOnOrAfter', 'expired');
  if (notOnOrAfter === null) {
    throw new SamlValidationError(
      'bearer_confirmation_missing',
      'the bearer SubjectConfirmationData has no NotOnOrAfter',
    );
  }
  assertBeforeNotOnOrAfter(notOnOrAfter, expected.clock, 'the subject confirmation');
  const notBefore = instantAttribute(confirmationData, 'NotBefore', 'not_yet_valid');
  if (notBefore !== null) {
    assertNotBefore(notBefore, expected.clock, 'the subject confirmation');
  }
  assertAnswersTheResponsesRequest(attributeOf(confirmationData, 'InResponseTo'), expected);
  return { notOnOrAfter };
}

/**
 * When only the assertion is signed, the Response's InResponseTo is the attacker's to write; the
 * assertion then has to name the same request, or an IdP-initiated assertion could be replayed
 * as the answer to someone's pending request.
 */
function assertAnswersTheResponsesRequest(inResponseTo: string | null, expected: BearerExpectations): void {
  const bound =
    inResponseTo !== null
      ? inResponseTo === expected.responseInResponseTo
      : expected.responseSigned || expected.responseInResponseTo === null;
  if (!bound) {
    throw new SamlValidationError(
      'in_response_to_mismatch',
      `the assertion answers "${inResponseTo ?? '(nothing)'}" but the Response answers "${expected.responseInResponseTo ?? '(nothing)'}"`,
    );
  }
}
