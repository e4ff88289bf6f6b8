import type { MintedSession } from './sessions.service';

/** The parameters of the session's part of the login statement (see LoginWriteRepository). */
export interface SessionInsertParameters {
  tenantType: string;
  tenantId: string;
  now: Date;
  sessionId: string;
  sessionTokenHash: string;
  sessionIndex: string | null;
  sessionExpiresAt: Date;
  nameId: string;
  nameIdFormat: string | null;
  nameIdNameQualifier: string | null;
  nameIdSpNameQualifier: string | null;
  nameIdSpProvidedId: string | null;
}

export function sessionInsertParameters(
  session: MintedSession,
): Omit<SessionInsertParameters, 'tenantType' | 'tenantId' | 'now' | 'nameId' | 'nameIdFormat'> {
  return {
    sessionId: session.id,
    sessionTokenHash: session.tokenHash,
    sessionIndex: session.sessionIndex,
    sessionExpiresAt: session.expiresAt,
    nameIdNameQualifier: session.nameIdQualifiers.nameQualifier,
    nameIdSpNameQualifier: session.nameIdQualifiers.spNameQualifier,
    nameIdSpProvidedId: session.nameIdQualifiers.spProvidedId,
  };
}

/** The session's part of a login statement: starts the session of the user the part named `user` yields (`id`). */
export function sessionInsertPart(user: string): string {
  return `session AS (
    INSERT INTO sessions (id, token_hash, user_id, tenant_type, tenant_id, name_id, name_id_format, name_id_name_qualifier,
                          name_id_sp_name_qualifier, name_id_sp_provided_id, session_index, created_at, expires_at)
    SELECT :sessionId::uuid, :sessionTokenHash::text, ${user}.id, :tenantType::text, :tenantId::uuid, :nameId::text,
           :nameIdFormat::text, :nameIdNameQualifier::text, :nameIdSpNameQualifier::text, :nameIdSpProvidedId::text,
           :sessionIndex::text, :now::timestamptz, :sessionExpiresAt::timestamptz
    FROM ${user}
    RETURNING 1
  )`;
}
