/** Where the settings page's test sign-in lands (SettingsPagesController): such sign-ins are recorded as tests. */
export const TEST_SIGN_IN_RETURN_TO = '/admin/test-result';

/** The parameters of the success record's part of the login statement (see LoginWriteRepository). */
export interface SuccessfulAttemptParameters {
  tenantType: string;
  tenantId: string;
  now: Date;
  attemptId: string;
  assertionId: string;
  testReturnTo: string;
}

/**
 * The success record's part of a login statement, for the user the part named `user` yields
 * (`email`, `role`); the part named `request` yields the consumed request's `return_to` (no row
 * when IdP-initiated), which tells a test sign-in. Refusals are recorded by SsoConfigRepository.recordLoginAttempt.
 */
export function successfulAttemptPart(user: string, request: string): string {
  return `attempt AS (
    INSERT INTO login_attempts (id, tenant_type, tenant_id, at, outcome, reason, email, assertion_id, role, test)
    SELECT :attemptId::uuid, :tenantType::text, :tenantId::uuid, :now::timestamptz, 'success', NULL, ${user}.email, :assertionId::text,
           ${user}.role, COALESCE((SELECT return_to FROM ${request}) = :testReturnTo::text, false)
    FROM ${user}
    RETURNING 1
  )`;
}

export function successfulAttemptParameters(attemptId: string): Pick<SuccessfulAttemptParameters, 'attemptId' | 'testReturnTo'> {
  return { attemptId, testReturnTo: TEST_SIGN_IN_RETURN_TO };
}
