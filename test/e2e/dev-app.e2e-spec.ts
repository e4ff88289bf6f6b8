import { freeLoopbackPort } from '../../scripts/service-launcher';
import { RunningDevApp, startDevApp } from '../../scripts/dev-app/dev-app-server';
import { startListeningApp, ListeningApp } from '../helpers/listening-app';
import { answerAtIdp, isAtIdp, TestBrowser } from '../helpers/oidc-relying-party';
import { createSsoTenant, SsoTenant } from '../helpers/sso-tenant';

/** `npm run dev:app`'s app against the service: sign in through the provider and the test IdP, the claims shown, logout. */
describe('the example OpenID Connect app (npm run dev:app)', () => {
  let t: ListeningApp;
  let tenant: SsoTenant;
  let app: RunningDevApp;

  beforeAll(async () => {
    t = await startListeningApp();
    tenant = await createSsoTenant(t, 'organization');
    const port = await freeLoopbackPort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const client = (
      await t.http
        .post('/api/v1/oauth-clients')
        .set(t.platform)
        .send({ name: 'Dev app', redirectUris: [`${baseUrl}/callback`], postLogoutRedirectUris: [`${baseUrl}/`] })
        .expect(201)
    ).body;
    app = await startDevApp({ issuer: t.baseUrl, clientId: client.clientId, clientSecret: client.clientSecret, port, baseUrl });
  });
  afterAll(async () => {
    await app?.close();
    await t.close();
  });

  it('signs in, shows the ID token claims and userinfo, and logs out of the service too', async () => {
    const browser = new TestBrowser(t.baseUrl);
    const start = await browser.get(`${app.baseUrl}/login?organization_id=${tenant.id}`);
    const idp = await browser.follow(start, isAtIdp);
    expect(isAtIdp(idp)).toBe(true);
    const back = await browser.follow(await answerAtIdp(browser, idp, tenant, { email: 'devon@example.com', attributes: { 'User.FirstName': 'Devon', 'User.LastName': 'App' } }));
    expect(back.toString()).toMatch(new RegExp(`^${app.redirectUri}\\?`));
    const home = await browser.get(back);
    expect(home.status).toBe(302);
    const page = await browser.get(new URL(home.headers.get('location')!, app.baseUrl));
    const text = await page.text();
    expect(page.status).toBe(200);
    expect(text).toContain('Signed in as <strong>Devon App</strong>');
    expect(text).toContain('ID token claims');
    expect(text).toContain('devon@example.com');
    expect(text).toContain(`&quot;id&quot;:&quot;${tenant.id}&quot;`);
    const serviceCookie = browser.sessionCookie()!;
    await t.http.get('/api/v1/me').set('Cookie', serviceCookie).expect(200);

    const logout = await browser.postForm(`${app.baseUrl}/logout`, {});
    const confirm = await browser.get(logout.headers.get('location')!);
    const form = await confirm.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)![1];
    const action = /<form[^>]*action="([^"]+)"/.exec(form)![1];
    const returned = await browser.follow(await browser.postForm(action, { xsrf, logout: 'yes' }));
    expect(returned.toString()).toBe(app.postLogoutRedirectUri);
    expect(await (await browser.get(returned)).text()).toContain('Not signed in.');
    await t.http.get('/api/v1/me').set('Cookie', serviceCookie).expect(401);
  });

  it('shows the provider\'s refusal instead of signing in', async () => {
    const browser = new TestBrowser(t.baseUrl);
    const back = await browser.follow(await browser.get(`${app.baseUrl}/login?organization_id=00000000-0000-4000-8000-000000000000`));
    const home = await browser.get(back);
    const page = await (await browser.get(new URL(home.headers.get('location')!, app.baseUrl))).text();
    expect(page).toContain('access_denied');
    expect(page).toContain('Not signed in.');
  });
});
