import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { importEsm } from './esm-import';
import { CLAIMS_BY_SCOPE, OidcAccountsService, OidcClaims } from './oidc-accounts.service';
import { OidcPayloadsRepository } from './oidc-payloads.repository';
import { OidcProviderService, PublicJwks } from './oidc-provider.service';

type Jose = typeof import('jose');

/** oidc-provider's opaque tokens hold no dot; a JWT is three base64url parts. */
export const looksLikeJwt = (token: unknown): token is string => typeof token === 'string' && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

/** A revoked JWT access token's id, kept (among oidc-provider's models) until the token expires. */
const REVOKED_MODEL = 'RevokedAccessToken';

export interface AccessTokenPayload {
  jti: string;
  sub: string;
  client_id: string;
  scope?: string;
  grant_id: string;
  iss: string;
  aud: string | string[];
  exp: number;
  iat: number;
}

export type OAuthError = { status: number; error: string; description: string; headers?: Record<string, string> };

export class OAuthRefusal extends Error {
  constructor(readonly answer: OAuthError) {
    super(answer.description);
  }
}

/**
 * Introspection, revocation and userinfo for the JWT access tokens, in front of oidc-provider:
 * it does not store such tokens and refuses them at those three endpoints by design
 * (reject_structured_tokens.js, userinfo's audience check). So this is hand-written: the token is
 * verified with the provider's own published keys (jose), for its issuer and audience, and counts
 * only while its grant exists (a code used twice, a logout or a revocation removes it), it is not
 * on the revoked list, and its user is active (deactivation refuses it at once).
 */
@Injectable()
export class JwtAccessTokensService implements OnApplicationShutdown {
  private jose: Promise<Jose> | null = null;
  /** jose imports each key once per key set it is given: one set per published JWKS, not per token. */
  private readonly keySets = new WeakMap<PublicJwks, ReturnType<Jose['createLocalJWKSet']>>();

  constructor(
    private readonly oidc: OidcProviderService,
    private readonly accounts: OidcAccountsService,
    private readonly payloads: OidcPayloadsRepository,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.jose?.catch(() => undefined);
  }

  /** The token's payload and its user's claims when it is valid now; null otherwise. */
  async verify(token: string): Promise<{ payload: AccessTokenPayload; claims: OidcClaims } | null> {
    const payload = await this.verifiedPayload(token, false);
    if (!payload) return null;
    const provider = await this.oidc.provider();
    const grant = await provider.Grant.find(payload.grant_id);
    if (!grant || grant.clientId !== payload.client_id || grant.accountId !== payload.sub) return null;
    if (await this.payloads.find(REVOKED_MODEL, payload.jti)) return null;
    const claims = await this.accounts.claimsOf(payload.sub);
    return claims ? { payload, claims } : null;
  }

  /** RFC 7662 for a JWT access token, to an authenticated client. */
  async introspect(headers: IncomingHttpHeaders, body: Record<string, unknown>, token: string): Promise<Record<string, unknown>> {
    await this.authenticateClient(headers, body);
    const valid = await this.verify(token);
    if (!valid) return { active: false };
    const { jti, sub, client_id, scope, exp, iat, iss, aud } = valid.payload;
    return { active: true, token_type: 'Bearer', jti, sub, client_id, scope, exp, iat, iss, aud };
  }

  /** RFC 7009 for a JWT access token: its id goes on the revoked list until it expires. */
  async revoke(headers: IncomingHttpHeaders, body: Record<string, unknown>, token: string): Promise<void> {
    const clientId = await this.authenticateClient(headers, body);
    const payload = await this.verifiedPayload(token, true);
    if (!payload) return;
    if (payload.client_id !== clientId) {
      throw new OAuthRefusal({ status: 400, error: 'invalid_request', description: 'this token does not belong to you' });
    }
    const secondsLeft = payload.exp - Math.floor(Date.now() / 1000);
    if (secondsLeft > 0) await this.payloads.upsert(REVOKED_MODEL, payload.jti, { jti: payload.jti }, secondsLeft);
  }

  /** OpenID Connect userinfo for a Bearer JWT access token: the claims of the scopes it carries. */
  async userinfo(authorization: string | undefined): Promise<Record<string, unknown>> {
    const token = /^Bearer ([^\s]+)$/i.exec(authorization ?? '')?.[1];
    const valid = looksLikeJwt(token) ? await this.verify(token) : null;
    if (!valid) {
      throw new OAuthRefusal({
        status: 401,
        error: 'invalid_token',
        description: 'invalid token provided',
        headers: { 'WWW-Authenticate': 'Bearer realm="userinfo", error="invalid_token"' },
      });
    }
    const scopes = new Set((valid.payload.scope ?? '').split(' '));
    if (!scopes.has('openid')) {
      throw new OAuthRefusal({ status: 403, error: 'insufficient_scope', description: 'the token lacks the openid scope' });
    }
    const claims: Record<string, unknown> = {};
    for (const [scope, names] of Object.entries(CLAIMS_BY_SCOPE)) {
      if (!scopes.has(scope)) continue;
      for (const name of names) if (name in valid.claims) claims[name] = valid.claims[name as keyof OidcClaims];
    }
    return claims;
  }

  private async verifiedPayload(token: string, ignoreExpiry: boolean): Promise<AccessTokenPayload | null> {
    const jose = await (this.jose ??= importEsm<Jose>('jose'));
    const jwks = await this.oidc.publicJwks();
    let keySet = this.keySets.get(jwks);
    if (!keySet) {
      keySet = jose.createLocalJWKSet(jwks as never);
      this.keySets.set(jwks, keySet);
    }
    try {
      const { payload } = await jose.jwtVerify(token, keySet, {
        issuer: this.oidc.issuer,
        audience: this.oidc.audience,
        typ: 'at+jwt',
        algorithms: ['RS256'],
        ...(ignoreExpiry ? { currentDate: new Date(0) } : {}),
      });
      const { jti, sub, client_id, grant_id } = payload as Partial<AccessTokenPayload>;
      return typeof jti === 'string' && typeof sub === 'string' && typeof client_id === 'string' && typeof grant_id === 'string'
        ? (payload as unknown as AccessTokenPayload)
        : null;
    } catch {
      return null;
    }
  }

  /** client_secret_basic or client_secret_post against the registered clients; the client id. */
  private async authenticateClient(headers: IncomingHttpHeaders, body: Record<string, unknown>): Promise<string> {
    const basic = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(headers.authorization ?? '');
    let clientId: unknown;
    let secret: unknown;
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        clientId = safeDecode(decoded.slice(0, colon));
        secret = safeDecode(decoded.slice(colon + 1));
      }
      if (body.client_secret !== undefined) clientId = undefined;
    } else {
      clientId = body.client_id;
      secret = body.client_secret;
    }
    const provider = await this.oidc.provider();
    const client = typeof clientId === 'string' && typeof secret === 'string' && secret ? await provider.Client.find(clientId) : undefined;
    if (!client || !(await client.compareClientSecret(secret as string))) {
      throw new OAuthRefusal({
        status: 401,
        error: 'invalid_client',
        description: 'client authentication failed',
        ...(basic ? { headers: { 'WWW-Authenticate': 'Basic realm="oidc"' } } : {}),
      });
    }
    return client.clientId;
  }
}

/** Basic credentials are form-encoded (RFC 6749 2.3.1). */
function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
