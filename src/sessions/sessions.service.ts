import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { Transaction } from '../database/transaction';
import type { Principal, SessionAuthenticator } from '../tenancy/principal';
import type { TenantRef } from '../tenancy/tenant';
import { ActiveSession, SessionsRepository } from './sessions.repository';

export const SESSION_TOKEN_PREFIX = 'ss_';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface SessionStart {
  userId: string;
  tenant: TenantRef;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
  /** The IdP's SessionNotOnOrAfter, when it sent one. */
  idpSessionNotOnOrAfter: Date | null;
}

/** Server-side sessions: a random token for the browser, only its hash in the database. */
@Injectable()
export class SessionsService implements SessionAuthenticator {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsRepository,
  ) {}

  /** Within the login transaction; returns the token to set as cookie. */
  async start(tx: Transaction, start: SessionStart, now: Date): Promise<{ token: string; expiresAt: Date }> {
    const longest = now.getTime() + this.config.sessionMaxHours * 3600_000;
    const expiresAt = new Date(Math.min(longest, start.idpSessionNotOnOrAfter?.getTime() ?? longest));
    const token = `${SESSION_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    await this.sessions.insert(tx, {
      id: randomUUID(),
      tokenHash: hashToken(token),
      userId: start.userId,
      tenant: start.tenant,
      nameId: start.nameId,
      nameIdFormat: start.nameIdFormat,
      sessionIndex: start.sessionIndex,
      expiresAt,
    });
    return { token, expiresAt };
  }

  find(token: string): Promise<ActiveSession | null> {
    return token.startsWith(SESSION_TOKEN_PREFIX) ? this.sessions.findActive(hashToken(token)) : Promise.resolve(null);
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

  endForNameId(tenant: TenantRef, nameId: string, sessionIndexes: string[]): Promise<number> {
    return this.sessions.deleteByNameId(tenant, nameId, sessionIndexes);
  }
}
