import { TenantRef } from './tenant';

/** Who is calling: resolved once per request from the bearer token. */
export type Principal =
  | { kind: 'platform' }
  | { kind: 'apiKey'; keyId: string; tenant: TenantRef }
  | { kind: 'user'; userId: string; sessionId: string; tenant: TenantRef; role: string }
  /** The access token of a setup link's exchange: its own tenant, on the routes open to setup links only. */
  | { kind: 'setupLink'; linkId: string; tenant: TenantRef }
  /** A tenant's SCIM token: accepted on that tenant's SCIM routes only (AccessKind.Scim). */
  | { kind: 'scimToken'; tokenId: string; tenant: TenantRef };

/** The session side of authentication, provided by the sessions module. */
export interface SessionAuthenticator {
  authenticate(token: string): Promise<Principal | null>;
}

export const SESSION_AUTHENTICATOR = Symbol('SESSION_AUTHENTICATOR');

/** The setup-link side of authentication (access tokens of an exchange), provided by the setup-links module. */
export interface SetupLinkAuthenticator {
  /** Whether the token is of this kind at all (by its prefix), so no other authenticator needs to see it. */
  recognizes(token: string): boolean;
  authenticate(token: string): Promise<Principal | null>;
}

export const SETUP_LINK_AUTHENTICATOR = Symbol('SETUP_LINK_AUTHENTICATOR');

/** The SCIM token side of authentication, provided by the SCIM module. */
export interface ScimTokenAuthenticator {
  authenticate(token: string): Promise<Extract<Principal, { kind: 'scimToken' }> | null>;
}

export const SCIM_TOKEN_AUTHENTICATOR = Symbol('SCIM_TOKEN_AUTHENTICATOR');

/** How an audit entry names the credential that made a change. */
export function describePrincipal(principal: Principal): { actorType: string; actorId: string | null } {
  switch (principal.kind) {
    case 'platform':
      return { actorType: 'platform', actorId: null };
    case 'apiKey':
      return { actorType: 'api_key', actorId: principal.keyId };
    case 'user':
      return { actorType: 'user', actorId: principal.userId };
    case 'setupLink':
      return { actorType: 'setup_link', actorId: principal.linkId };
    case 'scimToken':
      return { actorType: 'scim_token', actorId: principal.tokenId };
  }
}
