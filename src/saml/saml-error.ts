export const SAML_FAILURE_REASONS = [
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
  // Decided by the caller, with the database and the tenant's settings.
  'unknown_request',
  'request_reused',
  'replayed_assertion',
  'idp_initiated_not_allowed',
  'sso_disabled',
  'unknown_tenant',
  'user_deactivated',
  'user_not_provisioned',
  'email_missing',
  'email_invalid',
  'email_domain_not_allowed',
] as const;

export type SamlFailureReason = (typeof SAML_FAILURE_REASONS)[number];

export class SamlValidationError extends Error {
  override readonly name = 'SamlValidationError';

  constructor(
    readonly reason: SamlFailureReason,
    message: string,
  ) {
    super(message);
  }
}
