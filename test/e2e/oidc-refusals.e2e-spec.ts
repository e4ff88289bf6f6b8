import { randomUUID } from 'node:crypto';
import { startListeningApp, ListeningApp } from '../helpers/listening-app';
import { answerAtIdp, atRedirectUri, authorizeWithoutIdp, isAtIdp, oauthErrorOf, RegisteredClient, RelyingParty, signIn, TestBrowser } from '../helpers/oidc-relying-party';
import { createSsoTenant, SsoTenant } from '../helpers/sso-tenant';

const REDIRECT_URI = 'https://app.example.test/callback';
const USER = { email: 'rita.refusals@example.com', attributes: { 'User.FirstName': 'Rita', 'User.LastName': 'Ruiz' } };
// The provider issues a refresh token for offline_access only under prompt=consent (oidc-provider's
// rule, from OpenID Connect); whether offline_access alone must do is oidc-lifecycle's test.
const WITH_REFRESH = { prompt: 'consent' };

/** What the provider must refuse, and how: never a redirect to a URI the client did not register, never a code it should not give. */
describe('OpenID provider: refusals', () => {
  let t: ListeningApp;
  let tenant: SsoTenant;
  let client: RegisteredClient;
  let other: RegisteredClient;
  let rp: RelyingParty;

  const register = async (name: string) =>
    (await t.http.post('/api/v1/oauth-clients').set(t.platform).send({ name, redirectUris: [REDIRECT_URI] }).expect(201)).body as RegisteredClient;

  /** A code for `rp`, through the test IdP. */
  const codeFor = (party: RelyingParty = rp, parameters: Record<string, string> = {}) =>
    signIn(new TestBrowser(t.baseUrl), party, tenant, USER, { organization_id: tenant.id, ...parameters });

  beforeAll(async () => {
    t = await startListeningApp();
    tenant = await createSsoTenant(t, 'organization');
    client = await register('Refusals app');
    other = await register('Another app');
    rp = await RelyingParty.discover(t.baseUrl, client, REDIRECT_URI);
  });
  afterAll(() => t.close());

  describe('redirect URIs', () => {
    it.each([
      ['an unregistered URI', 'https://evil.example.test/callback'],
      ['a longer path (prefix match)', `${REDIRECT_URI}/more`],
      ['a longer segment (prefix match)', `${REDIRECT_URI}x`],
      ['a trailing slash', `${REDIRECT_URI}/`],
      ['an added query', `${REDIRECT_URI}?next=https://evil.example.test`],
      ['another scheme', REDIRECT_URI.replace('https:', 'http:')],
      ['another port', 'https://app.example.test:8443/callback'],
      ['a sub-domain', 'https://evil.app.example.test/callback'],
    ])('refuses %s with an error page of its own, never a redirect to it', async (_what, redirectUri) => {
      const browser = new TestBrowser(t.baseUrl);
      const request = await rp.authorizationRequest({ redirect_uri: redirectUri, organization_id: tenant.id });
      const response = await browser.get(request.url);
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      const page = await response.text();
      expect(page).toMatch(/redirect_uri/);
      expect(page).not.toContain('code=');
    });

    it('refuses a client that does not exist, or was deleted, without redirecting anywhere', async () => {
      const gone = await register('Soon gone');
      const goneRp = await RelyingParty.discover(t.baseUrl, gone, REDIRECT_URI);
      await t.http.delete(`/api/v1/oauth-clients/${gone.clientId}`).set(t.platform).expect(204);
      for (const party of [goneRp, await RelyingParty.discover(t.baseUrl, { clientId: 'oc_' + 'Z'.repeat(22), clientSecret: 'x' }, REDIRECT_URI)]) {
        const response = await new TestBrowser(t.baseUrl).get((await party.authorizationRequest({ organization_id: tenant.id })).url);
        expect(response.status).toBe(400);
        expect(response.headers.get('location')).toBeNull();
      }
    });
  });

  describe('PKCE', () => {
    it('refuses an authorization request without a code challenge: invalid_request at the redirect_uri, no code', async () => {
      const request = await rp.authorizationRequest({ organization_id: tenant.id });
      request.url.searchParams.delete('code_challenge');
      request.url.searchParams.delete('code_challenge_method');
      const callback = await new TestBrowser(t.baseUrl).follow(await new TestBrowser(t.baseUrl).get(request.url), atRedirectUri(rp));
      expect(atRedirectUri(rp)(callback)).toBe(true);
      expect(callback.searchParams.get('error')).toBe('invalid_request');
      expect(callback.searchParams.get('state')).toBe(request.state);
      expect(callback.searchParams.get('code')).toBeNull();
    });

    it('refuses the plain method: invalid_request at the redirect_uri, no code', async () => {
      const browser = new TestBrowser(t.baseUrl);
      const request = await rp.authorizationRequest({ organization_id: tenant.id });
      request.url.searchParams.set('code_challenge', request.verifier);
      request.url.searchParams.set('code_challenge_method', 'plain');
      const callback = await browser.follow(await browser.get(request.url), (url) => isAtIdp(url) || atRedirectUri(rp)(url));
      expect(atRedirectUri(rp)(callback)).toBe(true);
      expect(callback.searchParams.get('error')).toBe('invalid_request');
      expect(callback.searchParams.get('state')).toBe(request.state);
      expect(callback.searchParams.get('code')).toBeNull();
      expect(rp.metadata.code_challenge_methods_supported).toEqual(['S256']);
    });

    it('refuses the code without the verifier, or with a wrong one (invalid_grant), and never answers a token', async () => {
      const { request, callback } = await codeFor();
      const missing = await rp.codeRequest(callback, null);
      expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      const wrong = await rp.codeRequest(callback, `${request.verifier.slice(0, -1)}${request.verifier.endsWith('A') ? 'B' : 'A'}`);
      expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      for (const answer of [missing, wrong]) {
        expect(answer.body.access_token).toBeUndefined();
        expect(answer.body.id_token).toBeUndefined();
      }
    });

    it('refuses the verifier of another authorization request', async () => {
      const first = await codeFor();
      const second = await codeFor();
      expect(await rp.codeRequest(first.callback, second.request.verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    });
  });

  describe('codes', () => {
    it('answers once: a second use is refused, and what the first use issued is revoked', async () => {
      const { request, callback } = await codeFor(rp, WITH_REFRESH);
      const tokens = await rp.redeem(callback, request);
      const sub = tokens.claims()!.sub;
      expect(tokens.refresh_token).toEqual(expect.any(String));
      expect((await rp.introspect(tokens.access_token)).active).toBe(true);

      const again = await rp.codeRequest(callback, request.verifier);
      expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      expect(again.body.access_token).toBeUndefined();

      expect((await rp.introspect(tokens.access_token)).active).toBe(false);
      expect((await rp.introspect(tokens.refresh_token!)).active).toBe(false);
      await expect(rp.refresh(tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      await expect(rp.userinfo(tokens.access_token, sub)).rejects.toBeDefined();
    });

    it("refuses a code redeemed by another client, with that client's own valid secret", async () => {
      const { request, callback } = await codeFor();
      const stolen = await rp.codeRequest(callback, request.verifier, { ...other, method: 'client_secret_basic' });
      expect(stolen).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      expect(stolen.body.access_token).toBeUndefined();
    });

    it('refuses a code sent with another redirect_uri than the authorization request had', async () => {
      const { request, callback } = await codeFor();
      const answer = await rp.tokenRequest({
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
        redirect_uri: `${REDIRECT_URI}/other`,
        code_verifier: request.verifier,
      });
      expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    });
  });

  describe('client authentication', () => {
    it.each(['client_secret_basic', 'client_secret_post'] as const)('takes the right secret and refuses a wrong one with %s (401 invalid_client)', async (method) => {
      const { request, callback } = await codeFor();
      const wrong = await rp.codeRequest(callback, request.verifier, { clientId: client.clientId, clientSecret: `${client.clientSecret}x`, method });
      expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
      const otherSecret = await rp.codeRequest(callback, request.verifier, { clientId: client.clientId, clientSecret: other.clientSecret, method });
      expect(otherSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
      const empty = await rp.codeRequest(callback, request.verifier, { clientId: client.clientId, clientSecret: '', method });
      expect(empty.status).toBeGreaterThanOrEqual(400);
      expect(empty.body.access_token).toBeUndefined();

      // The refusals did not use the code up: the right secret, by the same method, still gets the tokens.
      const right = await rp.codeRequest(callback, request.verifier, { ...client, method });
      expect(right).toMatchObject({ status: 200, body: { token_type: expect.stringMatching(/^bearer$/i), id_token: expect.any(String), access_token: expect.any(String) } });
    });

    it('runs the library flow with client_secret_post as well as client_secret_basic', async () => {
      const post = await RelyingParty.discover(t.baseUrl, client, REDIRECT_URI, 'client_secret_post');
      const { request, callback } = await codeFor(post, WITH_REFRESH);
      const tokens = await post.redeem(callback, request);
      expect(tokens.claims()!.email).toBe(USER.email);
      expect((await post.introspect(tokens.access_token)).active).toBe(true);
      expect((await post.refresh(tokens.refresh_token!)).access_token).toEqual(expect.any(String));
    });

    it('refuses an unknown client and a deleted one at the token endpoint (invalid_client)', async () => {
      const soonGone = await register('Deleted before redeeming');
      const goneRp = await RelyingParty.discover(t.baseUrl, soonGone, REDIRECT_URI);
      const { request, callback } = await codeFor(goneRp);
      await t.http.delete(`/api/v1/oauth-clients/${soonGone.clientId}`).set(t.platform).expect(204);
      expect(await goneRp.codeRequest(callback, request.verifier)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
      const unknown = await rp.codeRequest(callback, request.verifier, { clientId: `oc_${'Q'.repeat(22)}`, clientSecret: client.clientSecret, method: 'client_secret_basic' });
      expect(unknown).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    });

    it('refuses introspection and revocation to a caller without the right secret', async () => {
      const { request, callback } = await codeFor();
      const tokens = await rp.redeem(callback, request);
      const wrong = await RelyingParty.discover(t.baseUrl, { clientId: client.clientId, clientSecret: `${client.clientSecret}x` }, REDIRECT_URI);
      expect(await oauthErrorOf(wrong.introspect(tokens.access_token))).toBe('invalid_client');
      expect(await oauthErrorOf(wrong.revoke(tokens.access_token))).toBe('invalid_client');
      expect((await rp.introspect(tokens.access_token)).active).toBe(true);
    });
  });

  describe('who signs in', () => {
    it('answers prompt=none without a session with login_required at the redirect_uri, state unchanged', async () => {
      const { request, callback } = await authorizeWithoutIdp(new TestBrowser(t.baseUrl), rp, { organization_id: tenant.id, prompt: 'none' });
      expect(atRedirectUri(rp)(callback)).toBe(true);
      expect(callback.searchParams.get('error')).toBe('login_required');
      expect(callback.searchParams.get('state')).toBe(request.state);
      expect(callback.searchParams.get('code')).toBeNull();
    });

    it('answers an unknown tenant, and one whose SSO is off, with access_denied at the redirect_uri (login_required under prompt=none)', async () => {
      const withoutSso = (await t.http.post('/api/v1/organizations').set(t.platform).send({ name: 'No SSO' }).expect(201)).body.id as string;
      const disabled = await createSsoTenant(t, 'organization');
      await t.http.post(`${disabled.settingsPath}/disable`).set(t.platform).expect(200);
      const cases: [string, Record<string, string>][] = [
        ['unknown organization', { organization_id: randomUUID() }],
        ['unknown partner', { partner_id: randomUUID() }],
        ['organization without SSO', { organization_id: withoutSso }],
        ['organization with SSO disabled', { organization_id: disabled.id }],
      ];
      const outcomes: string[] = [];
      for (const [name, parameters] of cases) {
        for (const prompt of [{}, { prompt: 'none' }] as Record<string, string>[]) {
          const { request, callback } = await authorizeWithoutIdp(new TestBrowser(t.baseUrl), rp, { ...parameters, ...prompt });
          const stateKept = callback.searchParams.get('state') === request.state;
          outcomes.push(`${name}${'prompt' in prompt ? ' (prompt=none)' : ''}: ${atRedirectUri(rp)(callback) ? 'redirect_uri' : callback.toString()} ${callback.searchParams.get('error')} state ${stateKept ? 'kept' : 'lost'} code ${callback.searchParams.get('code') ?? 'none'}`);
        }
      }
      expect(outcomes).toEqual(
        cases.flatMap(([name]) => [
          `${name}: redirect_uri access_denied state kept code none`,
          `${name} (prompt=none): redirect_uri login_required state kept code none`,
        ]),
      );
    });

    it('gives state back unchanged and the nonce in the ID token, also when they hold unusual characters', async () => {
      const state = 'a b+c/d=é&x=1';
      const nonce = 'n-0S6_WzA2Mj+/=';
      const { request, callback } = await codeFor(rp, { state, nonce });
      expect(callback.searchParams.get('state')).toBe(state);
      const tokens = await rp.redeem(callback, { verifier: request.verifier, state, nonce });
      expect(tokens.claims()!.nonce).toBe(nonce);
    });
  });

  describe('userinfo', () => {
    it('refuses an access token without the openid scope: 403 insufficient_scope', async () => {
      // A plain OAuth request (no openid): no ID token, so the code goes by hand, not through the library's redeem.
      // (and no nonce, which is OpenID Connect's).
      const browser = new TestBrowser(t.baseUrl);
      const request = await rp.authorizationRequest({ organization_id: tenant.id, scope: 'email profile' });
      request.url.searchParams.delete('nonce');
      const idp = await browser.follow(await browser.get(request.url), isAtIdp);
      const callback = await browser.follow(await answerAtIdp(browser, idp, tenant, USER), atRedirectUri(rp));
      expect(callback.searchParams.get('code')).toEqual(expect.any(String));
      const answer = await rp.codeRequest(callback, request.verifier);
      expect(answer.status).toBe(200);
      expect(answer.body.id_token).toBeUndefined();
      const accessToken = answer.body.access_token as string;
      expect((await rp.introspect(accessToken)).active).toBe(true);
      const me = await fetch(rp.metadata.userinfo_endpoint!, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(me.status).toBe(403);
      expect(await me.json()).toMatchObject({ error: 'insufficient_scope' });
    });
  });

  describe('the interaction page', () => {
    /** A 4xx page in words: no 5xx, no stack, no code. */
    async function expectExpiredPage(response: Response): Promise<void> {
      const html = await response.text();
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(html).toContain('This sign-in has expired or was already completed');
      expect(html).not.toMatch(/\bat [\w.<>]+ \(|node_modules|Error:/);
    }

    it('answers an interaction whose cookie the browser no longer has with a 4xx page in words', async () => {
      const browser = new TestBrowser(t.baseUrl);
      const request = await rp.authorizationRequest({ organization_id: tenant.id });
      const interaction = await browser.follow(await browser.get(request.url), (url) => url.pathname.startsWith('/oidc/interaction/'));
      expect(interaction.pathname).toMatch(/^\/oidc\/interaction\//);
      browser.cookies.clear();
      await expectExpiredPage(await browser.get(interaction));
    });

    it('answers an interaction that does not exist (expired and deleted) with the same page', async () => {
      await expectExpiredPage(await new TestBrowser(t.baseUrl).get(`/oidc/interaction/${randomUUID()}`));
    });
  });
});
