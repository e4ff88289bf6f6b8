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
 * the part yields no row. Roles follow the groups only with `groupsOverrideRole`. A user the directory
 * manages (SCIM) keeps the directory's profile, groups and role: the login only signs them in. It writes only
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
      email = CASE WHEN users.scim_managed THEN users.email ELSE EXCLUDED.email END,
      first_name = CASE WHEN users.scim_managed THEN users.first_name ELSE EXCLUDED.first_name END,
      last_name = CASE WHEN users.scim_managed THEN users.last_name ELSE EXCLUDED.last_name END,
      groups = CASE WHEN users.scim_managed THEN users.groups ELSE EXCLUDED.groups END,
      role = CASE WHEN :groupsOverrideRole::boolean AND NOT users.scim_managed THEN EXCLUDED.role ELSE users.role END,
      external_id = EXCLUDED.external_id, name_id_format = EXCLUDED.name_id_format,
      last_login_at = EXCLUDED.last_login_at, updated_at = EXCLUDED.updated_at
    WHERE users.active
    RETURNING id, email, role
  )`;

const updateExistingUser = (after: string) => `${LOGIN_USER} AS (
    UPDATE users SET email = CASE WHEN scim_managed THEN email ELSE :email::text END,
      first_name = CASE WHEN scim_managed THEN first_name ELSE :firstName::text END,
      last_name = CASE WHEN scim_managed THEN last_name ELSE :lastName::text END,
      groups = CASE WHEN scim_managed THEN groups ELSE :groups::jsonb END,
      role = CASE WHEN :groupsOverrideRole::boolean AND NOT scim_managed THEN :role::text ELSE role END,
      external_id = :externalId::text, name_id_format = :nameIdFormat::text,
      last_login_at = :now::timestamptz, updated_at = :now::timestamptz
    WHERE tenant_type = :tenantType::text AND tenant_id = :tenantId::uuid AND email_normalized = :emailNormalized::text AND active
      AND EXISTS (SELECT 1 FROM ${after})
    RETURNING id, email, role
  )`;
