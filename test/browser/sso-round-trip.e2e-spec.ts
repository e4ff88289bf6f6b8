import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RunningDevIdp, startDevIdp } from '../../scripts/dev-idp/dev-idp-server';
import { collectPageProblems, describeInBrowser, launchChromium, saveScreenshot, signInToSettings } from '../helpers/browser';
import { ListeningApp, startListeningApp } from '../helpers/listening-app';
import { bearer } from '../helpers/test-app';
import { createPartnerWithOrganization, TenantFixture } from '../helpers/tenants';

/**
 * The whole SSO flow in a browser, against the dev IdP (auth0's samlp) for both kinds of tenant:
 * the administrator's "Test sign-in", users signing in through /login with the IdP's login form and
 * landing on returnTo with the role their groups give them, single logout, and a refused sign-in
 * explained in the settings. The settings are made through the API here; admin-pages.e2e-spec.ts
 * makes them through the pages.
 */
describeInBrowser('SSO sign-in round trip with the dev IdP', () => {
  let app: ListeningApp;
  let tenants: TenantFixture;
  let browser: Browser;
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'sso-round-trip-'));
    [app, browser] = await Promise.all([startListeningApp(), launchChromium()]);
    tenants = await createPartnerWithOrganization(app, 'Round Trip');
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  const kinds = [
    { kind: 'organization', id: () => tenants.organization.id, key: () => tenants.organizationKey, domain: 'round-trip-org.example.com' },
    { kind: 'partner', id: () => tenants.partner.id, key: () => tenants.partnerKey, domain: 'round-trip-partner.example.com' },
  ] as const;

  describe.each(kinds)('for a $kind', ({ kind, id, key, domain }) => {
    let idp: RunningDevIdp;
    let adminContext: BrowserContext;
    let settingsPage: Page;
    let problems: string[];
    const api = () => `/api/v1/${kind}s/${id()}/sso`;
    const tenantName = () => `Round Trip ${kind === 'organization' ? 'Org' : 'Partner'}`;

    /** On the dev IdP's login form: picks the user and signs in (the IdP then posts to the ACS). */
    async function signInAtIdp(page: Page, userName: string): Promise<void> {
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByRole('radio', { name: new RegExp(userName) }).check();
      await page.getByRole('button', { name: 'Sign in' }).click();
    }

    /** A fresh browser profile (no cookies) that signs in through /login. */
    async function signInThroughLoginPage(email: string, userName: string, returnTo: string): Promise<{ context: BrowserContext; page: Page }> {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${app.baseUrl}/login?returnTo=${encodeURIComponent(returnTo)}`);
      await page.getByLabel('Work email').fill(email);
      await page.getByRole('button', { name: 'Continue' }).click();
      await signInAtIdp(page, userName);
      await page.waitForURL(`${app.baseUrl}${returnTo}`);
      return { context, page };
    }

    beforeAll(async () => {
      idp = await startDevIdp({ port: 0, dataDir: join(workDir, kind), emailDomain: domain });
      const credential = bearer(key());
      await app.http.post(`${api()}/enable`).set(credential).expect(200);
      const metadataXml = await (await fetch(idp.metadataUrl)).text();
      await app.http.put(`${api()}/identity-provider`).set(credential).send({ metadataXml }).expect(200);
      await app.http
        .patch(api())
        .set(credential)
        .send({
          roleMapping: [
            { group: 'sso-admins', role: 'admin' },
            { group: 'contractors', role: 'viewer' },
          ],
          domains: [domain],
          enforceSso: true,
        })
        .expect(200);
      await app.http.post(`/api/v1/${kind}s/${id()}/domains/${domain}/verify`).set(app.platform).send({ method: 'manual' }).expect(200);
      adminContext = await browser.newContext();
      settingsPage = await adminContext.newPage();
      problems = collectPageProblems(settingsPage);
      await signInToSettings(settingsPage, app.baseUrl, { kind, id: id(), apiKey: key() });
    });
    afterAll(async () => {
      await adminContext?.close();
      await idp?.close();
    });

    it('runs "Test sign-in" in a new window and reports who signed in, with which role', async () => {
      const [testWindow] = await Promise.all([adminContext.waitForEvent('page'), settingsPage.getByRole('button', { name: 'Test sign-in' }).click()]);
      await testWindow.getByRole('heading', { name: 'Sign in' }).waitFor();
      await saveScreenshot(testWindow, `${kind}-round-trip-1-dev-idp-login`);
      await signInAtIdp(testWindow, 'Ada Admin');
      await testWindow.waitForURL(`${app.baseUrl}/admin/test-result`);
      await testWindow.locator('#result.success').waitFor();
      await saveScreenshot(testWindow, `${kind}-round-trip-2-test-result`);

      const result = settingsPage.locator('#test-sign-in-result.success');
      await result.waitFor();
      expect(await result.textContent()).toContain(`Ada Admin (ada.admin@${domain}) signed in to ${tenantName()} with the role admin`);
      expect(await testWindow.locator('#result').textContent()).toContain(`in the ${kind} ${tenantName()}`);
      await settingsPage.locator('#attempts-table tbody tr.success', { hasText: `ada.admin@${domain}` }).waitFor();
      await saveScreenshot(settingsPage, `${kind}-round-trip-3-test-reported`);
    });

    it('signs a user in through /login and the IdP form, landing on returnTo with the role from their groups', async () => {
      const { context, page } = await signInThroughLoginPage(`vera.viewer@${domain}`, 'Vera Viewer', '/app');
      try {
        await page.locator('#signed-in-user').waitFor();
        expect(await page.locator('[data-user="email"]').textContent()).toBe(`vera.viewer@${domain}`);
        expect(await page.locator('[data-user="role"]').textContent()).toBe('viewer');
        expect(await page.locator('[data-user="groups"]').textContent()).toBe('contractors');
        expect(await page.locator('[data-user="tenant"]').textContent()).toBe(tenantName());
        expect(await page.getByRole('link', { name: 'Manage single sign-on' }).count()).toBe(0);
        await saveScreenshot(page, `${kind}-round-trip-4-viewer-landed`);
      } finally {
        await context.close();
      }
    });

    it('lets an administrator who signed in by SSO manage the settings, and signs out through the IdP', async () => {
      const { context, page } = await signInThroughLoginPage(`ada.admin@${domain}`, 'Ada Admin', '/admin');
      try {
        if (kind === 'partner') {
          // A partner's administrator lands on the partner's organizations, its session managing them too.
          await page.locator('#organization-list .organization').first().waitFor();
          await saveScreenshot(page, `${kind}-round-trip-5a-organizations-by-sso`);
          await page.locator('#partner-own-settings').click();
        }
        await page.locator('#settings-title:focus').waitFor();
        expect(await page.locator('#session-label').textContent()).toBe(`Signed in as ada.admin@${domain}`);
        expect(await page.locator('#status-badge').textContent()).toBe('Active');
        await saveScreenshot(page, `${kind}-round-trip-5-admin-by-sso`);

        await page.getByRole('button', { name: 'Sign out' }).click();
        // The IdP's signed LogoutResponse comes back to the SLO endpoint, which says how the logout ended.
        await page.waitForURL(`${app.baseUrl}/saml/${kind}/${id()}/slo`);
        await page.getByText('You are signed out of this service and of your identity provider.').waitFor();
        await saveScreenshot(page, `${kind}-round-trip-5b-signed-out`);
        await page.goto(`${app.baseUrl}/app`);
        await page.getByText('You are not signed in.').waitFor();
      } finally {
        await context.close();
      }
    });

    it('explains a refused sign-in in words in the recent attempts, under the reference the user was shown', async () => {
      await app.http.patch(api()).set(bearer(key())).send({ allowIdpInitiated: false }).expect(200);
      const context = await browser.newContext();
      let reference: string | null;
      try {
        const page = await context.newPage();
        await page.goto(idp.baseUrl);
        await page.getByLabel('Service provider entity ID (audience)').fill(`${app.baseUrl}/saml/${kind}/${id()}/metadata`);
        await page.getByRole('radio', { name: /Max Member/ }).check();
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL(`${app.baseUrl}/saml/${kind}/${id()}/acs`);
        reference = await page.locator('#reference').textContent();
      } finally {
        await context.close();
      }

      await settingsPage.getByRole('button', { name: 'Refresh the sign-in attempts' }).click();
      const refused = settingsPage.locator('#attempts-table tbody tr.failure').first();
      await refused.waitFor();
      expect(await refused.textContent()).toContain('The sign-in started at the identity provider');
      expect(reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
      expect(await refused.textContent()).toContain(reference);
      await saveScreenshot(settingsPage, `${kind}-round-trip-6-refused-attempt`);
    });

    it('reports a failed "Test sign-in" with what to fix', async () => {
      await app.http.patch(api()).set(bearer(key())).send({ allowedEmailDomains: ['elsewhere.example.test'] }).expect(200);
      const [testWindow] = await Promise.all([adminContext.waitForEvent('page'), settingsPage.getByRole('button', { name: 'Test sign-in' }).click()]);
      await signInAtIdp(testWindow, 'Max Member');
      const result = settingsPage.locator('#test-sign-in-result.failure');
      await result.waitFor();
      expect(await result.textContent()).toContain("The user's email domain is not one of the allowed email domains");
      expect(await result.getByRole('link', { name: 'Go to Advanced' }).getAttribute('href')).toBe('#advanced-title');
      await saveScreenshot(settingsPage, `${kind}-round-trip-7-test-failed`);
      expect(problems).toEqual([]);
    });
  });
});
