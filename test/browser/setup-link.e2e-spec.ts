import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RunningDevIdp, startDevIdp } from '../../scripts/dev-idp/dev-idp-server';
import { collectPageProblems, describeInBrowser, launchChromium, saveScreenshot } from '../helpers/browser';
import { ListeningApp, startListeningApp } from '../helpers/listening-app';
import { bearer } from '../helpers/test-app';
import { createPartnerWithOrganization, TenantFixture } from '../helpers/tenants';

/**
 * A setup link as the customer's IT admin meets it: the partner creates it (through the API here),
 * the IT admin opens `/setup/{token}` in a browser of their own, gets the guided set-up of that one
 * organization and completes a test sign-in against the dev IdP; once the link is revoked, the page
 * says it no longer works and whom to ask.
 */
describeInBrowser('Setup link in a browser', () => {
  let app: ListeningApp;
  let tenants: TenantFixture;
  let browser: Browser;
  let devIdp: RunningDevIdp;
  let workDir: string;
  let metadataFile: string;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let link: { id: string; url: string; expiresAt: string };
  const domain = 'setup-link.example.com';
  const links = () => `/api/v1/organizations/${tenants.organization.id}/setup-links`;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'setup-link-'));
    [app, browser] = await Promise.all([startListeningApp(), launchChromium()]);
    devIdp = await startDevIdp({ port: 0, dataDir: workDir, emailDomain: domain });
    tenants = await createPartnerWithOrganization(app, 'Link');
    metadataFile = join(workDir, 'dev-idp-metadata.xml');
    writeFileSync(metadataFile, await (await fetch(devIdp.metadataUrl)).text());
    context = await browser.newContext();
    page = await context.newPage();
    problems = collectPageProblems(page);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await devIdp?.close();
    await app?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it("opens the organization's guided set-up from the link, and takes the token out of the address", async () => {
    link = (await app.http.post(links()).set(bearer(tenants.partnerKey)).send({ expiresInHours: 24 }).expect(201)).body;
    expect(link.url).toMatch(new RegExp(`^${app.baseUrl}/setup/.+`));

    await page.goto(link.url);
    await page.getByRole('heading', { name: 'Which identity provider do you use?' }).waitFor();
    expect(page.url()).toBe(`${app.baseUrl}/setup`);
    expect(await page.locator('#tenant-line').textContent()).toBe(`Organization ID: ${tenants.organization.id}`);
    expect(await page.locator('#session-label').textContent()).toContain('Opened with a setup link');
    // Only this tenant's set-up: no way to the other settings, nor to sign in as someone else.
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: 'Show all the settings on one page' }).isVisible()).toBe(false);
    await saveScreenshot(page, 'setup-link-1-opened');
  });

  it('walks to a completed test sign-in with the access token of the exchange', async () => {
    await page.getByLabel('Okta').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Turn on single sign-on' }).click();
    await page.getByRole('textbox', { name: 'ACS URL' }).waitFor();
    await page.getByRole('button', { name: 'I created the app: continue' }).click();
    await page.getByLabel('Upload a metadata file').check();
    await page.getByLabel('Metadata file', { exact: true }).setInputFiles(metadataFile);
    await page.getByRole('button', { name: 'Upload metadata' }).click();
    await page.locator('#idp-details', { hasText: devIdp.entityId }).waitFor();
    await page.getByRole('button', { name: 'Continue to the test sign-in' }).click();

    const [testWindow] = await Promise.all([context.waitForEvent('page'), page.locator('#test-sign-in').click()]);
    await testWindow.getByRole('radio', { name: /Ada Admin/ }).check();
    await testWindow.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#test-sign-in-result.success').waitFor();
    await page.locator('#stepper button.done', { hasText: 'Test sign-in' }).waitFor();
    await testWindow.close();
    await saveScreenshot(page, 'setup-link-2-test-sign-in');

    const settings = (await app.http.get(`/api/v1/organizations/${tenants.organization.id}/sso`).set(bearer(tenants.organizationKey)).expect(200)).body;
    expect(settings.identityProvider.entityId).toBe(devIdp.entityId);
    expect(settings.lastSuccessfulSignInAt).not.toBeNull();
    const [listed] = (await app.http.get(links()).set(bearer(tenants.organizationKey)).expect(200)).body;
    expect(listed.lastUsedAt).not.toBeNull();
  });

  it('resumes after a reload of /setup, from the stored access token', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'Choose who gets which role' }).waitFor();
  });

  it('says the link no longer works once it is revoked, and whom to ask', async () => {
    await app.http.delete(`${links()}/${link.id}`).set(bearer(tenants.partnerKey)).expect(204);
    await page.reload();
    await page.getByRole('heading', { name: 'This setup link no longer works' }).waitFor();
    expect(await page.locator('#link-ended').textContent()).toContain('Ask the person who sent you this link for a new one.');
    await saveScreenshot(page, 'setup-link-3-revoked');

    await page.goto(link.url);
    await page.getByRole('heading', { name: 'This setup link no longer works' }).waitFor();
    expect(page.url()).toBe(`${app.baseUrl}/setup`);
    expect(problems).toEqual([]);
  });
});
