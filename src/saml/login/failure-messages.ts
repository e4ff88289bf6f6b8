import type { RefusalReason } from './login-failure';

/** What the person at the browser is told, and the HTTP status, for each refusal. */
const POLICY_REFUSALS = new Set<RefusalReason>([
  'sso_disabled',
  'idp_initiated_not_allowed',
  'user_deactivated',
  'user_not_provisioned',
  'email_domain_not_allowed',
]);

const EXPLANATIONS: Partial<Record<RefusalReason, string>> = {
  sso_disabled: 'Single sign-on is not active for this account. Ask your administrator to enable it.',
  idp_initiated_not_allowed: 'Sign-in must start from this service, not from the identity provider. Use the sign-in page instead.',
  user_deactivated: 'Your user has been deactivated. Ask your administrator to reactivate it.',
  user_not_provisioned: 'Your user does not exist here yet, and automatic provisioning is off. Ask your administrator to add you.',
  email_domain_not_allowed: 'Your email domain is not allowed for this account. Ask your administrator.',
  email_missing: 'The identity provider did not send your email address. Ask your administrator to check the attribute mapping.',
  email_invalid: 'The identity provider sent an email address that is not valid. Ask your administrator to check the attribute mapping.',
  expired: 'The sign-in response has expired. Please sign in again; if it keeps happening, the clocks may be out of sync.',
  not_yet_valid: 'The sign-in response is not valid yet. The clocks of the identity provider and this service may be out of sync.',
  replayed_assertion: 'This sign-in response was already used. Please sign in again.',
  request_reused: 'This sign-in was already completed. Please sign in again.',
  unknown_request: 'This sign-in was not started here, or it took too long. Please sign in again.',
  unknown_tenant: 'This sign-in address does not belong to any account.',
};

const DEFAULT_EXPLANATION =
  'The identity provider sent a sign-in response that could not be accepted. Ask your administrator to check the SSO configuration.';

export function failureStatus(reason: RefusalReason): number {
  if (reason === 'unknown_tenant') return 404;
  return POLICY_REFUSALS.has(reason) ? 403 : 400;
}

export function failureExplanation(reason: RefusalReason): string {
  return EXPLANATIONS[reason] ?? DEFAULT_EXPLANATION;
}

export const INTERNAL_ERROR_EXPLANATION =
  'Something went wrong on our side, and you could not be signed in. Please try again; if it keeps happening, tell your administrator the reference below.';
