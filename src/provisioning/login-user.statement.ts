import type { LoginPlan } from './provisioning.service';

/** The parameters of the user's part of the login statement (see LoginWriteRepository). */
export interface LoginUserParameters {
  tenantType: string;
  tenantId: string;
  now: Date;
  newUserId: string;
  email: string;
  emailNormalized: string;
  firstName: string | null;
  lastName: string | null;
  /** JSON. */
  groups: string;
  role: string;
  externalId: string;
  nameIdFormat: string | null;
  groupsOverrideRole: boolean;
}

export function loginUserParameters(plan: LoginPlan): Omit<LoginUserParameters, 'tenantType' | 'tenantId' | 'now'> {
  return {
    newUserId: plan.newUserId,
    email: plan.identity.email,
    emailNormalized: plan.identity.email.toLowerCase(),
    firstName: plan.identity.firstName,
    lastName: plan.identity.lastName,
    groups: JSON.stringify(plan.identity.groups),
    role: plan.role,
    externalId: plan.externalId,
    nameIdFormat: plan.nameIdFormat,
    groupsOverrideRole: plan.groupsOverrideRole,
  };
}

/** The name of the user's part: it yields the signed-in user's `id`, `email` and `role`, or no row. */
export const LOGIN_USER = 'account';

/**
 * The user's part of a login statement: with just-in-time provisioning the user is created or
 * updated, without it only an existing user is updated; a deactivated user is never touched, so
 * the part yields no row. Roles follow the groups only with `groupsOverrideRole`. It writes only
 * when the part named `after` yielded a row (the login got that far).
 */
export function loginUserPart(justInTimeProvisioning: boolean, after: string): string {
  return justInTimeProvisioning ? upsertUser(after) : updateExistingUser(after);
}

const upsertUser = (after: string) => `${LOGIN_USER} AS (
    INSERT INTO users (id, tenant_type, tenant_id, email, email_normalized, first_name, last_name, groups, role, active,
                       external_id, name_id_format, last_login_at, created_at, updated_at)
    SELECT :newUserId::uuid, :tenantType::text, :tenantId::uuid, :email::text, :emailNormalized::text, :firstName::text,
           :lastName::text, :groups::jsonb, :role::text, true, :externalId::text, :nameIdFormat::text,
           :now::timestamptz, :now::timestamptz, :now::timestamptz
    WHERE EXISTS (SELECT 1 FROM ${after})
    ON CONFLICT (tenant_type, tenant_id, email_normalized) DO UPDATE SET
      email = EXCLUDED.email, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, groups = EXCLUDED.groups,
      role = CASE WHEN :groupsOverrideRole::boolean THEN EXCLUDED.role ELSE users.role END,
      external_id = EXCLUDED.external_id, name_id_format = EXCLUDED.name_id_format,
      last_login_at = EXCLUDED.last_login_at, updated_at = EXCLUDED.updated_at
    WHERE users.active
    RETURNING id, email, role
  )`;

const updateExistingUser = (after: string) => `${LOGIN_USER} AS (
    UPDATE users SET email = :email::text, first_name = :firstName::text, last_name = :lastName::text, groups = :groups::jsonb,
      role = CASE WHEN :groupsOverrideRole::boolean THEN :role::text ELSE role END,
      external_id = :externalId::text, name_id_format = :nameIdFormat::text,
      last_login_at = :now::timestamptz, updated_at = :now::timestamptz
    WHERE tenant_type = :tenantType::text AND tenant_id = :tenantId::uuid AND email_normalized = :emailNormalized::text AND active
      AND EXISTS (SELECT 1 FROM ${after})
    RETURNING id, email, role
  )`;
