/** The parameters of the success record's part of the login statement (see LoginWriteRepository). */
export interface SuccessfulAttemptParameters {
  tenantType: string;
  tenantId: string;
  now: Date;
  attemptId: string;
  assertionId: string;
}

/**
 * The success record's part of a login statement, for the user the part named `user` yields
 * (`email`); refusals are recorded by SsoConfigRepository.recordLoginAttempt.
 */
export function successfulAttemptPart(user: string): string {
  return `attempt AS (
    INSERT INTO login_attempts (id, tenant_type, tenant_id, at, outcome, reason, email, assertion_id)
    SELECT :attemptId::uuid, :tenantType::text, :tenantId::uuid, :now::timestamptz, 'success', NULL, ${user}.email, :assertionId::text
    FROM ${user}
    RETURNING 1
  )`;
}
