import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database.service';
import type { LoginPlan } from '../../provisioning/provisioning.service';
import type { MintedSession } from '../../sessions/sessions.service';
import type { TenantRef } from '../../tenancy/tenant';

export interface SuccessfulLoginWrite {
  tenant: TenantRef;
  now: Date;
  /** The AuthnRequest this login answers; null when IdP-initiated. */
  requestId: string | null;
  /** The RelayState posted back with it: when present it must be the one issued with that request. */
  relayState: string | null;
  assertionId: string;
  replayExpiresAt: Date;
  plan: LoginPlan;
  session: MintedSession;
  attemptId: string;
}

export interface LoginWriteOutcome {
  /** The request's returnTo when it was consumed now; null otherwise (and for IdP-initiated logins). */
  returnTo: string | null;
  requestConsumed: boolean;
  /** False when the assertion ID was seen before (a replay). */
  fresh: boolean;
  /** Null when the user is deactivated, or unknown while just-in-time provisioning is off. */
  userId: string | null;
  email: string | null;
}

/**
 * The whole write of a login as one statement: consume the AuthnRequest, enter the assertion in
 * the replay table, create or update the user, start the session, record the success. Each step
 * runs only when the one before it succeeded, and the statement is atomic, so a crash or a refusal
 * never leaves half a login behind. It touches tables whose other reads and writes belong to
 * provisioning (users), sessions and sso-config (login_attempts): on the hottest path one round
 * trip is worth this one exception, and these statements are the only place it happens.
 */
const CONSUME_AND_REMEMBER = `
  WITH request AS (
    UPDATE authn_requests SET consumed_at = $3
    WHERE $4::text IS NOT NULL AND id = $4::text AND tenant_type = $1::text AND tenant_id = $2::uuid
      AND consumed_at IS NULL AND expires_at > $3::timestamptz AND ($22::text IS NULL OR relay_state = $22::text)
    RETURNING return_to
  ), fresh AS (
    INSERT INTO used_assertions (tenant_type, tenant_id, assertion_id, expires_at)
    SELECT $1::text, $2::uuid, $5::text, $6::timestamptz
    WHERE $4::text IS NULL OR EXISTS (SELECT 1 FROM request)
    ON CONFLICT DO NOTHING
    RETURNING 1
  )`;

const ACCOUNT_VALUES = `$7::uuid, $1::text, $2::uuid, $8::text, $9::text, $10::text, $11::text, $12::jsonb, $13::text`;

const UPSERT_USER = `
  , account AS (
    INSERT INTO users (id, tenant_type, tenant_id, email, email_normalized, first_name, last_name, groups, role, active,
                       external_id, name_id_format, last_login_at, created_at, updated_at)
    SELECT ${ACCOUNT_VALUES}, true, $14::text, $15::text, $3::timestamptz, $3::timestamptz, $3::timestamptz
    WHERE EXISTS (SELECT 1 FROM fresh)
    ON CONFLICT (tenant_type, tenant_id, email_normalized) DO UPDATE SET
      email = EXCLUDED.email, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, groups = EXCLUDED.groups,
      role = CASE WHEN $16::boolean THEN EXCLUDED.role ELSE users.role END,
      external_id = EXCLUDED.external_id, name_id_format = EXCLUDED.name_id_format,
      last_login_at = EXCLUDED.last_login_at, updated_at = EXCLUDED.updated_at
    WHERE users.active
    RETURNING id, email
  )`;

const UPDATE_EXISTING_USER = `
  , account AS (
    UPDATE users SET email = $8::text, first_name = $10::text, last_name = $11::text, groups = $12::jsonb,
      role = CASE WHEN $16::boolean THEN $13::text ELSE role END,
      external_id = $14::text, name_id_format = $15::text, last_login_at = $3::timestamptz, updated_at = $3::timestamptz
    WHERE tenant_type = $1::text AND tenant_id = $2::uuid AND email_normalized = $9::text AND active
      -- $7, the id a new user would get, only keeps the parameter list the same as the upsert's.
      AND $7::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM fresh)
    RETURNING id, email
  )`;

const SESSION_AND_RECORD = `
  , session AS (
    INSERT INTO sessions (id, token_hash, user_id, tenant_type, tenant_id, name_id, name_id_format, name_id_name_qualifier,
                          name_id_sp_name_qualifier, name_id_sp_provided_id, session_index, created_at, expires_at)
    SELECT $17::uuid, $18::text, account.id, $1::text, $2::uuid, $14::text, $15::text, $23::text, $24::text, $25::text,
           $19::text, $3::timestamptz, $20::timestamptz
    FROM account
    RETURNING 1
  ), attempt AS (
    INSERT INTO login_attempts (id, tenant_type, tenant_id, at, outcome, reason, email, assertion_id)
    SELECT $21::uuid, $1::text, $2::uuid, $3::timestamptz, 'success', NULL, account.email, $5::text
    FROM account
    RETURNING 1
  )
  SELECT (SELECT return_to FROM request) AS "returnTo",
         EXISTS (SELECT 1 FROM request) AS "requestConsumed",
         EXISTS (SELECT 1 FROM fresh) AS "fresh",
         (SELECT id FROM account) AS "userId",
         (SELECT email FROM account) AS "email"`;

const STATEMENTS = {
  justInTime: { name: 'sso-login-just-in-time', text: CONSUME_AND_REMEMBER + UPSERT_USER + SESSION_AND_RECORD },
  existingUsersOnly: { name: 'sso-login-existing-users', text: CONSUME_AND_REMEMBER + UPDATE_EXISTING_USER + SESSION_AND_RECORD },
};

@Injectable()
export class LoginWriteRepository {
  constructor(private readonly database: Database) {}

  async write(login: SuccessfulLoginWrite): Promise<LoginWriteOutcome> {
    const { tenant, plan, session } = login;
    const statement = plan.justInTimeProvisioning ? STATEMENTS.justInTime : STATEMENTS.existingUsersOnly;
    const [outcome] = await this.database.preparedQuery<LoginWriteOutcome>(statement.name, statement.text, [
      tenant.type,
      tenant.id,
      login.now,
      login.requestId,
      login.assertionId,
      login.replayExpiresAt,
      plan.newUserId,
      plan.identity.email,
      plan.identity.email.toLowerCase(),
      plan.identity.firstName,
      plan.identity.lastName,
      JSON.stringify(plan.identity.groups),
      plan.role,
      plan.externalId,
      plan.nameIdFormat,
      plan.groupsOverrideRole,
      session.id,
      session.tokenHash,
      session.sessionIndex,
      session.expiresAt,
      login.attemptId,
      login.relayState,
      session.nameIdQualifiers.nameQualifier,
      session.nameIdQualifiers.spNameQualifier,
      session.nameIdQualifiers.spProvidedId,
    ]);
    return outcome;
  }
}
