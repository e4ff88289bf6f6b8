import { inflateRawSync } from 'node:zlib';
import type * as OpenIdClient from 'openid-client';
import { importEsm } from '../../src/oidc/esm-import';
import { createSamlPackageResponse } from './test-idp';
import { IDP_SSO_URL, SsoTenant } from './sso-tenant';

type OpenId = typeof OpenIdClient;
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

let openIdClient: Promise<OpenId> | undefined;
/** openid-client 6, loaded once. */
export const openid = (): Promise<OpenId> => (openIdClient ??= importEsm<OpenId>('openid-client'));

export const isAtIdp = (url: URL): boolean => `${url.origin}${url.pathname}` === IDP_SSO_URL;

/**
 * A browser over real HTTP: a cookie jar and redirects followed one hop at a time, so a test sees
 * where each one goes. Cookies are kept by name only: every service instance of a test shares the
 * one host name the service is known by (PUBLIC_BASE_URL), as a browser in front of a load balancer would.
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();
  /** When set, every request to the service goes to this origin instead (another instance behind the same name). */
  sendTo: string | null = null;
  /** Other origins of the same service (instances reached directly, which name themselves in redirects). */
  readonly instances: string[] = [];

  /** `baseUrl`: the service (its PUBLIC_BASE_URL), where relative URLs and its own redirects go. */
  constructor(readonly baseUrl: string) {}

  get(url: string | URL): Promise<Response> {
    return this.send(url, { method: 'GET' });
  }

  postForm(url: string | URL, form: Record<string, string>): Promise<Response> {
    return this.send(url, {
      method: 'POST',
      body: new URLSearchParams(form).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  /** Follows redirects within the service until one leaves it (or `stopAt` says so); the last URL. */
  async follow(start: Response, stopAt: (url: URL) => boolean = () => false): Promise<URL> {
    let response = start;
    for (let hop = 0; hop < 20; hop++) {
      const location = response.headers.get('location');
      if (!location || response.status < 300 || response.status >= 400) {
        const text = await response.text();
        const form = response.status === 200 ? autoSubmittedForm(text) : null;
        if (!form) throw new Error(`expected a redirect, got ${response.status}: ${text.slice(0, 500)}`);
        // A page whose script posts its form at once (oidc-provider's "Submitting Callback"), as a browser would.
        response = await this.postForm(form.action, form.fields);
        continue;
      }
      const next = new URL(location, this.baseUrl);
      if (!this.isService(next) || stopAt(next)) return next;
      response = await this.get(next);
    }
    throw new Error('more than 20 redirects');
  }

  /** Whether `url` is the service (its PUBLIC_BASE_URL or one of its instances). */
  isService(url: URL): boolean {
    return url.origin === new URL(this.baseUrl).origin || this.instances.includes(url.origin);
  }

  /** The service's session cookie (`sso_session`), as a header value, or null. */
  sessionCookie(): string | null {
    const value = this.cookies.get('sso_session');
    return value === undefined ? null : `sso_session=${value}`;
  }

  private async send(url: string | URL, init: RequestInit): Promise<Response> {
    const target = new URL(url, this.baseUrl);
    if (this.sendTo && this.isService(target)) {
      const instance = new URL(this.sendTo);
      target.protocol = instance.protocol;
      target.host = instance.host;
    }
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const headers = { ...(init.headers as Record<string, string> | undefined), ...(cookie ? { cookie } : {}) };
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const value = pair.slice(pair.indexOf('=') + 1).trim();
      const expires = attributes.find((attribute) => /^\s*expires=/i.test(attribute));
      const maxAge = attributes.find((attribute) => /^\s*max-age=/i.test(attribute));
      const expired =
        value === '' ||
        (maxAge !== undefined && Number(maxAge.split('=')[1]) <= 0) ||
        (expires !== undefined && new Date(expires.slice(expires.indexOf('=') + 1)).getTime() <= Date.now());
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}

/** The form a page posts by script as soon as it loads, or null. */
function autoSubmittedForm(html: string): { action: string; fields: Record<string, string> } | null {
  if (!/document\.forms\[0\]\.submit\(\)/.test(html)) return null;
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) return null;
  const fields: Record<string, string> = {};
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g)) fields[name] = value;
  return { action: action.replace(/&amp;/g, '&'), fields };
}

/** What the app keeps between sending the browser away and the callback. */
export interface AuthorizationRequest {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
}

/** A raw answer of the token endpoint, for refusals the library would turn into exceptions. */
export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * A relying party (one of the platform's apps) on openid-client: discovery, authorization URLs with
 * PKCE (S256), state and nonce, code exchange with the ID token validated by the library, refresh,
 * userinfo, introspection, revocation, end-session.
 */
export class RelyingParty {
  private constructor(
    readonly oidc: OpenId,
    readonly config: OpenIdClient.Configuration,
    readonly client: RegisteredClient,
    readonly redirectUri: string,
    readonly auth: ClientAuthMethod,
  ) {}

  /** Discovery at `issuer` (the service's PUBLIC_BASE_URL), over plain http as the tests listen. */
  static async discover(issuer: string, client: RegisteredClient, redirectUri: string, auth: ClientAuthMethod = 'client_secret_basic'): Promise<RelyingParty> {
    const oidc = await openid();
    const clientAuth = auth === 'client_secret_basic' ? oidc.ClientSecretBasic(client.clientSecret) : oidc.ClientSecretPost(client.clientSecret);
    const config = await oidc.discovery(new URL(issuer), client.clientId, undefined, clientAuth, { execute: [oidc.allowInsecureRequests] });
    return new RelyingParty(oidc, config, client, redirectUri, auth);
  }

  /**
   * The same client talking to another instance of the service (same issuer, same keys): its
   * endpoints moved to `origin`, as a load balancer could send each request to either.
   */
  async via(origin: string): Promise<RelyingParty> {
    const metadata = this.config.serverMetadata();
    const moved = Object.fromEntries(
      Object.entries(metadata).map(([name, value]) =>
        [name, name !== 'issuer' && typeof value === 'string' && value.startsWith(metadata.issuer) ? `${origin}${value.slice(metadata.issuer.length)}` : value],
      ),
    ) as OpenIdClient.ServerMetadata;
    const clientAuth =
      this.auth === 'client_secret_basic' ? this.oidc.ClientSecretBasic(this.client.clientSecret) : this.oidc.ClientSecretPost(this.client.clientSecret);
    const config = new this.oidc.Configuration(moved, this.client.clientId, undefined, clientAuth);
    this.oidc.allowInsecureRequests(config);
    return new RelyingParty(this.oidc, config, this.client, this.redirectUri, this.auth);
  }

  get metadata(): OpenIdClient.ServerMetadata {
    return this.config.serverMetadata();
  }

  async authorizationRequest(parameters: Record<string, string> = {}): Promise<AuthorizationRequest> {
    const verifier = this.oidc.randomPKCECodeVerifier();
    const state = this.oidc.randomState();
    const nonce = this.oidc.randomNonce();
    const url = this.oidc.buildAuthorizationUrl(this.config, {
      redirect_uri: this.redirectUri,
      scope: 'openid email profile offline_access',
      code_challenge: await this.oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...parameters,
    });
    return { url, verifier, state, nonce };
  }

  /** The code exchange with every check of the library (state, nonce, PKCE, ID token signature and claims). */
  redeem(callback: URL, request: Pick<AuthorizationRequest, 'verifier' | 'state' | 'nonce'>) {
    return this.oidc.authorizationCodeGrant(this.config, callback, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
      idTokenExpected: true,
    });
  }

  refresh(refreshToken: string) {
    return this.oidc.refreshTokenGrant(this.config, refreshToken);
  }

  userinfo(accessToken: string, subject: string) {
    return this.oidc.fetchUserInfo(this.config, accessToken, subject);
  }

  introspect(token: string) {
    return this.oidc.tokenIntrospection(this.config, token);
  }

  revoke(token: string) {
    return this.oidc.tokenRevocation(this.config, token);
  }

  endSessionUrl(parameters: Record<string, string>): URL {
    return this.oidc.buildEndSessionUrl(this.config, parameters);
  }

  /**
   * A token request as written here, not by the library: for refusals (a missing or wrong verifier,
   * a wrong secret, another client's code) whose exact answer the test reads.
   */
  async tokenRequest(form: Record<string, string>, credentials: { clientId: string; clientSecret: string; method: ClientAuthMethod } = { ...this.client, method: this.auth }): Promise<TokenAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    const body = new URLSearchParams(form);
    if (credentials.method === 'client_secret_basic') {
      // RFC 6749 2.3.1: each part form-urlencoded before base64.
      const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
      headers.authorization = `Basic ${Buffer.from(`${encode(credentials.clientId)}:${encode(credentials.clientSecret)}`).toString('base64')}`;
    } else {
      body.set('client_id', credentials.clientId);
      body.set('client_secret', credentials.clientSecret);
    }
    const response = await fetch(this.metadata.token_endpoint!, { method: 'POST', headers, body: body.toString() });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  /** The authorization_code grant of `callback`'s code, sent by hand (see tokenRequest). */
  codeRequest(callback: URL, verifier: string | null, credentials?: Parameters<RelyingParty['tokenRequest']>[1]): Promise<TokenAnswer> {
    return this.tokenRequest(
      {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
        redirect_uri: this.redirectUri,
        ...(verifier === null ? {} : { code_verifier: verifier }),
      },
      credentials,
    );
  }
}

/** The AuthnRequest at the test IdP's SSO URL (HTTP-Redirect binding): its XML, ID and RelayState. */
export function authnRequestAt(idpUrl: URL): { xml: string; id: string; relayState: string } {
  const xml = inflateRawSync(Buffer.from(idpUrl.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
  return { xml, id: /\sID="([^"]+)"/.exec(xml)![1], relayState: idpUrl.searchParams.get('RelayState')! };
}

export interface IdpUser {
  email: string;
  attributes?: Record<string, string | string[]>;
}

/** The test IdP answers the AuthnRequest with a signed assertion for `user`, posted to the tenant's ACS; the ACS answer. */
export async function answerAtIdp(browser: TestBrowser, idpUrl: URL, tenant: SsoTenant, user: IdpUser): Promise<Response> {
  const request = authnRequestAt(idpUrl);
  const assertion = await createSamlPackageResponse({
    audiences: [[tenant.spEntityId]],
    recipient: tenant.acsUrl,
    destination: tenant.acsUrl,
    inResponseTo: request.id,
    nameId: user.email,
    attributes: { 'User.Email': user.email, ...user.attributes },
  });
  return browser.postForm(`${tenant.samlPath}/acs`, { SAMLResponse: assertion.base64, RelayState: request.relayState });
}

/** Where the browser lands at the app: the callback URL and what the app kept for it. */
export interface Callback {
  request: AuthorizationRequest;
  callback: URL;
}

/**
 * The whole sign-in as a browser goes through it: the authorization request, the redirect to the
 * tenant's IdP, the signed assertion at the ACS, and back through the provider to the app.
 * Fails if the browser reaches the app without passing the IdP.
 */
export async function signIn(browser: TestBrowser, rp: RelyingParty, tenant: SsoTenant, user: IdpUser, parameters: Record<string, string> = {}): Promise<Callback & { authnRequest: string }> {
  const request = await rp.authorizationRequest(parameters);
  const atApp = atRedirectUri(rp);
  const idp = await browser.follow(await browser.get(request.url), (url) => isAtIdp(url) || atApp(url));
  if (!isAtIdp(idp)) throw new Error(`expected the IdP, reached ${idp.toString()}`);
  const authnRequest = authnRequestAt(idp).xml;
  const callback = await browser.follow(await answerAtIdp(browser, idp, tenant, user), atApp);
  if (!atApp(callback)) throw new Error(`expected the app's redirect_uri, reached ${callback.toString()}`);
  return { request, callback, authnRequest };
}

/** An authorization request answered without any IdP (a live session, or a refusal): where the browser goes first off the service. */
export async function authorizeWithoutIdp(browser: TestBrowser, rp: RelyingParty, parameters: Record<string, string> = {}): Promise<Callback> {
  const request = await rp.authorizationRequest(parameters);
  const callback = await browser.follow(await browser.get(request.url), (url) => isAtIdp(url) || atRedirectUri(rp)(url));
  return { request, callback };
}

/** Whether `url` is the client's redirect_uri (query aside). */
export function atRedirectUri(rp: RelyingParty): (url: URL) => boolean {
  return (url) => `${url.origin}${url.pathname}` === rp.redirectUri;
}

/**
 * RP-initiated logout as a browser does it: the end_session_endpoint, the provider's confirmation
 * form (oidc-provider asks the browser to post it back, with its xsrf token), and the redirect to
 * the post-logout URI. Returns where the browser lands.
 */
export async function endSession(browser: TestBrowser, rp: RelyingParty, parameters: Record<string, string>): Promise<URL> {
  const page = await browser.get(rp.endSessionUrl(parameters));
  if (page.status >= 300 && page.status < 400) return browser.follow(page);
  const html = await page.text();
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!xsrf || !action) throw new Error(`expected the logout confirmation form, got ${page.status}: ${html.slice(0, 500)}`);
  const done = await browser.postForm(action.replace(/&amp;/g, '&'), { xsrf, logout: 'yes' });
  return browser.follow(done);
}

/**
 * The OAuth error code a refused call of the library ended with: from the JSON body
 * (ResponseBodyError) or, for a 401 with a challenge, from the WWW-Authenticate header.
 */
export async function oauthErrorOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const { error: code, cause, response } = error as { error?: unknown; cause?: unknown; response?: Response };
    if (typeof code === 'string') return code;
    const challenge = Array.isArray(cause) ? (cause[0] as { parameters?: { error?: string } } | undefined) : undefined;
    if (challenge?.parameters?.error) return challenge.parameters.error;
    // A challenge without an error parameter (RFC 6749 puts the code in the body): the body's.
    const body = response && !response.bodyUsed ? ((await response.json().catch(() => null)) as { error?: unknown } | null) : null;
    if (typeof body?.error === 'string') return body.error;
    throw error;
  }
  throw new Error('expected the call to be refused');
}
