import { TenantRef } from './tenant';

/** Who is calling: resolved once per request from the bearer token. */
export type Principal =
  | { kind: 'platform' }
  | { kind: 'apiKey'; keyId: string; tenant: TenantRef }
  | { kind: 'user'; userId: string; sessionId: string; tenant: TenantRef; role: string };

/** The session side of authentication, provided by the sessions module. */
export interface SessionAuthenticator {
  authenticate(token: string): Promise<Principal | null>;
}

export const SESSION_AUTHENTICATOR = Symbol('SESSION_AUTHENTICATOR');

/** How an audit entry names the credential that made a change. */
export function describePrincipal(principal: Principal): { actorType: string; actorId: string | null } {
  switch (principal.kind) {
    case 'platform':
      return { actorType: 'platform', actorId: null };
    case 'apiKey':
      return { actorType: 'api_key', actorId: principal.keyId };
    case 'user':
      return { actorType: 'user', actorId: principal.userId };
  }
}
