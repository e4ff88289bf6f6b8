import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RunningDevIdp, startDevIdp } from '../../scripts/dev-idp/dev-idp-server';
import { metadataFixture } from '../fixtures/metadata';
import { collectPageProblems, describeInBrowser, launchChromium, saveScreenshot } from '../helpers/browser';
import { TestDnsServer } from '../helpers/dns-server';
import { ListeningApp, startListeningApp } from '../helpers/listening-app';
import { bearer } from '../helpers/test-app';
import { createPartnerWithOrganization, TenantFixture } from '../helpers/tenants';

const PHONE_VIEWPORT = { width: 375, height: 812 };

/**
 * What an administrator does in the SSO settings pages before any SAML message flows, for both kinds
 * of tenant. The sign-in itself (Test sign-in, and a user signing in through /login with the dev
 * IdP's form) is in sso-round-trip.e2e-spec.ts.
 */
describeInBrowser('SSO settings pages in a browser', () => {
  let app: ListeningApp;
  let tenants: TenantFixture;
  let idp: RunningDevIdp;
  let browser: Browser;
  let workDir: string;
  let idpMetadataFile: string;
  let expiredCertificateMetadataFile: string;
  let dns: TestDnsServer;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'admin-pages-'));
    dns = await TestDnsServer.start();
    [app, idp, browser] = await Promise.all([
      startListeningApp({ DNS_SERVERS: dns.address }),
      startDevIdp({ port: 0, dataDir: workDir }),
      launchChromium(),
    ]);
    tenants = await createPartnerWithOrganization(app, 'Browser');
    idpMetadataFile = join(workDir, 'dev-idp-metadata.xml');
    writeFileSync(idpMetadataFile, await (await fetch(idp.metadataUrl)).text());
    expiredCertificateMetadataFile = join(workDir, 'expired-certificate-metadata.xml');
    writeFileSync(expiredCertificateMetadataFile, metadataFixture('invalid/expired-cert.xml'));
  });
  afterAll(async () => {
    await browser?.close();
    await idp?.close();
    await dns?.stop();
    await app?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  const kinds = [
    {
      kind: 'organization',
      breadcrumb: 'Organizational Settings › SSO',
      choice: 'Organization (client portal)',
      id: () => tenants.organization.id,
      key: () => tenants.organizationKey,
      domain: 'browser-org.example.com',
    },
    {
      kind: 'partner',
      breadcrumb: 'Browser Partner › Single sign-on',
      choice: 'Partner (partner portal)',
      id: () => tenants.partner.id,
      key: () => tenants.partnerKey,
      domain: 'browser-partner.example.com',
    },
  ] as const;

  describe.each(kinds)('for a $kind', ({ kind, breadcrumb, choice, id, key, domain }) => {
    let context: BrowserContext;
    let page: Page;
    let problems: string[];
    const api = () => `/api/v1/${kind}s/${id()}/sso`;
    const spBase = () => `${app.baseUrl}/saml/${kind}/${id()}`;
    const focusedId = () => page.evaluate(() => document.activeElement?.id ?? null);
    const fieldError = (fieldId: string) => page.locator(`#${fieldId} ~ .field-error`);

    beforeAll(async () => {
      context = await browser.newContext();
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.baseUrl });
      page = await context.newPage();
      problems = collectPageProblems(page);
    });
    afterAll(async () => {
      await context.close();
    });

    it('signs the administrator in with an API key and offers to turn SSO on', async () => {
      await page.goto(`${app.baseUrl}/admin`);
      await page.getByRole('heading', { name: 'Sign in to manage single sign-on' }).waitFor();
      expect(await page.locator('#session-bar').isVisible()).toBe(false);
      await saveScreenshot(page, `${kind}-0-sign-in`);
      await page.getByLabel(choice).check();
      await page.getByLabel('Organization or partner ID').fill(id());
      await page.getByLabel('API key', { exact: true }).fill(key());
      await page.getByRole('button', { name: 'Sign in' }).click();
      // A partner lands on its organizations (partner-portal.e2e-spec.ts); its own settings are a click away.
      if (kind === 'partner') await page.getByRole('link', { name: 'Single sign-on of Browser Partner itself' }).click();

      await page.getByRole('heading', { name: 'Single sign-on is off' }).waitFor();
      expect(await page.locator('#breadcrumb').textContent()).toBe(breadcrumb);
      expect(await page.locator('#settings-title').textContent()).toBe(`Single sign-on for Browser ${kind === 'organization' ? 'Org' : 'Partner'}`);
      await page.locator('#settings-title:focus').waitFor();
      await saveScreenshot(page, `${kind}-1-sso-off`);
    });

    it('turns SSO on and gives the ACS URL and Entity ID, in their fields and through the copy buttons', async () => {
      await page.getByRole('button', { name: 'Turn on single sign-on' }).click();
      await page.locator('#status-badge', { hasText: 'Waiting for the identity provider' }).waitFor();
      expect(await focusedId()).toBe('sp-title');

      expect(await page.getByLabel(/^ACS URL/).inputValue()).toBe(`${spBase()}/acs`);
      expect(await page.getByLabel(/^Entity ID/).inputValue()).toBe(`${spBase()}/metadata`);
      expect(await page.getByLabel(/^Metadata URL/).first().inputValue()).toBe(`${spBase()}/metadata`);
      expect(await page.getByLabel(/^Sign-in link/).inputValue()).toBe(`${spBase()}/login`);

      await page.getByRole('button', { name: 'Copy the ACS URL' }).click();
      await page.getByRole('button', { name: 'Copy the ACS URL' }).filter({ hasText: 'Copied' }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${spBase()}/acs`);
      await page.getByRole('button', { name: 'Copy the Entity ID' }).click();
      await page.getByRole('button', { name: 'Copy the Entity ID' }).filter({ hasText: 'Copied' }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${spBase()}/metadata`);
      await saveScreenshot(page, `${kind}-2-service-provider`);
    });

    it('shows what is wrong with bad metadata at the field, pasted or uploaded', async () => {
      await page.getByLabel('Paste metadata XML').check();
      await page.getByLabel('Metadata XML', { exact: true }).fill('this is not xml');
      await page.getByRole('button', { name: 'Save metadata' }).click();
      await fieldError('idp-metadata-xml').waitFor();
      expect(await page.getByLabel('Metadata XML', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      expect(await focusedId()).toBe('idp-metadata-xml');
      await saveScreenshot(page, `${kind}-3-bad-metadata`);

      await page.getByLabel('Upload a metadata file').check();
      await page.getByLabel('Metadata file', { exact: true }).setInputFiles(expiredCertificateMetadataFile);
      await page.getByRole('button', { name: 'Upload metadata' }).click();
      await fieldError('idp-metadata-file').waitFor();
      expect(await fieldError('idp-metadata-file').textContent()).toMatch(/expired/i);
      expect(await focusedId()).toBe('idp-metadata-file');
    });

    it("uploads the dev IdP's metadata and shows what the service understood", async () => {
      await page.getByLabel('Metadata file', { exact: true }).setInputFiles(idpMetadataFile);
      await page.getByRole('button', { name: 'Upload metadata' }).click();
      await page.locator('#status-badge', { hasText: 'Active' }).waitFor();
      const details = await page.locator('#idp-details').textContent();
      expect(details).toContain(idp.entityId);
      expect(details).toContain(`${idp.baseUrl}/sso`);
      expect(await page.locator('.certificate').textContent()).toContain('SSO service dev IdP');
      expect(await page.locator('.certificate .warning').count()).toBe(0);
      expect(await fieldError('idp-metadata-file').count()).toBe(0);
      await saveScreenshot(page, `${kind}-4-identity-provider`);
    });

    it('maps the group "sso-admins" to the admin role', async () => {
      await page.getByRole('button', { name: 'Add a group' }).click();
      expect(await focusedId()).toMatch(/^role-group-/);
      await page.keyboard.type('sso-admins');
      await page.getByLabel('Role for sso-admins').selectOption('admin');
      await page.getByRole('button', { name: 'Save roles and provisioning' }).click();
      await page.locator('#roles-form [data-form-status]', { hasText: 'Saved.' }).waitFor();
      const saved = await app.http.get(api()).set(bearer(key())).expect(200);
      expect(saved.body.roleMapping).toEqual([{ group: 'sso-admins', role: 'admin' }]);
    });

    it('creates a SCIM token shown once, lists the requests made with it, and revokes it', async () => {
      const scimBase = `${app.baseUrl}/scim/v2/${kind}/${id()}`;
      expect(await page.locator('#scim-base-url').inputValue()).toBe(scimBase);
      await page.getByLabel('Name of a new token').fill('Okta provisioning');
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.locator('#scim-new-token').waitFor();
      const token = await page.locator('#scim-new-token-value').inputValue();
      expect(token).toMatch(/^scim_/);
      await page.locator('#scim-token-list').getByText('Okta provisioning').waitFor();
      const users = await fetch(`${scimBase}/Users?count=1`, { headers: bearer(token) });
      expect(users.status).toBe(200);

      await page.locator('#scim-requests-refresh').click();
      await page.locator('#scim-requests-table tbody tr', { hasText: 'Success (200)' }).waitFor();
      expect(await page.locator('#scim-requests-table tbody tr').first().textContent()).toContain(`GET /scim/v2/${kind}/${id()}/Users?count=1`);
      await saveScreenshot(page, `${kind}-provisioning`);

      page.once('dialog', (dialog) => void dialog.accept());
      await page.locator('#scim-token-list').getByRole('button', { name: 'Revoke' }).click();
      await page.locator('#scim-token-list').getByText('No token yet.').waitFor();
      expect((await fetch(`${scimBase}/Users`, { headers: bearer(token) })).status).toBe(401);
    });

    it('creates a setup link shown once, lists it with its last use, and revokes it', async () => {
      await page.getByLabel('The link works for').selectOption('24');
      await page.getByRole('button', { name: 'Create a setup link' }).click();
      await page.locator('#setup-link-new').waitFor();
      const url = await page.locator('#setup-link-url').inputValue();
      const token = url.slice(`${app.baseUrl}/setup/`.length);
      expect(url).toBe(`${app.baseUrl}/setup/${token}`);
      await page.locator('#setup-link-list li', { hasText: 'Not used yet.' }).waitFor();
      const exchanged = await app.http.post('/api/v1/setup-links/exchange').send({ token }).expect(200);
      expect(exchanged.body.tenant).toMatchObject({ type: kind, id: id() });
      await saveScreenshot(page, `${kind}-setup-links`);

      page.once('dialog', (dialog) => void dialog.accept());
      await page.locator('#setup-link-list').getByRole('button', { name: 'Revoke' }).click();
      const revoked = page.locator('#setup-link-list li', { hasText: 'Revoked' });
      await revoked.waitFor();
      expect(await revoked.textContent()).toContain('Last used');
      await app.http.post('/api/v1/setup-links/exchange').send({ token }).expect(401);
    });

    it("shows the API's field errors next to their fields", async () => {
      await page.getByRole('button', { name: 'Add a group' }).click();
      await page.getByRole('button', { name: 'Save roles and provisioning' }).click();
      const emptyGroup = page.locator('#role-rows tr').nth(1).locator('input');
      await page.locator('#role-rows tr').nth(1).locator('.field-error').waitFor();
      expect(await emptyGroup.getAttribute('aria-invalid')).toBe('true');
      await page.getByRole('button', { name: /^Remove row 2/ }).click();

      await page.getByLabel('Add a domain').fill('gmail.com');
      await page.getByRole('button', { name: 'Add domain' }).click();
      await fieldError('domain-name').waitFor();
      expect(await fieldError('domain-name').textContent()).toMatch(/public email provider/);
      expect(await focusedId()).toBe('domain-name');

      await page.getByLabel('Allowed clock skew, in seconds').fill('601');
      await page.getByRole('button', { name: 'Save advanced settings' }).click();
      await fieldError('clock-skew').waitFor();
      expect(await fieldError('clock-skew').textContent()).toBe('“Allowed clock skew, in seconds” is too large: enter a number from 0 to 600.');
      await saveScreenshot(page, `${kind}-5-field-errors`);

      await page.getByLabel('Add a domain').fill(domain);
      await page.getByRole('button', { name: 'Add domain' }).click();
      const card = page.locator('.domain', { hasText: domain });
      await card.getByText('Waiting for the DNS record').waitFor();
      expect(await fieldError('domain-name').count()).toBe(0);
      expect(await card.getByRole('textbox', { name: 'Name (host)' }).inputValue()).toBe(`_sso-verification.${domain}`);
      const value = await card.getByRole('textbox', { name: 'Value', exact: true }).inputValue();
      expect(value).toMatch(/^sso-verification=/);
      await card.getByRole('button', { name: 'Verify now' }).click();
      await card.getByText('Not verified').waitFor();
      expect(await card.textContent()).toContain('No TXT record was found');
      await saveScreenshot(page, `${kind}-5b-domain-pending`);

      dns.set(`_sso-verification.${domain}`, { txt: [[value]] });
      await card.getByRole('button', { name: 'Verify now' }).click();
      await card.locator('.badge', { hasText: 'Verified' }).waitFor();
      const enforce = page.getByLabel('Enforce SSO for the verified domains');
      expect(await enforce.isDisabled()).toBe(true);
      expect(await page.locator('#enforce-sso-blocked').textContent()).toContain('complete a test sign-in');
      await saveScreenshot(page, `${kind}-5c-domain-verified`);
    });

    it('lists the changes in the audit log, and no sign-in attempts yet', async () => {
      const keyName = kind === 'organization' ? 'org key' : 'partner key';
      await page.locator('#audit-table tbody tr', { hasText: `The API key “${keyName}” set the identity provider` }).waitFor();
      const audit = await page.locator('#audit-table tbody').textContent();
      expect(audit).toContain(`The API key “${keyName}” turned single sign-on on and created the service provider keys.`);
      expect(audit).toContain(`The API key “${keyName}” changed the groups to roles: sso-admins → Admin.`);
      expect(await page.locator('#attempts-empty').isVisible()).toBe(true);
      await saveScreenshot(page, `${kind}-6-settings`);
    });

    it('labels every control, and fits a 375 px wide phone', async () => {
      const unlabelled = await page.evaluate(() =>
        Array.from(document.querySelectorAll('input, select, textarea, button'))
          .filter((control) => (control as HTMLElement).offsetParent !== null)
          .filter((control) => {
            const labelled = (control as HTMLInputElement).labels?.length || control.getAttribute('aria-labelledby') || control.getAttribute('aria-label');
            return !labelled && !(control instanceof HTMLButtonElement && control.textContent?.trim());
          })
          .map((control) => control.outerHTML),
      );
      expect(unlabelled).toEqual([]);

      await page.setViewportSize(PHONE_VIEWPORT);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
      await saveScreenshot(page, `${kind}-7-phone`);
    });

    it('sends a user of the claimed domain from /login to the tenant sign-in, keeping returnTo', async () => {
      await page.goto(`${app.baseUrl}/login?returnTo=/app`);
      await page.getByLabel('Work email').fill(`jane@${domain}`);
      await saveScreenshot(page, `${kind}-8-login`);
      await Promise.all([
        page.waitForRequest(`${spBase()}/login?returnTo=%2Fapp`),
        page.getByRole('button', { name: 'Continue' }).click(),
      ]);
    });

    it('has not run into a script error or a Content-Security-Policy refusal', () => {
      expect(problems).toEqual([]);
    });
  });

  describe('pages without a session', () => {
    let page: Page;
    let problems: string[];

    beforeAll(async () => {
      page = await browser.newPage();
      problems = collectPageProblems(page);
    });
    afterAll(async () => {
      await page.close();
    });

    it('tells a user of a domain without SSO that password sign-in is not offered here', async () => {
      await page.goto(`${app.baseUrl}/login`);
      await page.getByLabel('Work email').fill('someone@no-sso.example.test');
      await page.keyboard.press('Enter');
      await page.locator('#login-outcome', { hasText: 'There is no single sign-on for no-sso.example.test' }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('login-outcome');
      await saveScreenshot(page, 'login-no-sso');
    });

    it('says so on the landing page when nobody is signed in', async () => {
      await page.goto(`${app.baseUrl}/app`);
      await page.getByText('You are not signed in.').waitFor();
      await saveScreenshot(page, 'app-signed-out');
    });

    it('reports a failed test sign-in on the result page', async () => {
      await page.goto(`${app.baseUrl}/admin/test-result`);
      await page.locator('#result.failure').waitFor();
      await saveScreenshot(page, 'test-result-failed');
      expect(problems).toEqual([]);
    });
  });
});
