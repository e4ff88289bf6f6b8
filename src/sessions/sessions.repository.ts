import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.service';
import type { Role } from '../sso-config/sso-config.types';
import type { TenantRef, TenantType } from '../tenancy/tenant';

export interface ActiveSession {
  sessionId: string;
  userId: string;
  tenantType: TenantType;
  tenantId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  groups: string[];
  role: Role;
  nameId: string | null;
  nameIdFormat: string | null;
  nameQualifier: string | null;
  spNameQualifier: string | null;
  spProvidedId: string | null;
  sessionIndex: string | null;
}

@Injectable()
export class SessionsRepository {
  constructor(private readonly database: Database) {}

  /** A session counts only while it has not expired and its user is active. */
  async findActive(tokenHash: string): Promise<ActiveSession | null> {
    const rows: ActiveSession[] = await this.database.manager.query(
      `SELECT s.id AS "sessionId", u.id AS "userId", s.tenant_type AS "tenantType", s.tenant_id AS "tenantId",
              u.email, u.first_name AS "firstName", u.last_name AS "lastName", u.groups, u.role,
              s.name_id AS "nameId", s.name_id_format AS "nameIdFormat",
              s.name_id_name_qualifier AS "nameQualifier", s.name_id_sp_name_qualifier AS "spNameQualifier",
              s.name_id_sp_provided_id AS "spProvidedId", s.session_index AS "sessionIndex"
       FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async delete(sessionId: string): Promise<void> {
    await this.database.manager.query('DELETE FROM sessions WHERE id = $1', [sessionId]);
  }

  /** Single logout from the IdP: every session of that NameID in that tenant (one SessionIndex when given). */
  async deleteByNameId(tenant: TenantRef, nameId: string, sessionIndexes: string[]): Promise<number> {
    const [, count]: [unknown, number] = await this.database.manager.query(
      `DELETE FROM sessions WHERE tenant_type = $1 AND tenant_id = $2 AND name_id = $3
         AND (cardinality($4::text[]) = 0 OR session_index = ANY($4::text[]))`,
      [tenant.type, tenant.id, nameId, sessionIndexes],
    );
    return count;
  }
}
