import { PROVISIONING_REFUSALS, ProvisioningError } from '../../provisioning/provisioning.error';
import {
  LOGIN_STATE_REASONS,
  LoginStateError,
  SAML_MESSAGE_REASONS,
  SamlValidationError,
  TENANT_SSO_REASONS,
  TenantSsoError,
} from '../saml-error';

/** A sign-in refused for a reason the service knows: each family is its own error type. */
export type LoginRefusal = SamlValidationError | TenantSsoError | LoginStateError | ProvisioningError;

export type RefusalReason = LoginRefusal['reason'];

/**
 * Every reason a failed login attempt is recorded with: the refusals, and `internal_error` for a
 * failure the service did not expect. The admin pages explain each one (login-attempt-reasons.js,
 * kept in step by test/unit/admin/login-attempt-reasons.spec.ts).
 */
export const LOGIN_FAILURE_REASONS = [
  ...SAML_MESSAGE_REASONS,
  ...TENANT_SSO_REASONS,
  ...LOGIN_STATE_REASONS,
  ...PROVISIONING_REFUSALS,
  'internal_error',
] as const;

export type LoginFailureReason = (typeof LOGIN_FAILURE_REASONS)[number];

export function isLoginRefusal(error: unknown): error is LoginRefusal {
  return (
    error instanceof SamlValidationError ||
    error instanceof TenantSsoError ||
    error instanceof LoginStateError ||
    error instanceof ProvisioningError
  );
}

/**
 * A failed ACS request, refused or unexpected, under the reference that its error page, its log
 * line and its login attempt share. `cause` is what failed; the edge maps it to the HTTP answer.
 */
export class FailedSignIn extends Error {
  override readonly name = 'FailedSignIn';
  /** Where the sign-in's request asked a failure to be sent (see failureReturnOf); null: the failure page. */
  failureReturnTo: string | null = null;

  constructor(
    readonly reference: string,
    readonly reason: LoginFailureReason,
    override readonly cause: unknown,
  ) {
    super(`sign-in failed (${reason}, reference ${reference})`);
  }
}
