import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { metadataFixture } from '../fixtures/metadata';
import { collectPageProblems, describeInBrowser, launchChromium, saveScreenshot, signInToSettings } from '../helpers/browser';
import { ListeningApp, startListeningApp } from '../helpers/listening-app';
import { bearer } from '../helpers/test-app';
import { testCredential } from '../helpers/test-credentials';
import { createTestResponse, IDP_ENTITY_ID } from '../helpers/test-idp';
import { createPartnerWithOrganization, TenantFixture } from '../helpers/tenants';

const PHONE = { width: 390, height: 844 };
/** Just wide enough for the lists' tables rather than their cards. */
const TABLET = { width: 780, height: 1024 };
/** What a page must never show a person: the API's names of fields and class-validator's sentences. */
const API_WORDS = /metadataXml|metadataUrl|entityId|ssoUrl|sloUrl|roleMapping|defaultRole|attributeMapping|clockSkewSeconds|allowedEmailDomains|should not|must be one of|ECONN/;

/**
 * The settings pages speak to a person: problems at their fields in words, the sign-in history with
 * filters and references, the audit log in sentences, pages that fit a phone, and signing out that
 * stays signed out. Screenshots in test-artifacts/screenshots/words-*.png.
 */
describeInBrowser('plain words and useful history in the settings pages', () => {
  let app: ListeningApp;
  let tenants: TenantFixture;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let metadataServer: Server;
  const api = () => `/api/v1/organizations/${tenants.organization.id}/sso`;
  const tenant = () => ({ kind: 'organization' as const, id: tenants.organization.id, apiKey: tenants.organizationKey });
  /** The words shown for the control's problem (aria-describedby names the error's element). */
  const problemOf = async (controlId: string) =>
    page.evaluate((id) => {
      const control = document.getElementById(id)!;
      const errorIds = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((name) => name.startsWith('field-error-'));
      return control.getAttribute('aria-invalid') === 'true' ? errorIds.map((name) => document.getElementById(name)?.textContent ?? '').join(' ') : null;
    }, controlId);
  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? null);

  beforeAll(async () => {
    metadataServer = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/xml' }).end(metadataFixture('okta.xml')));
    await new Promise<void>((resolve) => metadataServer.listen(0, '127.0.0.1', resolve));
    [app, browser] = await Promise.all([startListeningApp({ ALLOW_HTTP_METADATA_URLS: 'true', ALLOW_PRIVATE_METADATA_HOSTS: 'true' }), launchChromium()]);
    tenants = await createPartnerWithOrganization(app, 'Words');
    await app.http.post(`${api()}/enable`).set(bearer(tenants.organizationKey)).expect(200);
    context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.baseUrl });
    page = await context.newPage();
    problems = collectPageProblems(page);
    await signInToSettings(page, app.baseUrl, tenant());
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
    await new Promise((resolve) => metadataServer?.close(resolve));
  });

  describe('problems, at their fields and in words', () => {
    it('draws no focus box on the heading that takes focus at load', async () => {
      // A fresh load (the API key is kept in the tab): no click or key press came before the focus.
      await page.reload();
      await page.locator('#settings-title:focus').waitFor();
      const outline = await page.locator('#settings-title').evaluate((heading) => getComputedStyle(heading).outlineStyle);
      expect(outline).toBe('none');
    });

    it('shows a wrong input at every field of the manual identity provider at once, each at its field', async () => {
      await page.getByLabel('Enter the details by hand').check();
      await page.getByLabel(/^Identity provider entity ID/).fill('has spaces in it');
      await page.getByLabel('Single sign-on URL', { exact: true }).fill('ftp://idp.example.com/sso');
      await page.getByLabel(/^Signing certificate/).fill('not a certificate');
      await page.getByLabel(/^Single logout URL/).fill('logout please');
      await page.getByRole('button', { name: 'Save identity provider' }).click();
      await page.locator('#idp-manual-form .field-error').nth(3).waitFor();

      const shown = {
        entityId: await problemOf('idp-entity-id'),
        ssoUrl: await problemOf('idp-sso-url'),
        certificate: await problemOf('idp-certificate'),
        sloUrl: await problemOf('idp-slo-url'),
      };
      expect(shown.entityId).toContain("Enter the identity provider's entity ID in “Identity provider entity ID”");
      expect(shown.ssoUrl).toBe('Enter a full web address in “Single sign-on URL”, starting with https://, without spaces.');
      expect(shown.certificate).toContain('This is not a certificate.');
      expect(shown.sloUrl).toBe('Enter a full web address in “Single logout URL”, starting with https://, without spaces.');
      for (const words of Object.values(shown)) expect(words).not.toMatch(API_WORDS);
      expect(await page.locator('#idp-manual-form [data-form-error]').isVisible()).toBe(false);
      expect(await focusedId()).toBe('idp-entity-id');
      await saveScreenshot(page, 'words-1-manual-idp-errors');
    });

    it('says what is wrong with pasted metadata and a metadata URL in words', async () => {
      await page.getByLabel('Paste metadata XML').check();
      await page.getByRole('button', { name: 'Save metadata' }).click();
      await page.locator('#idp-paste-form .field-error').waitFor();
      expect(await problemOf('idp-metadata-xml')).toBe('Paste the metadata your identity provider exported.');

      await page.getByLabel('Metadata XML', { exact: true }).fill('<html>not metadata</html>');
      await page.getByRole('button', { name: 'Save metadata' }).click();
      await page.locator('#idp-paste-form .field-error', { hasText: 'not SAML metadata' }).waitFor();
      expect(await problemOf('idp-metadata-xml')).not.toMatch(API_WORDS);

      await page.getByRole('radio', { name: 'Metadata URL' }).check();
      await page.locator('#idp-metadata-url').fill('idp.example.com/metadata');
      await page.getByRole('button', { name: 'Fetch metadata' }).click();
      await page.locator('#idp-url-form .field-error').waitFor();
      expect(await problemOf('idp-metadata-url')).toMatch(/^Enter the full address|Enter a full web address in “Metadata URL”/);
      await saveScreenshot(page, 'words-2-metadata-errors');
    });

    it('explains a failed metadata refresh in words, not with the network code', async () => {
      const url = `http://127.0.0.1:${(metadataServer.address() as AddressInfo).port}/metadata.xml`;
      await page.locator('#idp-metadata-url').fill(url);
      await page.getByRole('button', { name: 'Fetch metadata' }).click();
      await page.locator('#status-badge', { hasText: 'Active' }).waitFor();
      await new Promise((resolve) => metadataServer.close(resolve));

      await page.getByRole('button', { name: 'Fetch the metadata again now' }).click();
      const failure = page.locator('#idp-refresh-failure');
      await failure.waitFor();
      const words = await failure.textContent();
      expect(words).toContain("the IdP's metadata URL did not answer: its server refused the connection.");
      expect(words).toContain('Until it works again, the configuration above stays in use.');
      expect(words).not.toMatch(/ECONNREFUSED|\d{4}-\d\d-\d\dT/);
      await saveScreenshot(page, 'words-3-refresh-failed');
    });

    it('shows a wrong input at every field of the roles form at once, in words', async () => {
      await page.getByRole('button', { name: 'Add a group' }).click();
      await page.getByRole('button', { name: 'Add a group' }).click();
      await page.locator('#role-rows tr').nth(1).locator('input').fill('contractors');
      // The page offers only valid roles: values it cannot produce are put in as a tampered page would.
      await page.evaluate(() => {
        for (const select of [document.querySelector<HTMLSelectElement>('#role-rows tr:nth-child(2) select')!, document.querySelector<HTMLSelectElement>('#default-role')!]) {
          select.append(new Option('Owner', 'owner'));
          select.value = 'owner';
        }
      });
      await page.getByRole('button', { name: 'Save roles and provisioning' }).click();
      await page.locator('#roles-form .field-error').nth(2).waitFor();

      const firstGroup = await page.locator('#role-rows tr').nth(0).locator('input').getAttribute('id');
      const secondRole = await page.locator('#role-rows tr').nth(1).locator('select').getAttribute('id');
      expect(await problemOf(firstGroup!)).toBe('Fill in “Group, row 1”.');
      expect(await problemOf(secondRole!)).toBe('Choose one of the offered values for “Role for contractors”.');
      expect(await problemOf('default-role')).toBe('Choose one of the offered values for “Default role”.');
      expect(await page.locator('#roles-form').textContent()).not.toMatch(API_WORDS);
      expect(await focusedId()).toBe(firstGroup);
      await saveScreenshot(page, 'words-4-roles-errors');
      await page.getByRole('button', { name: /^Remove row 1/ }).click();
      await page.getByRole('button', { name: 'Remove contractors' }).click();
      await page.locator('#default-role').selectOption('member');
    });

    it('shows a wrong input at every field of the attribute mapping and the advanced settings at once', async () => {
      await page.locator('#attribute-email').fill('');
      await page.locator('#attribute-groups').fill('');
      await page.getByRole('button', { name: 'Save attribute mapping' }).click();
      await page.locator('#attributes-form .field-error').nth(1).waitFor();
      expect(await problemOf('attribute-email')).toBe('Fill in “Email”.');
      expect(await problemOf('attribute-groups')).toBe('Fill in “Groups”.');
      await page.getByRole('button', { name: 'Fill in the defaults' }).click();

      await page.getByLabel('Allowed email domains').fill('not a domain!');
      await page.getByLabel('Allowed clock skew, in seconds').fill('-5');
      await page.getByRole('button', { name: 'Save advanced settings' }).click();
      await page.locator('#advanced-form .field-error').nth(1).waitFor();
      expect(await problemOf('allowed-email-domains')).toContain('must hold domain names such as example.com');
      expect(await problemOf('clock-skew')).toBe('“Allowed clock skew, in seconds” is too small: enter a number from 0 to 600.');
      expect(await page.locator('#advanced-form').textContent()).not.toMatch(API_WORDS);
      await saveScreenshot(page, 'words-5-advanced-errors');
      await page.getByLabel('Allowed email domains').fill('');
      await page.getByLabel('Allowed clock skew, in seconds').fill('120');
    });

    it('keeps the copied field its width when the copy button says "Copied"', async () => {
      const field = page.getByLabel(/^ACS URL/);
      const before = await field.boundingBox();
      await page.getByRole('button', { name: 'Copy the ACS URL' }).click();
      await page.getByRole('button', { name: 'Copy the ACS URL' }).filter({ hasText: 'Copied' }).waitFor();
      expect((await field.boundingBox())?.width).toBe(before?.width);
    });
  });

  describe('the sign-in history', () => {
    let reference: string;

    beforeAll(async () => {
      // The test IdP of the API tests, so that sign-ins can be posted to the ACS from here.
      await app.http
        .put(`${api()}/identity-provider`)
        .set(bearer(tenants.organizationKey))
        .send({ entityId: IDP_ENTITY_ID, ssoUrl: 'https://idp.example.test/sso', certificate: testCredential('idp').certificatePem })
        .expect(200);
      await app.http.patch(api()).set(bearer(tenants.organizationKey)).send({ defaultRole: 'admin' }).expect(200);
      const settings = (await app.http.get(api()).set(bearer(tenants.organizationKey)).expect(200)).body;
      const respond = (extra: Parameters<typeof createTestResponse>[0]) =>
        createTestResponse({ audiences: [[settings.serviceProvider.entityId]], recipient: settings.serviceProvider.acsUrl, destination: settings.serviceProvider.acsUrl, ...extra });
      const acs = new URL(settings.serviceProvider.acsUrl).pathname;
      await app.http.post(acs).type('form').send({ SAMLResponse: (await respond({ nameId: 'ada@words.example' })).base64 }).expect(302);
      const refused = await app.http.post(acs).type('form').send({ SAMLResponse: (await respond({ audiences: [['https://elsewhere.example']] })).base64 }).expect(400);
      reference = /<code id="reference">([^<]*)<\/code>/.exec(refused.text)![1];
    });

    it("finds the attempt of the reference a user's error page showed, and links to what to change", async () => {
      await page.getByRole('button', { name: 'Refresh the sign-in attempts' }).click();
      await page.locator('#attempts-table tbody tr').nth(1).waitFor();
      await page.getByLabel('Reference').fill(reference.toLowerCase());
      await page.getByRole('button', { name: 'Show' }).click();
      await page.locator('#attempts-table tbody tr').nth(1).waitFor({ state: 'detached' });
      const row = page.locator('#attempts-table tbody tr');
      expect(await row.getAttribute('data-reference')).toBe(reference);
      expect(await row.textContent()).toContain('The assertion was meant for another application');
      const fix = row.getByRole('link', { name: 'Go to Service provider details' });
      expect(await fix.getAttribute('href')).toBe('#sp-title');
      await saveScreenshot(page, 'words-6-attempt-by-reference');
    });

    it('filters by outcome and shows the role a sign-in granted', async () => {
      await page.getByRole('button', { name: 'Clear the filters' }).click();
      await page.getByLabel('Result').selectOption('success');
      await page.getByRole('button', { name: 'Show' }).click();
      const row = page.locator('#attempts-table tbody tr.success', { hasText: 'ada@words.example' });
      await row.waitFor();
      expect(await page.locator('#attempts-table tbody tr.failure').count()).toBe(0);
      expect(await row.locator('td[data-label="Role"]').textContent()).toBe('Admin');
      expect(await row.locator('td[data-label="Kind"]').textContent()).toBe('Real');

      await page.getByLabel('Kind').selectOption('true');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.getByText('No sign-in attempt matches these filters.').waitFor();
      await page.getByRole('button', { name: 'Clear the filters' }).click();
      await page.locator('#attempts-table tbody tr').nth(1).waitFor();
    });

    it('tells the audit log in sentences that name who did it', async () => {
      await page.getByRole('button', { name: 'Refresh the audit log' }).click();
      const audit = page.locator('#audit-table tbody');
      await audit.getByText('The API key “org key” changed the default role from Member to Admin.').waitFor();
      expect(await audit.textContent()).toContain('The API key “org key” turned single sign-on on and created the service provider keys.');
      expect(await audit.textContent()).toContain('The API key “org key” set the identity provider from its metadata URL');
    });

    it.each([PHONE, TABLET])('fits a $width px wide screen: no sideways scrolling of the page or of a list', async (viewport) => {
      await page.setViewportSize(viewport);
      await page.locator('#attempts-table thead').waitFor({ state: viewport === PHONE ? 'hidden' : 'visible' });
      const overflow = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        wider: Array.from(document.querySelectorAll('main *'))
          .filter((node) => node.getBoundingClientRect().right > window.innerWidth + 1)
          .map((node) => node.outerHTML.slice(0, 80)),
        scrollAreas: Array.from(document.querySelectorAll('.table-scroll')).filter((area) => area.scrollWidth > area.clientWidth + 1).length,
      }));
      expect(overflow).toEqual({ page: viewport.width, wider: [], scrollAreas: 0 });
      await saveScreenshot(page, `words-7-${viewport.width}px`);
      await page.setViewportSize({ width: 1280, height: 900 });
    });
  });

  describe('small things', () => {
    it('shows both missing fields of the sign-in form at once', async () => {
      const fresh = await browser.newPage();
      try {
        await fresh.goto(`${app.baseUrl}/admin`);
        await fresh.getByRole('button', { name: 'Sign in' }).click();
        await fresh.locator('#sign-in-form .field-error').nth(1).waitFor();
        expect(await fresh.locator('#sign-in-form .field-error').allTextContents()).toEqual(['Enter the ID of the organization.', 'Enter an API key.']);
        expect(await fresh.evaluate(() => document.activeElement?.id)).toBe('tenant-id');
      } finally {
        await fresh.close();
      }
    });

    it('does not sign in again as the SSO user of a test sign-in after signing out of an API-key session', async () => {
      // A test sign-in in this browser left the SSO session cookie of its user (an admin here).
      const settings = (await app.http.get(api()).set(bearer(tenants.organizationKey)).expect(200)).body;
      const signedIn = await app.http
        .post(new URL(settings.serviceProvider.acsUrl).pathname)
        .type('form')
        .send({
          SAMLResponse: (
            await createTestResponse({
              audiences: [[settings.serviceProvider.entityId]],
              recipient: settings.serviceProvider.acsUrl,
              destination: settings.serviceProvider.acsUrl,
              nameId: 'tess.tester@words.example',
            })
          ).base64,
        })
        .expect(302);
      const [name, value] = (signedIn.headers['set-cookie'] as unknown as string[]).find((cookie) => cookie.startsWith('sso_session='))!.split(';')[0].split('=');
      await context.addCookies([{ name, value, url: app.baseUrl, httpOnly: true, sameSite: 'Lax' }]);

      await page.goto(`${app.baseUrl}/admin`);
      await page.locator('#settings-title:focus').waitFor();
      expect(await page.locator('#session-label').textContent()).toBe('Signed in with an API key');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to manage single sign-on' }).waitFor();
      expect(await page.locator('#sign-in-note').textContent()).toContain('This browser is still signed in with single sign-on as tess.tester@words.example');
      expect(await page.locator('#settings').isVisible()).toBe(false);
      await saveScreenshot(page, 'words-8-signed-out');

      await page.getByRole('button', { name: 'Continue as tess.tester@words.example' }).click();
      await page.locator('#settings-title:focus').waitFor();
      expect(await page.locator('#session-label').textContent()).toBe('Signed in as tess.tester@words.example');
    });

    it('names the tenant on /app, and gives /login the product header', async () => {
      await page.goto(`${app.baseUrl}/app`);
      await page.locator('#signed-in-user').waitFor();
      expect(await page.locator('[data-user="tenant"]').textContent()).toBe('Words Org');
      await page.goto(`${app.baseUrl}/login`);
      expect(await page.locator('header.top-bar .product').textContent()).toBe('Single sign-on');
    });

    it('answers an unknown page with an HTML page for the browser', async () => {
      const response = await page.goto(`${app.baseUrl}/settings/sso`);
      expect(response?.status()).toBe(404);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      expect(await page.locator('header.top-bar').count()).toBe(1);
      await saveScreenshot(page, 'words-9-not-found');
    });

    it('has not run into a script error or a Content-Security-Policy refusal', () => {
      expect(problems).toEqual([]);
    });
  });
});
