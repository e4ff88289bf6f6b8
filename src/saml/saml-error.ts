import { Refusal } from '../common/refusal';

/** What the checks of a SAML message itself can refuse, before any database or tenant policy is asked. */
export const SAML_MESSAGE_REASONS = [
  'malformed_request',
  'doctype_not_allowed',
  'invalid_xml',
  'not_a_response',
  'status_not_success',
  'missing_assertion',
  'multiple_assertions',
  'duplicate_id',
  'unsigned',
  'invalid_signature',
  'untrusted_certificate',
  'weak_algorithm',
  'unsupported_algorithm',
  'decryption_failed',
  'issuer_mismatch',
  'audience_mismatch',
  'destination_mismatch',
  'recipient_mismatch',
  'in_response_to_mismatch',
  'expired',
  'not_yet_valid',
  'missing_subject',
  'bearer_confirmation_missing',
] as const;

export type SamlMessageReason = (typeof SAML_MESSAGE_REASONS)[number];

/** A SAML message that fails one of its own checks (structure, signature, issuer, audience, time…). */
export class SamlValidationError extends Refusal<SamlMessageReason> {}

/** What the tenant's SSO settings refuse, whatever the message says. */
export const TENANT_SSO_REASONS = ['unknown_tenant', 'sso_disabled', 'idp_initiated_not_allowed'] as const;

export type TenantSsoReason = (typeof TENANT_SSO_REASONS)[number];

/** The tenant has no SSO, has it turned off, or does not take sign-ins of this kind. */
export class TenantSsoError extends Refusal<TenantSsoReason> {}

/** What the one-time records (issued AuthnRequests, used assertion IDs) refuse. */
export const LOGIN_STATE_REASONS = ['unknown_request', 'request_reused', 'replayed_assertion'] as const;

export type LoginStateReason = (typeof LOGIN_STATE_REASONS)[number];

/** A valid message that answers no open request of this tenant, or that was used before. */
export class LoginStateError extends Refusal<LoginStateReason> {}
