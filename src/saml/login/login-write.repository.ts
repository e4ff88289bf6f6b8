import { Injectable } from '@nestjs/common';
import { ComposedStatement } from '../../common/composed-statement';
import { Database } from '../../database/database.service';
import { LOGIN_USER, loginUserParameters, LoginUserParameters, loginUserPart } from '../../provisioning/login-user.statement';
import type { LoginPlan } from '../../provisioning/provisioning.service';
import { SessionInsertParameters, sessionInsertParameters, sessionInsertPart } from '../../sessions/session-insert.statement';
import type { MintedSession } from '../../sessions/sessions.service';
import { SuccessfulAttemptParameters, successfulAttemptParameters, successfulAttemptPart } from '../../sso-config/login-attempt.statement';
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

interface RequestAndReplayParameters {
  tenantType: string;
  tenantId: string;
  now: Date;
  requestId: string | null;
  relayState: string | null;
  assertionId: string;
  replayExpiresAt: Date;
}

type LoginWriteParameters = RequestAndReplayParameters & LoginUserParameters & SessionInsertParameters & SuccessfulAttemptParameters;

/** SAML's own part: consume the AuthnRequest (when the login answers one), then enter the assertion in the replay table. */
const CONSUME_REQUEST = `request AS (
    UPDATE authn_requests SET consumed_at = :now
    WHERE :requestId::text IS NOT NULL AND id = :requestId::text AND tenant_type = :tenantType::text AND tenant_id = :tenantId::uuid
      AND consumed_at IS NULL AND expires_at > :now::timestamptz AND (:relayState::text IS NULL OR relay_state = :relayState::text)
    RETURNING return_to
  )`;

const REMEMBER_ASSERTION = `fresh AS (
    INSERT INTO used_assertions (tenant_type, tenant_id, assertion_id, expires_at)
    SELECT :tenantType::text, :tenantId::uuid, :assertionId::text, :replayExpiresAt::timestamptz
    WHERE :requestId::text IS NULL OR EXISTS (SELECT 1 FROM request)
    ON CONFLICT DO NOTHING
    RETURNING 1
  )`;

const OUTCOME = `SELECT (SELECT return_to FROM request) AS "returnTo",
         EXISTS (SELECT 1 FROM request) AS "requestConsumed",
         EXISTS (SELECT 1 FROM fresh) AS "fresh",
         (SELECT id FROM ${LOGIN_USER}) AS "userId",
         (SELECT email FROM ${LOGIN_USER}) AS "email"`;

const loginStatement = (name: string, justInTimeProvisioning: boolean) =>
  new ComposedStatement<LoginWriteParameters>(
    name,
    [
      CONSUME_REQUEST,
      REMEMBER_ASSERTION,
      loginUserPart(justInTimeProvisioning, 'fresh'),
      sessionInsertPart(LOGIN_USER),
      successfulAttemptPart(LOGIN_USER, 'request'),
    ],
    OUTCOME,
  );

const STATEMENTS = {
  justInTime: loginStatement('sso-login-just-in-time', true),
  existingUsersOnly: loginStatement('sso-login-existing-users', false),
};

/**
 * The whole write of a login as one statement: consume the AuthnRequest, enter the assertion in
 * the replay table, create or update the user, start the session, record the success. Each step
 * runs only when the one before it succeeded, and the statement is atomic, so a crash or a refusal
 * never leaves half a login behind. Each step is the part its table's module writes (provisioning
 * the user, sessions the session, sso-config the attempt): one round trip on the hottest path,
 * with every table's rules kept by its owner.
 */
@Injectable()
export class LoginWriteRepository {
  constructor(private readonly database: Database) {}

  async write(login: SuccessfulLoginWrite): Promise<LoginWriteOutcome> {
    const { tenant, plan, session } = login;
    const statement = plan.justInTimeProvisioning ? STATEMENTS.justInTime : STATEMENTS.existingUsersOnly;
    const parameters: LoginWriteParameters = {
      tenantType: tenant.type,
      tenantId: tenant.id,
      now: login.now,
      requestId: login.requestId,
      relayState: login.relayState,
      assertionId: login.assertionId,
      replayExpiresAt: login.replayExpiresAt,
      ...loginUserParameters(plan),
      ...sessionInsertParameters(session),
      nameId: plan.externalId,
      ...successfulAttemptParameters(login.attemptId),
    };
    const [outcome] = await this.database.preparedQuery<LoginWriteOutcome>(statement.name, statement.text, statement.values(parameters));
    return outcome;
  }
}
