import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { hkdfSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { HTML_PAGE_CSP, renderErrorPage, renderFormPage, renderNoticePage } from '../common/error-page';
import { newErrorReference } from '../common/error-reference';
import { clearSessionCookie, readSessionCookie } from '../common/session-cookie';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ActiveSession, SessionsService } from '../sessions/sessions.service';
import { OAuthClientsService, ProviderClient } from './clients/oauth-clients.service';
import { importEsm } from './esm-import';
import { CLAIMS_BY_SCOPE, OidcAccountsService, OidcClaims } from './oidc-accounts.service';
import { accessTokenAudience, interactionPath, OIDC_ROUTES } from './oidc-paths';
import { OidcPayload, OidcPayloadsRepository } from './oidc-payloads.repository';
import type { OidcContext, OidcProvider, OidcProviderModule } from './oidc-provider.types';
import { isAtRequestedTenant, RequestedTenantResolver } from './requested-tenant';
import { SigningKeySet, SigningKeysService } from './signing-keys.service';

/** Access tokens (JWT, RFC 9068) live ten minutes at most, as the contract says. */
export const ACCESS_TOKEN_TTL_SECONDS = 600;
const ID_TOKEN_TTL_SECONDS = 3600;
const AUTHORIZATION_CODE_TTL_SECONDS = 60;
const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
/** Longer than a SAML AuthnRequest waits (10 minutes), so an interaction outlives the login it started. */
const INTERACTION_TTL_SECONDS = 15 * 60;
/** How often an instance looks for keys another instance added (well under KEY_PUBLISH_LEAD_MS). */
export const KEY_RELOAD_MS = 30_000;
/** The scopes of the access tokens' resource server: what an app may ask of the platform's APIs. */
const RESOURCE_SCOPES = 'openid email profile';

export interface PublicJwks {
  keys: Record<string, unknown>[];
}

interface BuiltProvider {
  provider: OidcProvider;
  handle: (request: IncomingMessage, response: ServerResponse) => void;
  keySet: SigningKeySet;
  keysCheckedAt: number;
}

/**
 * The OpenID provider (oidc-provider, panva), configured for this service and built lazily on the
 * first request (it needs its signing keys from the database). Rebuilt when the key set changes:
 * a key added by a rotation on any instance, a key starting to sign, an old one going. All its state
 * is in PostgreSQL, so a rebuilt provider, or another instance, carries on where this one was.
 */
@Injectable()
export class OidcProviderService implements OnApplicationShutdown {
  private readonly logger = new Logger('OidcProvider');
  private built: Promise<BuiltProvider> | null = null;
  private readonly publicJwksOf = new WeakMap<SigningKeySet, PublicJwks>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: SigningKeysService,
    private readonly payloads: OidcPayloadsRepository,
    private readonly clients: OAuthClientsService,
    private readonly accounts: OidcAccountsService,
    private readonly sessions: SessionsService,
    private readonly tenants: RequestedTenantResolver,
  ) {}

  /**
   * A provider still being built (its ES module loading) is waited for, so that nothing is loaded
   * after the application (or a test's environment) is gone.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.built?.catch(() => undefined);
  }

  get issuer(): string {
    return this.config.publicBaseUrl;
  }

  get audience(): string {
    return accessTokenAudience(this.config.publicBaseUrl);
  }

  async provider(): Promise<OidcProvider> {
    return (await this.current()).provider;
  }

  /** Hands a request to oidc-provider; resolves when it has answered. Its hooks get Express's response as ctx.res. */
  async handle(request: Request, response: Response): Promise<void> {
    const { handle } = await this.current();
    this.pinOrigin(request);
    await new Promise<void>((resolve) => {
      response.once('finish', resolve);
      response.once('close', resolve);
      handle(request, response);
    });
  }

  /**
   * The public keys the provider publishes (its JWKS), for verifying its own tokens: the same object
   * while the keys stay the same, so that a verifier can keep the keys it imported from it.
   */
  async publicJwks(): Promise<PublicJwks> {
    const { keySet } = await this.current();
    let jwks = this.publicJwksOf.get(keySet);
    if (!jwks) {
      jwks = { keys: keySet.jwks.map(({ kty, n, e, kid, alg, use, key_ops }) => ({ kty, n, e, kid, alg, use, ...(key_ops ? { key_ops } : {}) })) };
      this.publicJwksOf.set(keySet, jwks);
    }
    return jwks;
  }

  /** Reads the keys again now (after a rotation here; other instances notice within KEY_RELOAD_MS). */
  async reloadKeys(): Promise<void> {
    const built = await this.current();
    built.keysCheckedAt = 0;
    await this.current();
  }

  /**
   * oidc-provider builds its URLs (discovery's endpoints, redirects) from the request's host and
   * scheme, which it reads from X-Forwarded-* as it sits behind a proxy. They are set to the
   * issuer's, so that neither a Host header nor a forwarded one can make it name another origin.
   */
  pinOrigin(request: IncomingMessage): void {
    const issuer = new URL(this.issuer);
    request.headers['x-forwarded-host'] = issuer.host;
    request.headers['x-forwarded-proto'] = issuer.protocol.slice(0, -1);
  }

  /** The grant (the one given, extended, or a new one) holding what the app asked for; its id. */
  async grantRequested(accountId: string, clientId: string, scope: string, grantId?: string, given?: OidcProvider): Promise<string> {
    const provider = given ?? (await this.provider());
    const existing = grantId ? await provider.Grant.find(grantId) : undefined;
    const grant = existing && existing.accountId === accountId && existing.clientId === clientId ? existing : new provider.Grant({ accountId, clientId });
    grant.addOIDCScope(scope);
    grant.addResourceScope(this.audience, scope.split(' ').filter((item) => RESOURCE_SCOPES.split(' ').includes(item)).join(' '));
    return grant.save();
  }

  /** The service session of the request's cookie, when live and its user active. */
  async serviceSession(request: IncomingMessage): Promise<ActiveSession | null> {
    const token = readSessionCookie(request as Request);
    return token ? this.sessions.find(token) : null;
  }

  private async current(): Promise<BuiltProvider> {
    if (!this.built) {
      this.built = this.build();
      this.built.catch(() => (this.built = null));
      return this.built;
    }
    const built = await this.built;
    const now = Date.now();
    const due = now - built.keysCheckedAt >= KEY_RELOAD_MS || (built.keySet.changesAt !== null && built.keySet.changesAt.getTime() <= now);
    if (!due) return built;
    built.keysCheckedAt = now;
    const keySet = await this.keys.keySet(new Date(now));
    if (sameKeys(keySet, built.keySet)) {
      built.keySet.changesAt = keySet.changesAt;
      return built;
    }
    const rebuilt = this.build(keySet);
    this.built = rebuilt;
    return rebuilt;
  }

  private async build(given?: SigningKeySet): Promise<BuiltProvider> {
    const module = await importEsm<OidcProviderModule>('oidc-provider');
    const keySet = given ?? (await this.keys.keySet());
    const provider = new module.default(this.issuer, this.configuration(module, keySet));
    // Its host and scheme are the issuer's (pinOrigin): Secure cookies when PUBLIC_BASE_URL is https.
    provider.proxy = true;
    provider.use(this.endServiceSessionOnLogout());
    provider.use(this.switchAccountWithoutForm(provider));
    provider.on('server_error', (_ctx: unknown, error: Error) =>
      this.logger.error({ msg: 'unexpected error in the OpenID provider', error: error.message, stack: error.stack }),
    );
    return { provider, handle: provider.callback(), keySet, keysCheckedAt: Date.now() };
  }

  private configuration(module: OidcProviderModule, keySet: SigningKeySet): Record<string, unknown> {
    const { errors, interactionPolicy } = module;
    const audience = this.audience;
    const payloads = this.payloads;
    const clients = this.clients;
    const secure = this.config.servedOverHttps;
    return {
      adapter: adapterClass(payloads, clients),
      jwks: { keys: keySet.jwks },
      findAccount: (_ctx: unknown, sub: string) => this.account(sub),
      claims: CLAIMS_BY_SCOPE,
      // Every claim of the granted scopes in the ID token too: the apps read them from it.
      conformIdTokenClaims: false,
      scopes: ['openid', 'email', 'profile', 'offline_access'],
      responseTypes: ['code'],
      extraParams: ['organization_id', 'partner_id'],
      // Redirect URIs match exactly, even for a client with a single one.
      allowOmittingSingleRegisteredRedirectUri: false,
      pkce: { required: () => true },
      clientBasedCORS: () => false,
      cookies: {
        keys: [cookieKey(this.config.encryptionKey)],
        long: { httpOnly: true, sameSite: 'lax', secure },
        short: { httpOnly: true, sameSite: 'lax', secure },
      },
      routes: OIDC_ROUTES,
      ttl: {
        AccessToken: ACCESS_TOKEN_TTL_SECONDS,
        AuthorizationCode: AUTHORIZATION_CODE_TTL_SECONDS,
        IdToken: ID_TOKEN_TTL_SECONDS,
        RefreshToken: REFRESH_TOKEN_TTL_SECONDS,
        Interaction: INTERACTION_TTL_SECONDS,
        Session: this.config.sessionMaxHours * 3600,
        Grant: REFRESH_TOKEN_TTL_SECONDS,
      },
      rotateRefreshToken: true,
      features: {
        devInteractions: { enabled: false },
        introspection: {
          enabled: true,
          // Refresh tokens of a deactivated user introspect as inactive at once.
          allowedPolicy: async (_ctx: unknown, _client: unknown, token: { accountId?: string }) =>
            !token.accountId || (await this.accounts.claimsOf(token.accountId)) !== null,
        },
        revocation: { enabled: true },
        userinfo: { enabled: true },
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: async (ctx: OidcContext, form: string) => {
            ctx.set('Content-Security-Policy', HTML_PAGE_CSP);
            ctx.body = logoutPage(form);
          },
          postLogoutSuccessSource: async (ctx: OidcContext) => {
            ctx.set('Content-Security-Policy', HTML_PAGE_CSP);
            ctx.body = renderNoticePage('Signed out', 'You are signed out.');
          },
        },
        resourceIndicators: {
          enabled: true,
          defaultResource: async () => audience,
          // The code's resource is the access token's: always the JWT for the platform's APIs.
          useGrantedResource: async () => true,
          getResourceServerInfo: async (_ctx: unknown, resource: string) => {
            if (resource !== audience) throw new errors.InvalidTarget();
            return {
              scope: RESOURCE_SCOPES,
              audience,
              accessTokenFormat: 'jwt',
              accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
              jwt: { sign: { alg: 'RS256' } },
            };
          },
        },
      },
      // The grant id in the JWT access token: the service's own introspection, userinfo and
      // revocation (jwt-access-tokens.service.ts) look the grant up by it.
      extraTokenClaims: async (_ctx: unknown, token: { kind: string; grantId?: string }) =>
        token.kind === 'AccessToken' && token.grantId ? { grant_id: token.grantId } : undefined,
      // The clients are the platform's own apps: no consent screen. The grant holds what was asked.
      loadExistingGrant: async (ctx: OidcContext) => {
        const { oidc } = ctx;
        const accountId = oidc.session?.accountId;
        if (!oidc.client || !accountId) return undefined;
        const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client.clientId);
        const id = await this.grantRequested(accountId, oidc.client.clientId, [...oidc.requestParamScopes].join(' '), grantId, oidc.provider);
        return oidc.provider.Grant.find(id);
      },
      interactions: {
        url: async (_ctx: unknown, interaction: { uid: string }) => interactionPath(interaction.uid),
        policy: this.policy(interactionPolicy),
      },
      renderError: async (ctx: OidcContext, out: { error: string; error_description?: string }) => {
        const reference = newErrorReference();
        ctx.type = 'html';
        ctx.set('Content-Security-Policy', HTML_PAGE_CSP);
        ctx.body = renderErrorPage({
          title: 'Sign-in failed',
          explanation: out.error_description ?? 'The sign-in request could not be completed.',
          reason: out.error,
          reference,
        });
      },
    };
  }

  /**
   * oidc-provider's login prompt, plus the binding to the service's session: a provider session
   * counts only while the service session of the same user lives, at the tenant the request asks
   * for (a session at another tenant counts as none).
   */
  private policy(interactionPolicy: OidcProviderModule['interactionPolicy']): unknown {
    const policy = interactionPolicy.base();
    const noSession = policy.get('login').checks.get('no_session');
    const askForLogin = noSession.check;
    noSession.check = async (ctx: OidcContext) => ((await this.signInFromServiceSession(ctx)) ? false : askForLogin(ctx));
    policy.get('login').checks.add(
      new interactionPolicy.Check('service_session', 'the service session ended or is at another tenant', 'login_required', async (ctx: OidcContext) => {
        const accountId = ctx.oidc.session?.accountId;
        if (!accountId) return false;
        const session = await this.serviceSessionAtRequestedTenant(ctx);
        return !session || session.userId !== accountId;
      }),
    );
    return policy;
  }

  /**
   * Under prompt=none, oidc-provider answers login_required as soon as a check of the login prompt
   * asks for one, before any interaction exists: the interaction, where a live service session
   * answers an interactive request at once, never runs. So the check that asks because the browser
   * has no provider session (oidc-provider's `no_session`) first looks at the service session: live,
   * its user active, at the tenant the request asks for, it becomes the provider session's login
   * here, with the account and the grant oidc-provider would have loaded before the checks (its
   * loadAccount and loadGrant steps), as the interaction's finish does. True when it did (no prompt
   * needed). Only under prompt=none: an interactive request goes to the interaction as before, which
   * also answers prompt=login and max_age (under prompt=none, max_age and id_token_hint still ask for
   * a login, as their checks saw no session: login_required).
   */
  private async signInFromServiceSession(ctx: OidcContext): Promise<boolean> {
    const { oidc } = ctx;
    const clientId = oidc.client?.clientId;
    if (!oidc.prompts.has('none') || !oidc.session || oidc.session.accountId || !clientId) return false;
    const session = await this.serviceSessionAtRequestedTenant(ctx);
    if (!session) return false;
    const account = await this.account(session.userId);
    if (!account) return false;
    oidc.session.loginAccount({ accountId: session.userId, loginTs: Math.floor(session.createdAt.getTime() / 1000) });
    oidc.entity('Account', account);
    const grantId = await this.grantRequested(session.userId, clientId, [...oidc.requestParamScopes].join(' '), undefined, oidc.provider);
    oidc.session.ensureClientContainer(clientId);
    oidc.session.grantIdFor(clientId, grantId);
    oidc.entity('Grant', await oidc.provider.Grant.find(grantId));
    return true;
  }

  /** The service session of the request, when live, its user active, and at the tenant the request asks for. */
  private async serviceSessionAtRequestedTenant(ctx: OidcContext): Promise<ActiveSession | null> {
    const session = await this.serviceSession(ctx.req);
    if (!session) return null;
    return isAtRequestedTenant(session, await this.tenants.resolve(ctx.oidc.params ?? {})) ? session : null;
  }

  private async account(sub: string): Promise<{ accountId: string; claims: () => Promise<OidcClaims> } | undefined> {
    const claims = await this.accounts.claimsOf(sub);
    return claims ? { accountId: sub, claims: async () => claims } : undefined;
  }

  /**
   * When a login brings another user than the provider session's, oidc-provider answers the resume
   * with an auto-submitting form to its own end-session confirmation (ending the old user's session,
   * revoking the grants that do not outlive it) and then resumes. The same is done here on the
   * server, with a redirect back to the resume, so that no script (or click) is needed. The service
   * session is the new user's and stays.
   */
  private switchAccountWithoutForm(provider: OidcProvider) {
    return async (ctx: OidcContext, next: () => Promise<void>) => {
      await next();
      const session = (ctx.oidc as { session?: ProviderSession } | undefined)?.session;
      const resumeUrl = session?.state?.postLogoutRedirectUri;
      if (ctx.oidc?.route !== 'resume' || ctx.status !== 200 || !session?.state?.secret || !resumeUrl) return;
      if (new URL(resumeUrl, this.issuer).pathname !== ctx.path) return;
      for (const { grantId, persistsLogout } of Object.values(session.authorizations ?? {})) {
        if (grantId && !persistsLogout) await this.payloads.revokeByGrantId(grantId);
      }
      await session.destroy();
      ctx.cookies.set(provider.cookieName('session'), null, { httpOnly: true, sameSite: 'lax', secure: this.config.servedOverHttps, path: '/' });
      ctx.status = 303;
      ctx.redirect(resumeUrl);
    };
  }

  /** A confirmed RP-initiated logout ends the service's session too, and clears its cookie. */
  private endServiceSessionOnLogout() {
    return async (ctx: OidcContext, next: () => Promise<void>) => {
      await next();
      if (ctx.oidc?.route !== 'end_session_confirm' || ctx.status !== 303 || !ctx.oidc.params?.logout) return;
      const session = await this.serviceSession(ctx.req);
      if (session) await this.sessions.end(session.sessionId);
      clearSessionCookie(ctx.res, this.config.servedOverHttps);
    };
  }
}

/** A session as oidc-provider keeps it, as far as the account switch reads it. */
interface ProviderSession {
  state?: { secret?: string; postLogoutRedirectUri?: string };
  authorizations?: Record<string, { grantId?: string; persistsLogout?: boolean }>;
  destroy(): Promise<void>;
}

/** The same cookie-signing key on every instance, derived from ENCRYPTION_KEY (never random per process). */
function cookieKey(encryptionKey: Buffer): string {
  return Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'sso-service oidc-provider cookies', 32)).toString('base64url');
}

function sameKeys(a: SigningKeySet, b: SigningKeySet): boolean {
  return a.signingKid === b.signingKid && a.jwks.map((key) => key.kid).join() === b.jwks.map((key) => key.kid).join();
}

/**
 * oidc-provider's adapter: every model in oidc_payloads, except clients, which are the registered
 * OAuth clients (their secret opened for the provider to compare).
 */
function adapterClass(payloads: OidcPayloadsRepository, clients: OAuthClientsService) {
  return class PostgresAdapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: OidcPayload, expiresIn: number | undefined): Promise<void> {
      if (this.model === 'Client') return;
      await payloads.upsert(this.model, id, payload, expiresIn);
    }

    async find(id: string): Promise<OidcPayload | undefined> {
      if (this.model === 'Client') {
        const client = await clients.findForProvider(id);
        return client ? clientMetadata(client) : undefined;
      }
      return payloads.find(this.model, id);
    }

    findByUid(uid: string): Promise<OidcPayload | undefined> {
      return payloads.findByUid(this.model, uid);
    }

    findByUserCode(userCode: string): Promise<OidcPayload | undefined> {
      return payloads.findByUserCode(this.model, userCode);
    }

    consume(id: string): Promise<void> {
      return payloads.consume(this.model, id);
    }

    destroy(id: string): Promise<void> {
      return payloads.destroy(this.model, id);
    }

    revokeByGrantId(grantId: string): Promise<void> {
      return payloads.revokeByGrantId(grantId);
    }
  };
}

function clientMetadata(client: ProviderClient): OidcPayload {
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    client_name: client.name,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    // client_secret_post is accepted too: oidc-provider takes either for a secret-based client.
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
  };
}

function logoutPage(form: string): string {
  // The form oidc-provider hands over carries its xsrf field; the button adds logout=yes.
  const withButton = form.replace('</form>', '<p><button type="submit" name="logout" value="yes">Sign out</button></p></form>');
  return renderFormPage('Sign out?', 'Sign out of the service and its apps on this browser?', withButton);
}
