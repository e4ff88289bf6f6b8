import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type * as OpenIdClient from 'openid-client';
// openid-client is an ES module only: loaded as the service loads it.
import { importEsm } from '../../src/oidc/esm-import';

type OpenId = typeof OpenIdClient;


export interface DevAppOptions {
  /** The service's PUBLIC_BASE_URL: the OpenID provider's issuer. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  port: number;
  /** Where the browser reaches this app; `http://localhost:{port}` by default. */
  baseUrl?: string;
}

export interface RunningDevApp {
  baseUrl: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  close(): Promise<void>;
}

/** What the app keeps of a sign-in it started, until the browser comes back. */
interface Pending {
  verifier: string;
  nonce: string;
}

/** What the app shows of the signed-in user. */
interface SignedIn {
  idToken: string;
  claims: Record<string, unknown>;
  userinfo: Record<string, unknown>;
  accessTokenClaims: Record<string, unknown>;
}

const COOKIE = 'dev_app';
const html = (value: unknown) =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A tiny relying party for development: it signs in through the service's OpenID provider with the
 * authorization code flow and PKCE (openid-client validates the ID token), shows the ID token's claims
 * and userinfo, and logs out through end-session. Its sessions live in memory: a toy, not a pattern.
 */
export async function startDevApp(options: DevAppOptions): Promise<RunningDevApp> {
  const oidc = await importEsm<OpenId>('openid-client');
  const baseUrl = options.baseUrl ?? `http://localhost:${options.port}`;
  const redirectUri = `${baseUrl}/callback`;
  const postLogoutRedirectUri = `${baseUrl}/`;
  let config: OpenIdClient.Configuration | undefined;
  // Discovery on first use, so that the app can start before the service.
  const configuration = async () =>
    (config ??= await oidc.discovery(new URL(options.issuer), options.clientId, undefined, oidc.ClientSecretBasic(options.clientSecret), {
      execute: options.issuer.startsWith('http:') ? [oidc.allowInsecureRequests] : [],
    }));

  const pending = new Map<string, Pending>();
  const sessions = new Map<string, SignedIn>();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', baseUrl);
    const sessionId = cookieOf(request);
    const session = sessionId ? sessions.get(sessionId) : undefined;
    if (request.method === 'GET' && url.pathname === '/') return page(response, session, url.searchParams.get('error'));
    if (request.method === 'GET' && url.pathname === '/login') {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      pending.set(state, { verifier, nonce });
      const hint = url.searchParams.get('login_hint')?.trim();
      const organization = url.searchParams.get('organization_id')?.trim();
      const target = oidc.buildAuthorizationUrl(await configuration(), {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...(hint ? { login_hint: hint } : {}),
        ...(organization ? { organization_id: organization } : {}),
      });
      return redirect(response, target.toString());
    }
    if (request.method === 'GET' && url.pathname === '/callback') {
      const state = url.searchParams.get('state') ?? '';
      const started = pending.get(state);
      pending.delete(state);
      if (!started) return redirect(response, `/?error=${encodeURIComponent('This sign-in was not started here (or the app restarted); start again.')}`);
      if (url.searchParams.has('error')) {
        const reason = `${url.searchParams.get('error')}: ${url.searchParams.get('error_description') ?? ''}`;
        return redirect(response, `/?error=${encodeURIComponent(reason)}`);
      }
      const tokens = await oidc.authorizationCodeGrant(await configuration(), url, { pkceCodeVerifier: started.verifier, expectedState: state, expectedNonce: started.nonce });
      const claims = tokens.claims()!;
      const userinfo = await oidc.fetchUserInfo(await configuration(), tokens.access_token, claims.sub);
      const id = randomBytes(24).toString('base64url');
      sessions.set(id, { idToken: tokens.id_token!, claims, userinfo, accessTokenClaims: decodeJwtPayload(tokens.access_token) });
      response.setHeader('set-cookie', `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`);
      return redirect(response, '/');
    }
    if (request.method === 'POST' && url.pathname === '/logout') {
      if (sessionId) sessions.delete(sessionId);
      response.setHeader('set-cookie', `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
      if (!session) return redirect(response, '/');
      // The provider ends its session and the service's, then sends the browser back here.
      const end = oidc.buildEndSessionUrl(await configuration(), { id_token_hint: session.idToken, post_logout_redirect_uri: postLogoutRedirectUri });
      return redirect(response, end.toString());
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) redirect(response, `/?error=${encodeURIComponent(`The sign-in failed: ${message}`)}`);
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port, '127.0.0.1', resolve));
  return {
    baseUrl,
    redirectUri,
    postLogoutRedirectUri,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function cookieOf(request: IncomingMessage): string | null {
  const header = request.headers.cookie ?? '';
  const match = new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]+)`).exec(header);
  return match ? match[1] : null;
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { location }).end();
}

/** Shown, not trusted: the access token is for the platform's APIs, which verify it themselves. */
function decodeJwtPayload(token: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function page(response: ServerResponse, session: SignedIn | undefined, error: string | null): void {
  const table = (values: Record<string, unknown>) =>
    `<table>${Object.entries(values)
      .map(([name, value]) => `<tr><th>${html(name)}</th><td><code>${html(typeof value === 'string' ? value : JSON.stringify(value))}</code></td></tr>`)
      .join('')}</table>`;
  const body = session
    ? `<p>Signed in as <strong>${html(session.claims.name ?? session.claims.email)}</strong>.</p>
       <form method="post" action="/logout"><button>Log out</button></form>
       <h2>ID token claims (validated by openid-client)</h2>${table(session.claims)}
       <h2>Userinfo</h2>${table(session.userinfo)}
       <h2>Access token claims (a JWT for the platform's APIs)</h2>${table(session.accessTokenClaims)}`
    : `<p>Not signed in.</p>
       <form method="get" action="/login">
         <p><label>Email (login_hint, optional) <input name="login_hint" type="email" placeholder="ada.admin@example.com"></label></p>
         <p><label>Organization id (organization_id, optional) <input name="organization_id" size="40"></label></p>
         <p><button>Sign in</button></p>
       </form>
       <p>With neither, the service asks for the email on its own /login page.</p>`;
  response
    .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:" })
    .end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dev app (OpenID Connect)</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:60rem}th{text-align:left;padding-right:1rem;vertical-align:top}td code{word-break:break-all}.error{color:#a00}</style>
</head><body><h1>Dev app: sign in with the SSO service</h1>${error ? `<p class="error" role="alert">${html(error)}</p>` : ''}${body}</body></html>`);
}
