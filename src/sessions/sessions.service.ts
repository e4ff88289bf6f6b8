import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EndsUserAccess } from '../provisioning/user-access';
import { SignedInUser, UsersService } from '../provisioning/users.service';
import type { Principal, SessionAuthenticator } from '../tenancy/principal';
import type { TenantRef } from '../tenancy/tenant';
import { SessionsRepository, StoredSession } from './sessions.repository';

export const SESSION_TOKEN_PREFIX = 'ss_';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The NameID attributes of the assertion that started a session, besides its value and Format: its
 * LogoutRequest must carry them back unchanged (SAML core 3.7.1).
 */
export interface NameIdQualifiers {
  nameQualifier: string | null;
  spNameQualifier: string | null;
  spProvidedId: string | null;
}

export interface SessionStart {
  sessionIndex: string | null;
  nameIdQualifiers: NameIdQualifiers;
  /** The IdP's SessionNotOnOrAfter, when it sent one. */
  idpSessionNotOnOrAfter: Date | null;
}

/** A session that counts: not expired, and its user (as provisioning knows them) active. */
export type ActiveSession = StoredSession & SignedInUser;

export interface MintedSession {
  id: string;
  token: string;
  tokenHash: string;
  sessionIndex: string | null;
  nameIdQualifiers: NameIdQualifiers;
  expiresAt: Date;
}

/**
 * Server-side sessions: a random token for the browser, only its hash in the database. A session is
 * written by this module's part of the login's single statement (session-insert.statement.ts);
 * this service mints, finds and ends them.
 */
@Injectable()
export class SessionsService implements SessionAuthenticator {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsRepository,
    private readonly users: UsersService,
  ) {}

  /**
   * A new session for a login: the token for the cookie and what the login's statement stores (its
   * hash, never the token). Lives until the IdP's SessionNotOnOrAfter or SESSION_MAX_HOURS.
   */
  mint(start: SessionStart, now: Date): MintedSession {
    const longest = now.getTime() + this.config.sessionMaxHours * 3600_000;
    const token = `${SESSION_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    return {
      id: randomUUID(),
      token,
      tokenHash: hashToken(token),
      sessionIndex: start.sessionIndex,
      nameIdQualifiers: start.nameIdQualifiers,
      expiresAt: new Date(Math.min(longest, start.idpSessionNotOnOrAfter?.getTime() ?? longest)),
    };
  }

  async find(token: string): Promise<ActiveSession | null> {
    if (!token.startsWith(SESSION_TOKEN_PREFIX)) return null;
    const session = await this.sessions.findUnexpired(hashToken(token));
    if (!session) return null;
    const user = await this.users.findActive({ type: session.tenantType, id: session.tenantId }, session.userId);
    if (!user) return null;
    return { ...session, ...user };
  }

  async authenticate(token: string): Promise<Principal | null> {
    const session = await this.find(token);
    if (!session) return null;
    return {
      kind: 'user',
      userId: session.userId,
      sessionId: session.sessionId,
      tenant: { type: session.tenantType, id: session.tenantId },
      role: session.role,
    };
  }

  end(sessionId: string): Promise<void> {
    return this.sessions.delete(sessionId);
  }

  /** Deactivation ends the sessions rather than only refusing them, so a reactivation does not revive them. */
  @EndsUserAccess('service sessions')
  endForUser(tenant: TenantRef, userId: string): Promise<number> {
    return this.sessions.deleteForUser(tenant, userId);
  }

  endForNameId(tenant: TenantRef, nameId: string, sessionIndexes: string[]): Promise<number> {
    return this.sessions.deleteByNameId(tenant, nameId, sessionIndexes);
  }
}
