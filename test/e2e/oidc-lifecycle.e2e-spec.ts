import { randomUUID } from 'node:crypto';
import { freeLoopbackPort } from '../../scripts/service-launcher';
import { startListeningApp, ListeningApp } from '../helpers/listening-app';
import {
  atRedirectUri,
  authnRequestAt,
  authorizeWithoutIdp,
  answerAtIdp,
  endSession,
  isAtIdp,
  RegisteredClient,
  RelyingParty,
  signIn,
  TestBrowser,
} from '../helpers/oidc-relying-party';
import { createScimTenant, patchOp, scim, SCIM_USER, ScimTenant } from '../helpers/scim';
import { createSsoTenant, SsoTenant } from '../helpers/sso-tenant';
import { basePostgresUrl } from '../helpers/test-database';
import type { TestApp } from '../helpers/test-app';

const REDIRECT_URI = 'https://app.example.test/callback';
const SIGNED_OUT = 'https://app.example.test/signed-out';
// oidc-provider keeps offline_access only under prompt=consent (OpenID Connect's rule); the contract's
// "offline_access for a refresh token" without it is the test of its own in 'refresh tokens'.
const WITH_REFRESH = { prompt: 'consent' };

async function verifyDomain(t: TestApp, tenant: SsoTenant, domain: string): Promise<void> {
  const domains = `/api/v1/${tenant.type}s/${tenant.id}/domains`;
  await t.http.post(domains).set(t.platform).send({ domain }).expect(201);
  await t.http.post(`${domains}/${domain}/verify`).set(t.platform).send({ method: 'manual' }).expect(200);
}

describe('OpenID provider: sessions, tenants and users over time', () => {
  let t: ListeningApp;
  let orgA: SsoTenant;
  let orgB: ScimTenant;
  let client: RegisteredClient;
  let rp: RelyingParty;
  const alice = { email: 'alice@lifecycle-a.com' };

  beforeAll(async () => {
    t = await startListeningApp();
    orgA = await createSsoTenant(t, 'organization');
    orgB = await createScimTenant(t, 'organization');
    await verifyDomain(t, orgA, 'lifecycle-a.com');
    await verifyDomain(t, orgB, 'lifecycle-b.com');
    client = (
      await t.http
        .post('/api/v1/oauth-clients')
        .set(t.platform)
        .send({ name: 'Lifecycle app', redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [SIGNED_OUT] })
        .expect(201)
    ).body;
    rp = await RelyingParty.discover(t.baseUrl, client, REDIRECT_URI);
  });
  afterAll(() => t.close());

  describe('tenant isolation', () => {
    it('answers a live session at once for its own tenant, and gives no code for another tenant without a new login there', async () => {
      const browser = new TestBrowser(t.baseUrl);
      const first = await signIn(browser, rp, orgA, alice, { organization_id: orgA.id });
      const atA = (await rp.redeem(first.callback, first.request)).claims()!;
      expect(atA.tenant).toEqual({ type: 'organization', id: orgA.id });

      // Same browser, same tenant: no IdP.
      const again = await authorizeWithoutIdp(browser, rp, { organization_id: orgA.id });
      expect(atRedirectUri(rp)(again.callback)).toBe(true);
      expect((await rp.redeem(again.callback, again.request)).claims()!.tenant).toEqual({ type: 'organization', id: orgA.id });

      // Another tenant, by id or by a verified domain of its own: off to that tenant's IdP, no code.
      for (const parameters of [{ organization_id: orgB.id }, { login_hint: 'bob@lifecycle-b.com' }] as Record<string, string>[]) {
        const elsewhere = await authorizeWithoutIdp(browser, rp, parameters);
        expect(isAtIdp(elsewhere.callback)).toBe(true);
        expect(elsewhere.callback.searchParams.get('code')).toBeNull();
        expect(authnRequestAt(elsewhere.callback).xml).toContain(`<saml:Issuer>${orgB.spEntityId}</saml:Issuer>`);
      }
      // A login at B gives B's user, with B's claims.
      const atB = await signIn(browser, rp, orgB, { email: 'bob@lifecycle-b.com' }, { organization_id: orgB.id });
      const claims = (await rp.redeem(atB.callback, atB.request)).claims()!;
      expect(claims).toMatchObject({ email: 'bob@lifecycle-b.com', tenant: { type: 'organization', id: orgB.id } });
      expect(claims.sub).not.toBe(atA.sub);
    });

    it('answers prompt=none for another tenant with login_required: a session at another tenant counts as none', async () => {
      const browser = new TestBrowser(t.baseUrl);
      await signIn(browser, rp, orgA, alice, { organization_id: orgA.id });
      const quiet = await authorizeWithoutIdp(browser, rp, { organization_id: orgB.id, prompt: 'none' });
      expect(atRedirectUri(rp)(quiet.callback)).toBe(true);
      expect(quiet.callback.searchParams.get('code')).toBeNull();
      expect(quiet.callback.searchParams.get('state')).toBe(quiet.request.state);
      expect(quiet.callback.searchParams.get('error')).toBe('login_required');
    });

    it('asks the IdP again under prompt=login, with ForceAuthn', async () => {
      const browser = new TestBrowser(t.baseUrl);
      const first = await signIn(browser, rp, orgA, alice, { organization_id: orgA.id });
      expect(first.authnRequest).not.toContain('ForceAuthn="true"');
      const forced = await signIn(browser, rp, orgA, alice, { organization_id: orgA.id, prompt: 'login' });
      expect(forced.authnRequest).toContain('ForceAuthn="true"');
      await rp.redeem(forced.callback, forced.request);
    });
  });

  describe('prompt=none with a live service session and no provider session', () => {
    /** A browser signed in to the service by SAML alone (as for the settings pages): no provider session. */
    async function serviceSessionOnly(tenant: SsoTenant, email: string): Promise<TestBrowser> {
      const browser = new TestBrowser(t.baseUrl);
      const idp = await browser.follow(await browser.get(`${tenant.samlPath}/login?returnTo=/app`), isAtIdp);
      const back = await answerAtIdp(browser, idp, tenant, { email });
      expect(back.status).toBeLessThan(400);
      expect([...browser.cookies.keys()]).toEqual(['sso_session']);
      return browser;
    }

    it('answers with a code, without a screen, for the tenant asked for, by id, by a verified domain, or none named', async () => {
      const email = `quiet-${randomUUID().slice(0, 6)}@lifecycle-a.com`;
      for (const parameters of [{ organization_id: orgA.id }, { login_hint: `someone@lifecycle-a.com` }, {}] as Record<string, string>[]) {
        const browser = await serviceSessionOnly(orgA, email);
        const quiet = await authorizeWithoutIdp(browser, rp, { ...parameters, prompt: 'none' });
        expect(quiet.callback.searchParams.get('error')).toBeNull();
        const tokens = await rp.redeem(quiet.callback, quiet.request);
        expect(tokens.claims()).toMatchObject({ email, tenant: { type: 'organization', id: orgA.id } });
        expect((await rp.userinfo(tokens.access_token, tokens.claims()!.sub)).email).toBe(email);
        // The provider session it made answers the next request too.
        const next = await authorizeWithoutIdp(browser, rp, { ...parameters, prompt: 'none' });
        expect(next.callback.searchParams.get('code')).toEqual(expect.any(String));
      }
    });

    it('answers once the provider session has ended while the service session lives', async () => {
      const browser = new TestBrowser(t.baseUrl);
      await signIn(browser, rp, orgA, alice, { organization_id: orgA.id });
      for (const name of [...browser.cookies.keys()]) if (name !== 'sso_session') browser.cookies.delete(name);
      const quiet = await authorizeWithoutIdp(browser, rp, { organization_id: orgA.id, prompt: 'none' });
      expect((await rp.redeem(quiet.callback, quiet.request)).claims()!.email).toBe(alice.email);
    });

    it('answers login_required for another tenant (by id or verified domain), an unknown one, or without any session', async () => {
      const browser = await serviceSessionOnly(orgA, alice.email);
      const cases: [TestBrowser, Record<string, string>][] = [
        [browser, { organization_id: orgB.id }],
        [browser, { login_hint: 'bob@lifecycle-b.com' }],
        [new TestBrowser(t.baseUrl), { organization_id: orgA.id }],
        [new TestBrowser(t.baseUrl), {}],
      ];
      for (const [who, parameters] of cases) {
        const quiet = await authorizeWithoutIdp(who, rp, { ...parameters, prompt: 'none' });
        expect(atRedirectUri(rp)(quiet.callback)).toBe(true);
        expect(quiet.callback.searchParams.get('code')).toBeNull();
        expect(quiet.callback.searchParams.get('error')).toBe('login_required');
      }
      const unknown = await authorizeWithoutIdp(browser, rp, { organization_id: randomUUID(), prompt: 'none' });
      expect(unknown.callback.searchParams.get('code')).toBeNull();
      expect(unknown.callback.searchParams.get('error')).toEqual(expect.any(String));
    });

    it('answers login_required for a deactivated user', async () => {
      const email = `off-${randomUUID().slice(0, 6)}@lifecycle-a.com`;
      const browser = await serviceSessionOnly(orgA, email);
      const me = await t.http.get('/api/v1/me').set('Cookie', browser.sessionCookie()!).expect(200);
      const sub = me.body.user.id as string;
      await t.http.post(`/api/v1/organizations/${orgA.id}/users/${sub}/deactivate`).set(t.platform).expect(200);
      const quiet = await authorizeWithoutIdp(browser, rp, { organization_id: orgA.id, prompt: 'none' });
      expect(quiet.callback.searchParams.get('code')).toBeNull();
      expect(quiet.callback.searchParams.get('error')).toBe('login_required');
    });
  });

  describe('deactivation', () => {
    async function signedInTokens(tenant: SsoTenant, email: string) {
      const { request, callback } = await signIn(new TestBrowser(t.baseUrl), rp, tenant, { email }, { organization_id: tenant.id, ...WITH_REFRESH });
      const tokens = await rp.redeem(callback, request);
      expect(tokens.refresh_token).toEqual(expect.any(String));
      const sub = tokens.claims()!.sub;
      // Everything works before.
      expect((await rp.introspect(tokens.access_token)).active).toBe(true);
      expect((await rp.userinfo(tokens.access_token, sub)).email).toBe(email);
      return { tokens, sub };
    }

    /** Refresh, introspection (access and refresh token) and userinfo all refuse, at once. */
    async function expectRefused(tokens: { access_token: string; refresh_token?: string }, sub: string) {
      expect((await rp.introspect(tokens.access_token)).active).toBe(false);
      expect((await rp.introspect(tokens.refresh_token!)).active).toBe(false);
      await expect(rp.userinfo(tokens.access_token, sub)).rejects.toBeDefined();
      await expect(rp.refresh(tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    }

    it('stops refresh, introspection and userinfo at once when the Users API deactivates the user', async () => {
      const { tokens, sub } = await signedInTokens(orgA, `dee-${randomUUID().slice(0, 6)}@lifecycle-a.com`);
      await t.http.post(`/api/v1/organizations/${orgA.id}/users/${sub}/deactivate`).set(t.platform).expect(200);
      await expectRefused(tokens, sub);
    });

    async function scimUser(email: string): Promise<string> {
      const created = await scim(t, orgB, 'post', '/Users', {
        schemas: [SCIM_USER],
        userName: email,
        name: { givenName: 'Sam', familyName: 'Scim' },
        emails: [{ value: email, type: 'work', primary: true }],
        active: true,
      }).expect(201);
      return created.body.id;
    }

    it('stops them at once when SCIM sets the user inactive', async () => {
      const email = `scim-${randomUUID().slice(0, 6)}@lifecycle-b.com`;
      const id = await scimUser(email);
      const { tokens, sub } = await signedInTokens(orgB, email);
      expect(sub).toBe(id);
      await scim(t, orgB, 'patch', `/Users/${id}`, patchOp({ op: 'replace', path: 'active', value: false })).expect(200);
      await expectRefused(tokens, sub);
    });

    it('stops them at once when SCIM deletes the user', async () => {
      const email = `gone-${randomUUID().slice(0, 6)}@lifecycle-b.com`;
      const id = await scimUser(email);
      const { tokens, sub } = await signedInTokens(orgB, email);
      await scim(t, orgB, 'delete', `/Users/${id}`).expect(204);
      await expectRefused(tokens, sub);
    });

    /** Signed in through the provider with a refresh token, and the browser's service session. */
    async function signedInWithSession(tenant: SsoTenant, email: string) {
      const browser = new TestBrowser(t.baseUrl);
      const { request, callback } = await signIn(browser, rp, tenant, { email }, { organization_id: tenant.id, ...WITH_REFRESH });
      const tokens = await rp.redeem(callback, request);
      const cookie = browser.sessionCookie()!;
      await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200);
      return { tokens, sub: tokens.claims()!.sub, cookie };
    }

    it('revives neither the tokens nor the service session when the Users API reactivates the user', async () => {
      const { tokens, sub, cookie } = await signedInWithSession(orgA, `back-${randomUUID().slice(0, 6)}@lifecycle-a.com`);
      await t.http.post(`/api/v1/organizations/${orgA.id}/users/${sub}/deactivate`).set(t.platform).expect(200);
      await t.http.post(`/api/v1/organizations/${orgA.id}/users/${sub}/activate`).set(t.platform).expect(200);
      await expectRefused(tokens, sub);
      await t.http.get('/api/v1/me').set('Cookie', cookie).expect(401);
    });

    it('revives none of them when SCIM sets the user active again', async () => {
      const email = `again-${randomUUID().slice(0, 6)}@lifecycle-b.com`;
      const id = await scimUser(email);
      const { tokens, sub, cookie } = await signedInWithSession(orgB, email);
      await scim(t, orgB, 'patch', `/Users/${id}`, patchOp({ op: 'replace', path: 'active', value: false })).expect(200);
      await scim(t, orgB, 'patch', `/Users/${id}`, patchOp({ op: 'replace', path: 'active', value: true })).expect(200);
      await expectRefused(tokens, sub);
      await t.http.get('/api/v1/me').set('Cookie', cookie).expect(401);
    });

    it('gives a deactivated user no code either, even with a live session', async () => {
      const email = `live-${randomUUID().slice(0, 6)}@lifecycle-a.com`;
      const browser = new TestBrowser(t.baseUrl);
      const first = await signIn(browser, rp, orgA, { email }, { organization_id: orgA.id });
      const sub = (await rp.redeem(first.callback, first.request)).claims()!.sub;
      await t.http.post(`/api/v1/organizations/${orgA.id}/users/${sub}/deactivate`).set(t.platform).expect(200);
      const quiet = await authorizeWithoutIdp(browser, rp, { organization_id: orgA.id, prompt: 'none' });
      expect(quiet.callback.searchParams.get('code')).toBeNull();
      expect(quiet.callback.searchParams.get('error')).toEqual(expect.any(String));
    });
  });

  describe('refresh tokens', () => {
    it('come with offline_access, without prompt=consent or any consent screen (the contract)', async () => {
      const { request, callback } = await signIn(new TestBrowser(t.baseUrl), rp, orgA, alice, { organization_id: orgA.id });
      expect(request.url.searchParams.get('scope')).toContain('offline_access');
      const tokens = await rp.redeem(callback, request);
      expect(tokens.refresh_token).toEqual(expect.any(String));
    });

    it('rotate on use: the new one works, the old one is refused, and its reuse ends the whole chain', async () => {
      const { request, callback } = await signIn(new TestBrowser(t.baseUrl), rp, orgA, alice, { organization_id: orgA.id, ...WITH_REFRESH });
      const tokens = await rp.redeem(callback, request);
      const second = await rp.refresh(tokens.refresh_token!);
      expect(second.refresh_token).toEqual(expect.any(String));
      expect(second.refresh_token).not.toBe(tokens.refresh_token);
      expect(second.claims()!.sub).toBe(tokens.claims()!.sub);
      expect((await rp.introspect(tokens.refresh_token!)).active).toBe(false);
      const third = await rp.refresh(second.refresh_token!);
      expect(third.refresh_token).toEqual(expect.any(String));
      expect((await rp.introspect(third.refresh_token!)).active).toBe(true);

      // A used one presented again (stolen, or replayed) is refused, and takes its successors with it.
      await expect(rp.refresh(tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      expect((await rp.introspect(third.refresh_token!)).active).toBe(false);
      await expect(rp.refresh(third.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    });

    it('come only with offline_access', async () => {
      const { request, callback } = await signIn(new TestBrowser(t.baseUrl), rp, orgA, alice, { organization_id: orgA.id, scope: 'openid email profile', ...WITH_REFRESH });
      const tokens = await rp.redeem(callback, request);
      expect(tokens.refresh_token).toBeUndefined();
    });
  });

  describe('end-session', () => {
    it("ends the service's session too: /api/v1/me is 401 with the old cookie, and the next authorization needs the IdP", async () => {
      const browser = new TestBrowser(t.baseUrl);
      const { request, callback } = await signIn(browser, rp, orgA, alice, { organization_id: orgA.id });
      const tokens = await rp.redeem(callback, request);
      const cookie = browser.sessionCookie()!;
      expect(cookie).not.toBeNull();
      await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200);

      const back = await endSession(browser, rp, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: SIGNED_OUT, state: 'bye-1' });
      expect(`${back.origin}${back.pathname}`).toBe(SIGNED_OUT);
      expect(back.searchParams.get('state')).toBe('bye-1');
      await t.http.get('/api/v1/me').set('Cookie', cookie).expect(401);

      const next = await authorizeWithoutIdp(browser, rp, { organization_id: orgA.id });
      expect(isAtIdp(next.callback)).toBe(true);
    });

    it('does not send the browser to an unregistered post-logout URI', async () => {
      const browser = new TestBrowser(t.baseUrl);
      const { request, callback } = await signIn(browser, rp, orgA, alice, { organization_id: orgA.id });
      const tokens = await rp.redeem(callback, request);
      const page = await browser.get(rp.endSessionUrl({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'https://evil.example.test/' }));
      expect(page.headers.get('location') ?? '').not.toContain('evil.example.test');
      expect(page.status).toBe(400);
    });
  });
});

// Two app instances need a PostgreSQL both can reach: the embedded database is one process's.
const onPostgres = basePostgresUrl() ? describe : describe.skip;

onPostgres('OpenID provider: two instances on one PostgreSQL behave as one', () => {
  let first: ListeningApp;
  let second: TestApp;
  let secondOrigin: string;
  let tenant: SsoTenant;
  let rp: RelyingParty;
  let rpOnSecond: RelyingParty;

  beforeAll(async () => {
    first = await startListeningApp();
    // Same PUBLIC_BASE_URL (the issuer), same keys from the environment, its own port.
    second = await first.startSibling();
    const port = await freeLoopbackPort();
    await second.app.listen(port, '127.0.0.1');
    secondOrigin = `http://127.0.0.1:${port}`;
    tenant = await createSsoTenant(first, 'organization');
    const client = (
      await first.http.post('/api/v1/oauth-clients').set(first.platform).send({ name: 'Two instances', redirectUris: [REDIRECT_URI] }).expect(201)
    ).body as RegisteredClient;
    rp = await RelyingParty.discover(first.baseUrl, client, REDIRECT_URI);
    rpOnSecond = await rp.via(secondOrigin);
  });
  afterAll(() => first.close());

  it('publishes the same discovery and keys on both', async () => {
    const discovery = async (origin: string) => (await fetch(`${origin}/.well-known/openid-configuration`)).json();
    const onSecond = await discovery(secondOrigin);
    expect(onSecond.issuer).toBe(first.baseUrl);
    expect(onSecond).toEqual(await discovery(first.baseUrl));
    const jwks = async (origin: string) => (await fetch(`${origin}/oidc/jwks`)).json();
    expect(await jwks(secondOrigin)).toEqual(await jwks(first.baseUrl));
  });

  it('redeems on the second instance a code the first one issued, and keeps refreshing and introspecting across them', async () => {
    const { request, callback } = await signIn(new TestBrowser(first.baseUrl), rp, tenant, { email: 'twin@example.com' }, { organization_id: tenant.id, ...WITH_REFRESH });
    const tokens = await rpOnSecond.redeem(callback, request);
    expect(tokens.claims()!.email).toBe('twin@example.com');
    expect((await rp.introspect(tokens.access_token)).active).toBe(true);
    const refreshed = await rp.refresh(tokens.refresh_token!);
    expect((await rpOnSecond.userinfo(refreshed.access_token, tokens.claims()!.sub)).email).toBe('twin@example.com');
    expect((await rpOnSecond.introspect(refreshed.refresh_token!)).active).toBe(true);
    // The rotated-out token is refused on the other instance too.
    await expect(rpOnSecond.refresh(tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // A second use of the code, on the other instance, is refused.
    expect(await rp.codeRequest(callback, request.verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('starts the authorization on one instance and finishes it on the other, through the SAML login', async () => {
    const browser = new TestBrowser(first.baseUrl);
    browser.instances.push(secondOrigin);
    browser.sendTo = secondOrigin;
    const request = await rp.authorizationRequest({ organization_id: tenant.id });
    const idp = await browser.follow(await browser.get(request.url), isAtIdp);
    expect(isAtIdp(idp)).toBe(true);
    // The IdP's answer, the interaction's end and the redirect to the app on the first instance.
    browser.sendTo = null;
    const callback = await browser.follow(await answerAtIdp(browser, idp, tenant, { email: 'twin@example.com' }), atRedirectUri(rp));
    expect(atRedirectUri(rp)(callback)).toBe(true);
    const tokens = await rpOnSecond.redeem(callback, request);
    expect(tokens.claims()!.tenant).toEqual({ type: 'organization', id: tenant.id });

    // The live session answers on the second instance too.
    browser.sendTo = secondOrigin;
    const quiet = await authorizeWithoutIdp(browser, rp, { organization_id: tenant.id, prompt: 'none' });
    expect(quiet.callback.searchParams.get('error')).toBeNull();
    expect(quiet.callback.searchParams.get('code')).toEqual(expect.any(String));
    await rpOnSecond.redeem(quiet.callback, quiet.request);
  });
});
