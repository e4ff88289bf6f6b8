import { Database } from '../../src/database/database.service';
import { HousekeepingService } from '../../src/housekeeping/housekeeping.service';
import { importEsm } from '../../src/oidc/esm-import';
import { OidcProviderService } from '../../src/oidc/oidc-provider.service';
import { startListeningApp, ListeningApp } from '../helpers/listening-app';
import { captureLogLines } from '../helpers/log-lines';
import { startTestApp, TestApp } from '../helpers/test-app';
import { answerAtIdp, authnRequestAt, TestBrowser } from '../helpers/oidc-relying-party';
import { createSsoTenant, IDP_SSO_URL, SsoTenant } from '../helpers/sso-tenant';
import { testCredential } from '../helpers/test-credentials';

type OpenIdClient = typeof import('openid-client');
type Jose = typeof import('jose');

const REDIRECT_URI = 'https://app.example.test/callback';
const POST_LOGOUT_URI = 'https://app.example.test/signed-out';
const EMAIL = 'dana.lee@oidcflow-corp.com';
const atIdp = (url: URL) => `${url.origin}${url.pathname}` === IDP_SSO_URL;
const atApp = (url: URL) => url.origin === new URL(REDIRECT_URI).origin;

describe('OpenID Connect provider: the flow an app goes through', () => {
  let t: ListeningApp;
  let oidc: OpenIdClient;
  let jose: Jose;
  let partner: { id: string };
  let organization: SsoTenant;
  let client: { clientId: string; clientSecret: string };
  let config: import('openid-client').Configuration;
  const logs = captureLogLines();
  /** Every token and secret this suite saw, to look for in the logs at the end. */
  const secrets: string[] = [];

  beforeAll(async () => {
    oidc = await importEsm<OpenIdClient>('openid-client');
    jose = await importEsm<Jose>('jose');
    t = await startListeningApp({ LOG_LEVEL: 'info' }, { logStream: logs.stream });
    partner = (await t.http.post('/api/v1/partners').set(t.platform).send({ name: 'Flow partner' }).expect(201)).body;
    organization = await createSsoTenant(t, 'organization', { partnerId: partner.id });
    const domains = `/api/v1/organizations/${organization.id}/domains`;
    await t.http.post(domains).set(t.platform).send({ domain: 'oidcflow-corp.com' }).expect(201);
    await t.http.post(`${domains}/oidcflow-corp.com/verify`).set(t.platform).send({ method: 'manual' }).expect(200);
    client = (
      await t.http
        .post('/api/v1/oauth-clients')
        .set(t.platform)
        .send({ name: 'Cost dashboard', redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [POST_LOGOUT_URI] })
        .expect(201)
    ).body;
    secrets.push(client.clientSecret);
    config = await oidc.discovery(new URL(t.baseUrl), client.clientId, client.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
  });
  afterAll(() => t.close());

  /** An authorization request as the app makes it, with PKCE, state and nonce. */
  async function authorizationRequest(parameters: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid email profile offline_access',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...parameters,
    });
    return { url, verifier, state, nonce };
  }

  /** Authorization through the test IdP: the callback URL the app receives, and the AuthnRequest the IdP saw. */
  async function signIn(browser: TestBrowser, parameters: Record<string, string> = {}) {
    const request = await authorizationRequest(parameters);
    const idp = await browser.follow(await browser.get(request.url.toString()), atIdp);
    expect(atIdp(idp)).toBe(true);
    const samlRequest = authnRequestAt(idp).xml;
    const response = await answerAtIdp(browser, idp, organization, {
      email: EMAIL,
      attributes: { 'User.FirstName': 'Dana', 'User.LastName': 'Lee', 'User.groups': ['finance', 'admins'] },
    });
    const callback = await browser.follow(response, atApp);
    expect(callback.searchParams.get('error_description') ?? undefined).toBeUndefined();
    return { request, callback, samlRequest };
  }

  async function redeem(callback: URL, request: { verifier: string; state: string; nonce: string }) {
    secrets.push(callback.searchParams.get('code')!);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    secrets.push(tokens.access_token, tokens.id_token!, ...(tokens.refresh_token ? [tokens.refresh_token] : []));
    return tokens;
  }

  it('publishes discovery (issuer = PUBLIC_BASE_URL, S256 only) and a JWKS with kid, open to CORS; the token endpoint is not', async () => {
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(t.baseUrl);
    expect(metadata.authorization_endpoint).toBe(`${t.baseUrl}/oidc/auth`);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['client_secret_basic', 'client_secret_post']));
    expect(metadata.id_token_signing_alg_values_supported).toContain('RS256');
    expect(metadata.end_session_endpoint).toBe(`${t.baseUrl}/oidc/session/end`);
    // Its URLs are the issuer's whatever the request's host says.
    const spoofed = await t.http.get('/.well-known/openid-configuration').set('Host', 'evil.example').set('X-Forwarded-Host', 'evil.example').expect(200);
    expect(JSON.stringify(spoofed.body)).not.toContain('evil.example');
    expect(spoofed.body.token_endpoint).toBe(`${t.baseUrl}/oidc/token`);
    const discovery = await fetch(`${t.baseUrl}/.well-known/openid-configuration`, { headers: { origin: 'https://other.example' } });
    expect(discovery.headers.get('access-control-allow-origin')).toBe('https://other.example');
    const jwks = await fetch(metadata.jwks_uri!, { headers: { origin: 'https://other.example' } });
    expect(jwks.headers.get('access-control-allow-origin')).toBe('https://other.example');
    const keys = (await jwks.json()).keys;
    expect(keys.length).toBeGreaterThanOrEqual(1);
    expect(keys[0]).toEqual(expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) }));
    expect(keys[0].d).toBeUndefined();
    const token = await fetch(metadata.token_endpoint!, {
      method: 'POST',
      headers: { origin: 'https://other.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', client_id: client.clientId, client_secret: client.clientSecret }),
    });
    expect(token.status).toBe(400);
    expect(token.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('signs in through the tenant IdP (organization_id), with code + PKCE: ID token, userinfo, introspection, refresh rotation', async () => {
    const browser = new TestBrowser(t.baseUrl);
    const { request, callback } = await signIn(browser, { organization_id: organization.id });
    expect(callback.searchParams.get('state')).toBe(request.state);
    expect(callback.searchParams.get('iss')).toBe(t.baseUrl);

    const tokens = await redeem(callback, request);
    const claims = tokens.claims()!;
    const user = (await t.http.get(`/api/v1/organizations/${organization.id}/users`).set(t.platform).expect(200)).body.items.find(
      (item: { email: string }) => item.email === EMAIL,
    );
    expect(claims).toEqual(
      expect.objectContaining({
        iss: t.baseUrl,
        aud: client.clientId,
        sub: user.id,
        nonce: request.nonce,
        email: EMAIL,
        email_verified: true,
        given_name: 'Dana',
        family_name: 'Lee',
        name: 'Dana Lee',
        groups: ['finance', 'admins'],
        role: user.role,
        tenant: { type: 'organization', id: organization.id },
        partner_id: partner.id,
      }),
    );
    const idHeader = jose.decodeProtectedHeader(tokens.id_token!);
    expect(idHeader.alg).toBe('RS256');
    const jwks = (await (await fetch(`${t.baseUrl}/oidc/jwks`)).json()).keys.map((key: { kid: string }) => key.kid);
    expect(jwks).toContain(idHeader.kid);

    // The access token: a JWT (RFC 9068) for the platform's APIs, of ten minutes at most.
    expect(jose.decodeProtectedHeader(tokens.access_token).typ).toBe('at+jwt');
    const access = jose.decodeJwt(tokens.access_token);
    expect(access.exp! - access.iat!).toBeLessThanOrEqual(600);
    expect(access).toEqual(expect.objectContaining({ iss: t.baseUrl, aud: `${t.baseUrl}/api`, sub: user.id, client_id: client.clientId }));
    expect(tokens.expires_in).toBeLessThanOrEqual(600);

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, user.id);
    expect(userinfo).toEqual(
      expect.objectContaining({ sub: user.id, email: EMAIL, email_verified: true, name: 'Dana Lee', groups: ['finance', 'admins'], tenant: { type: 'organization', id: organization.id }, partner_id: partner.id }),
    );

    const introspected = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(introspected).toEqual(expect.objectContaining({ active: true, sub: user.id, client_id: client.clientId, token_type: 'Bearer' }));
    expect(introspected.scope?.split(' ')).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
    expect(tokens.refresh_token).toBeDefined();
    const refreshIntrospected = await oidc.tokenIntrospection(config, tokens.refresh_token!);
    expect(refreshIntrospected).toEqual(expect.objectContaining({ active: true, sub: user.id, client_id: client.clientId }));

    // Refresh rotates: a new refresh token, and the old one no longer works.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeDefined();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.claims()!.sub).toBe(user.id);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(config, tokens.refresh_token!)).active).toBe(false);
  });

  it('goes by login_hint to the IdP of the tenant that verified the domain; a live session then answers at once; prompt=login sends ForceAuthn', async () => {
    const browser = new TestBrowser(t.baseUrl);
    const first = await signIn(browser, { login_hint: EMAIL });
    expect(first.samlRequest).not.toContain('ForceAuthn');
    await redeem(first.callback, first.request);

    // Same browser, organization asked for: answered without the IdP.
    const again = await authorizationRequest({ organization_id: organization.id });
    const callback = await browser.follow(await browser.get(again.url.toString()), (url) => atIdp(url) || atApp(url));
    expect(atApp(callback)).toBe(true);
    expect((await redeem(callback, again)).claims()!.email).toBe(EMAIL);

    const forced = await signIn(browser, { login_hint: EMAIL, prompt: 'login' });
    expect(forced.samlRequest).toContain('ForceAuthn="true"');
    expect((await redeem(forced.callback, forced.request)).claims()!.email).toBe(EMAIL);
  });

  it('answers max_age at once while the login is recent enough, and sends ForceAuthn once it is older', async () => {
    const browser = new TestBrowser(t.baseUrl);
    const first = await signIn(browser, { login_hint: EMAIL, max_age: '3600' });
    const firstAuthTime = (await redeem(first.callback, first.request)).claims()!.auth_time!;

    const recent = await authorizationRequest({ organization_id: organization.id, max_age: '3600' });
    const callback = await browser.follow(await browser.get(recent.url.toString()), (url) => atIdp(url) || atApp(url));
    expect(atApp(callback)).toBe(true);
    expect((await redeem(callback, recent)).claims()!.auth_time).toBe(firstAuthTime);

    // max_age counts whole seconds, and oidc-provider reads max_age=0 as prompt=login: 1 is exceeded 2 s after the login.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const aged = await signIn(browser, { organization_id: organization.id, max_age: '1' });
    expect(aged.samlRequest).toContain('ForceAuthn="true"');
    expect((await redeem(aged.callback, aged.request)).claims()!.auth_time).toBeGreaterThan(firstAuthTime);
  });

  it('sends a request that names no tenant to the /login page, which comes back to the interaction', async () => {
    const browser = new TestBrowser(t.baseUrl);
    const request = await authorizationRequest();
    const login = await browser.follow(await browser.get(request.url.toString()), (url) => url.pathname === '/login');
    expect(login.pathname).toBe('/login');
    expect(login.searchParams.get('returnTo')).toMatch(/^\/oidc\/interaction\/[\w-]+$/);
    // The page's email-first step leads to the tenant's SAML login with the same returnTo.
    const samlLogin = `${organization.samlPath}/login?returnTo=${encodeURIComponent(login.searchParams.get('returnTo')!)}`;
    const idp = await browser.follow(await browser.get(samlLogin), atIdp);
    const response = await answerAtIdp(browser, idp, organization, { email: EMAIL });
    const callback = await browser.follow(response, atApp);
    expect((await redeem(callback, request)).claims()!.email).toBe(EMAIL);
  });

  it('answers access_denied at the redirect_uri when the SAML login fails, or the tenant is unknown or without SSO', async () => {
    const browser = new TestBrowser(t.baseUrl);
    const request = await authorizationRequest({ organization_id: organization.id });
    const idp = await browser.follow(await browser.get(request.url.toString()), atIdp);
    const requestId = /\sID="([^"]+)"/.exec(
      (await import('node:zlib')).inflateRawSync(Buffer.from(idp.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8'),
    )![1];
    // Signed by a key the tenant does not trust.
    const forged = await (await import('../helpers/test-idp')).createSamlPackageResponse({
      audiences: [[organization.spEntityId]],
      recipient: organization.acsUrl,
      destination: organization.acsUrl,
      inResponseTo: requestId,
      credential: testCredential('sp'),
      attributes: { 'User.Email': EMAIL },
    });
    const refused = await browser.postForm(`${organization.samlPath}/acs`, { SAMLResponse: forged.base64, RelayState: idp.searchParams.get('RelayState')! });
    const callback = await browser.follow(refused, atApp);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe(request.state);
    expect(callback.searchParams.get('code')).toBeNull();

    const unknown = await authorizationRequest({ organization_id: '00000000-0000-4000-8000-000000000000' });
    const unknownBrowser = new TestBrowser(t.baseUrl);
    const unknownCallback = await unknownBrowser.follow(await unknownBrowser.get(unknown.url.toString()), atApp);
    expect(unknownCallback.searchParams.get('error')).toBe('access_denied');

    const bare = (await t.http.post('/api/v1/organizations').set(t.platform).send({ name: 'No SSO yet' }).expect(201)).body;
    const noSso = await authorizationRequest({ organization_id: bare.id });
    const noSsoBrowser = new TestBrowser(t.baseUrl);
    const noSsoCallback = await noSsoBrowser.follow(await noSsoBrowser.get(noSso.url.toString()), atApp);
    expect(noSsoCallback.searchParams.get('error')).toBe('access_denied');
  });

  it('revokes an access token (JWT) for its own client: introspection and userinfo then refuse it', async () => {
    const browser = new TestBrowser(t.baseUrl);
    const { request, callback } = await signIn(browser, { organization_id: organization.id });
    const tokens = await redeem(callback, request);
    // Another client may not revoke it.
    const other = (await t.http.post('/api/v1/oauth-clients').set(t.platform).send({ name: 'Other app', redirectUris: [REDIRECT_URI] }).expect(201)).body;
    const byOther = await fetch(`${t.baseUrl}/oidc/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.access_token, client_id: other.clientId, client_secret: other.clientSecret }),
    });
    expect(byOther.status).toBe(400);
    expect((await byOther.json()).error).toBe('invalid_request');
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(true);

    await oidc.tokenRevocation(config, tokens.access_token);
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    await expect(oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)).rejects.toBeDefined();
    // The refresh token of the same grant still works: only the access token was revoked.
    expect((await oidc.refreshTokenGrant(config, tokens.refresh_token!)).access_token).toBeDefined();
  });

  it('refuses refresh, introspection and userinfo at once when the user is deactivated', async () => {
    const browser = new TestBrowser(t.baseUrl);
    const { request, callback } = await signIn(browser, { organization_id: organization.id });
    const tokens = await redeem(callback, request);
    const sub = tokens.claims()!.sub;
    const users = `/api/v1/organizations/${organization.id}/users`;
    await t.http.post(`${users}/${sub}/deactivate`).set(t.platform).expect(200);
    try {
      expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
      expect((await oidc.tokenIntrospection(config, tokens.refresh_token!)).active).toBe(false);
      await expect(oidc.fetchUserInfo(config, tokens.access_token, sub)).rejects.toBeDefined();
      await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    } finally {
      await t.http.post(`${users}/${sub}/activate`).set(t.platform).expect(200);
    }
  });

  it("ends the service's session with RP-initiated logout, and goes back to the registered post-logout URI", async () => {
    const browser = new TestBrowser(t.baseUrl);
    const { request, callback } = await signIn(browser, { organization_id: organization.id });
    const tokens = await redeem(callback, request);
    const me = () => fetch(`${t.baseUrl}/api/v1/me`, { headers: { cookie: `sso_session=${browser.cookies.get('sso_session')}` } });
    const sessionCookie = browser.cookies.get('sso_session');
    expect((await me()).status).toBe(200);

    const logoutUrl = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: POST_LOGOUT_URI, state: 'bye' });
    const page = await browser.get(logoutUrl.toString());
    expect(page.status).toBe(200);
    const html = await page.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1];
    const action = /action="([^"]+)"/.exec(html)![1];
    const done = await browser.postForm(action, { xsrf, logout: 'yes' });
    const back = await browser.follow(done, atApp);
    expect(`${back.origin}${back.pathname}`).toBe(POST_LOGOUT_URI);
    expect(back.searchParams.get('state')).toBe('bye');
    expect(browser.cookies.get('sso_session')).toBeUndefined();
    const stale = await fetch(`${t.baseUrl}/api/v1/me`, { headers: { cookie: `sso_session=${sessionCookie}` } });
    expect(stale.status).toBe(401);
  });

  it('rotates its signing key: the new key is published before it signs, the old one stays published', async () => {
    const browser = new TestBrowser(t.baseUrl);
    const before = await signIn(browser, { organization_id: organization.id });
    const oldToken = (await redeem(before.callback, before.request)).id_token!;
    const oldKid = jose.decodeProtectedHeader(oldToken).kid;
    const kids = async () => (await (await fetch(`${t.baseUrl}/oidc/jwks`)).json()).keys.map((key: { kid: string }) => key.kid);

    const scheduled = (await t.http.post('/api/v1/oidc/signing-keys/rotate').set(t.platform).expect(200)).body;
    expect(scheduled.state).toBe('upcoming');
    expect(new Date(scheduled.activatesAt).getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
    expect(await kids()).toEqual(expect.arrayContaining([oldKid, scheduled.kid]));
    // Published, not signing yet.
    const during = await signIn(browser, { organization_id: organization.id, prompt: 'login' });
    expect(jose.decodeProtectedHeader((await redeem(during.callback, during.request)).id_token!).kid).toBe(oldKid);

    // Its time comes (moved here rather than waited for): it signs, and the old key is still published.
    await t.app.get(Database).manager.query(`UPDATE oidc_signing_keys SET activates_at = now() - interval '1 second' WHERE kid = $1`, [scheduled.kid]);
    await t.app.get(OidcProviderService).reloadKeys();
    const after = await signIn(browser, { organization_id: organization.id, prompt: 'login' });
    const newToken = (await redeem(after.callback, after.request)).id_token!;
    expect(jose.decodeProtectedHeader(newToken).kid).toBe(scheduled.kid);
    expect(await kids()).toEqual(expect.arrayContaining([oldKid, scheduled.kid]));
    const listed = (await t.http.get('/api/v1/oidc/signing-keys').set(t.platform).expect(200)).body;
    expect(listed).toEqual(
      expect.arrayContaining([expect.objectContaining({ kid: oldKid, state: 'retiring' }), expect.objectContaining({ kid: scheduled.kid, state: 'signing' })]),
    );
    // A token the old key signed still verifies against the published keys.
    const keySet = jose.createRemoteJWKSet(new URL(`${t.baseUrl}/oidc/jwks`));
    await expect(jose.jwtVerify(oldToken, keySet, { issuer: t.baseUrl, audience: client.clientId })).resolves.toBeDefined();
  });

  it('counts a session at another tenant as none: organization B gets no code from a session at A (login_required under prompt=none)', async () => {
    const other = await createSsoTenant(t, 'organization');
    const browser = new TestBrowser(t.baseUrl);
    const atA = await signIn(browser, { organization_id: organization.id });
    await redeem(atA.callback, atA.request);
    const silent = await authorizationRequest({ organization_id: other.id, prompt: 'none', scope: 'openid' });
    const refused = await browser.follow(await browser.get(silent.url.toString()), (url) => atIdp(url) || atApp(url));
    expect(refused.searchParams.get('error')).toBe('login_required');
    expect(refused.searchParams.get('code')).toBeNull();
    const interactive = await authorizationRequest({ organization_id: other.id });
    const idp = await browser.follow(await browser.get(interactive.url.toString()), (url) => atIdp(url) || atApp(url));
    expect(atIdp(idp)).toBe(true);
    expect(idp.searchParams.get('RelayState')).toBeTruthy();
    // The AuthnRequest is the other tenant's.
    const samlRequest = (await import('node:zlib')).inflateRawSync(Buffer.from(idp.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
    expect(samlRequest).toContain(`<saml:Issuer>${other.spEntityId}</saml:Issuer>`);
  });

  it('logs no code, token or client secret (only paths, never query strings or bodies)', () => {
    expect(logs.lines.some((line) => line.includes('/oidc/token'))).toBe(true);
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(logs.lines.filter((line) => line.includes(secret))).toEqual([]);
  });
});

describe('OpenID Connect provider: CORS with CORS_ORIGINS set', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: 'https://app.example.test' });
  });
  afterAll(() => t.close());

  it("keeps the provider's endpoints closed to the origins the API is open to, except discovery and JWKS", async () => {
    const origin = 'https://app.example.test';
    expect((await t.http.get('/api/v1/me').set('Origin', origin)).headers['access-control-allow-origin']).toBe(origin);
    // The service's own answers (userinfo, introspection of a JWT); oidc-provider's own endpoints refuse CORS per client (clientBasedCORS, the token endpoint above).
    for (const path of ['/oidc/me', '/oidc/token/introspection', '/oidc/token/revocation']) {
      const answer = path === '/oidc/me' ? await t.http.get(path).set('Origin', origin) : await t.http.post(path).type('form').send({ token: 'a.b.c' }).set('Origin', origin);
      expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect((await t.http.get('/oidc/jwks').set('Origin', origin)).headers['access-control-allow-origin']).toBe(origin);
  });
});

describe('OpenID Connect provider: rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(() => t.close());

  it('limits the authorization and token endpoints per client address', async () => {
    for (let i = 0; i < 2; i++) expect((await t.http.get('/oidc/auth').query({ client_id: 'oc_nobody' })).status).not.toBe(429);
    const limited = await t.http.get('/oidc/auth').query({ client_id: 'oc_nobody' }).expect(429);
    expect(limited.headers['retry-after']).toBeDefined();
    for (let i = 0; i < 2; i++) expect((await t.http.post('/oidc/token').type('form').send({ grant_type: 'authorization_code' })).status).not.toBe(429);
    await t.http.post('/oidc/token').type('form').send({ grant_type: 'authorization_code' }).expect(429);
    // Discovery is not limited.
    for (let i = 0; i < 3; i++) await t.http.get('/.well-known/openid-configuration').expect(200);
  });
});

describe('OpenID Connect provider: housekeeping', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('deletes expired provider models, and a signing key a day after the next one started signing (never the signing one)', async () => {
    const query = (sql: string, parameters: unknown[] = []) => t.app.get(Database).manager.query(sql, parameters);
    await t.http.get('/.well-known/openid-configuration').expect(200);
    const [{ kid: signing }] = await query('SELECT kid FROM oidc_signing_keys');
    await query(`UPDATE oidc_signing_keys SET activates_at = now() - interval '2 days'`);
    await query(`INSERT INTO oidc_signing_keys (kid, private_jwk, created_at, activates_at) SELECT 'old-key', private_jwk, now() - interval '4 days', now() - interval '3 days' FROM oidc_signing_keys`);
    await query(
      `INSERT INTO oidc_payloads (model, id, payload, expires_at) VALUES ('Session', 'expired', '{}', now() - interval '1 minute'), ('Session', 'live', '{}', now() + interval '1 hour')`,
    );
    const report = await t.app.get(HousekeepingService).runOnce();
    expect(report.deleted).toMatchObject({ oidc_payloads: 1, oidc_signing_keys: 1 });
    expect((await query('SELECT id FROM oidc_payloads')).map((row: { id: string }) => row.id)).toEqual(['live']);
    expect((await query('SELECT kid FROM oidc_signing_keys')).map((row: { kid: string }) => row.kid)).toEqual([signing]);
  });
});
