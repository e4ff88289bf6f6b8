import type { Browser, Page } from 'playwright-core';
import { collectPageProblems, describeInBrowser, launchChromium, saveScreenshot } from '../helpers/browser';
import { ListeningApp, startListeningApp } from '../helpers/listening-app';
import { IDP_SSO_URL } from '../helpers/sso-tenant';
import { testCredential } from '../helpers/test-credentials';
import { IDP_ENTITY_ID } from '../helpers/test-idp';

const PHONE_VIEWPORT = { width: 390, height: 844 };
const FILLERS = 30;

/**
 * A partner's administrator signs in once and works through its organizations: the list with each
 * one's single sign-on, search, one organization's settings, the next one's, Back and Forward.
 */
describeInBrowser("the partner's view of its organizations", () => {
  let app: ListeningApp;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let partner: { id: string; key: string };
  const organizations: Record<string, string> = {};
  let outsider: string;

  const title = () => page.locator('h1:visible').first().textContent();
  const breadcrumb = () => page.locator('#breadcrumb').textContent();
  const card = (name: string) => page.locator('.organization', { has: page.getByRole('link', { name, exact: true }) });
  const summary = () => page.locator('#organizations-summary');

  async function organization(name: string, partnerId: string): Promise<string> {
    return (await app.http.post('/api/v1/organizations').set(app.platform).send({ name, partnerId }).expect(201)).body.id;
  }

  beforeAll(async () => {
    [app, browser] = await Promise.all([startListeningApp(), launchChromium()]);
    const created = (await app.http.post('/api/v1/partners').set(app.platform).send({ name: 'Northwind Partners' }).expect(201)).body;
    const key = (await app.http.post(`/api/v1/partners/${created.id}/api-keys`).set(app.platform).send({ name: 'portal' }).expect(201)).body.key;
    partner = { id: created.id, key };

    organizations['Alpha Dental'] = await organization('Alpha Dental', partner.id);
    const alphaSso = `/api/v1/organizations/${organizations['Alpha Dental']}/sso`;
    await app.http.post(`${alphaSso}/enable`).set(app.platform).expect(200);
    await app.http
      .put(`${alphaSso}/identity-provider`)
      .set(app.platform)
      .send({ entityId: IDP_ENTITY_ID, ssoUrl: IDP_SSO_URL, certificate: testCredential('idp').certificatePem })
      .expect(200);
    await app.http.patch(alphaSso).set(app.platform).send({ enforceSso: true }).expect(200);
    organizations['Bravo Foods'] = await organization('Bravo Foods', partner.id);
    await app.http.post(`/api/v1/organizations/${organizations['Bravo Foods']}/sso/enable`).set(app.platform).expect(200);
    organizations['Charlie Logistics'] = await organization('Charlie Logistics', partner.id);
    for (let index = 1; index <= FILLERS; index++) await organization(`Filler Org ${String(index).padStart(2, '0')}`, partner.id);

    const other = (await app.http.post('/api/v1/partners').set(app.platform).send({ name: 'Other Partner' }).expect(201)).body;
    outsider = await organization('Outsider Inc', other.id);

    page = await browser.newPage();
    problems = collectPageProblems(page);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('lands the partner on its organizations, each with its single sign-on at a glance, a page at a time', async () => {
    await page.goto(`${app.baseUrl}/admin`);
    await page.getByLabel('Partner (partner portal)').check();
    await page.getByLabel('Organization or partner ID').fill(partner.id);
    await page.getByLabel('API key', { exact: true }).fill(partner.key);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { name: 'Organizations of Northwind Partners' }).waitFor();
    await summary().getByText('Organizations 1–24 of 33.').waitFor();
    expect(await page.locator('#partner-breadcrumb').textContent()).toBe('Northwind Partners');
    expect(await card('Alpha Dental').locator('.badge').allTextContents()).toEqual(['Active', 'Enforced']);
    expect(await card('Bravo Foods').locator('.badge').allTextContents()).toEqual(['Waiting for the IdP']);
    expect(await card('Charlie Logistics').locator('.badge').allTextContents()).toEqual(['Off']);
    expect(await card('Alpha Dental').textContent()).toContain('Failed sign-ins, last 24 hours0');
    // The guided set-up is offered where single sign-on is not working yet, and only there.
    const guide = card('Bravo Foods').getByRole('link', { name: 'Set up single sign-on for Bravo Foods, step by step' });
    expect(await guide.getAttribute('href')).toBe(`/admin/guide?kind=organization&id=${organizations['Bravo Foods']}`);
    expect(await card('Alpha Dental').getByRole('link', { name: /step by step/ }).count()).toBe(0);
    await saveScreenshot(page, 'partner-1-organizations');

    await page.getByRole('button', { name: 'Next page' }).click();
    await summary().getByText('Organizations 25–33 of 33.').waitFor();
    expect(await page.locator('.organization').count()).toBe(9);
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await summary().getByText('Organizations 1–24 of 33.').waitFor();
  });

  it('searches on the server and says how many match', async () => {
    await page.getByLabel('Search by name').fill('BRAVO');
    await summary().getByText('1 organization matching “BRAVO”.').waitFor();
    expect(await page.locator('.organization h3').allTextContents()).toEqual(['Bravo Foods']);
    expect(await page.getByRole('navigation', { name: 'Pages of organizations' }).isVisible()).toBe(false);
    await saveScreenshot(page, 'partner-2-search');

    await page.getByLabel('Search by name').fill('no such organization');
    await page.getByLabel('Search by name').press('Enter');
    await summary().getByText('No organization matches “no such organization”.').waitFor();
    expect(await page.locator('.organization').count()).toBe(0);

    await page.getByLabel('Search by name').fill('alpha');
    await summary().getByText('1 organization matching “alpha”.').waitFor();
    expect(new URL(page.url()).searchParams.get('search')).toBe('alpha');
  });

  it("opens an organization's settings in one click, and shows where one is", async () => {
    await page.getByRole('link', { name: 'Alpha Dental', exact: true }).click();
    await page.getByRole('heading', { name: 'Single sign-on for Alpha Dental' }).waitFor();
    expect(await breadcrumb()).toBe('Northwind Partners › Alpha Dental');
    expect(await page.locator('#breadcrumb [aria-current="page"]').textContent()).toBe('Alpha Dental');
    expect(await page.locator('#status-badge').textContent()).toBe('Active');
    expect(new URL(page.url()).search).toBe(`?kind=organization&id=${organizations['Alpha Dental']}`);
    expect(await page.locator('#sign-in').isVisible()).toBe(false);
    await saveScreenshot(page, 'partner-3-organization-a');
  });

  it('switches to another organization through the breadcrumb without signing in again, and Back and Forward retrace the way', async () => {
    await page.locator('#breadcrumb').getByRole('link', { name: 'Northwind Partners' }).click();
    await page.getByRole('heading', { name: 'Organizations of Northwind Partners' }).waitFor();
    await card('Bravo Foods').getByRole('link', { name: 'Bravo Foods', exact: true }).click();
    await page.getByRole('heading', { name: 'Single sign-on for Bravo Foods' }).waitFor();
    expect(await breadcrumb()).toBe('Northwind Partners › Bravo Foods');
    expect(await page.locator('#status-badge').textContent()).toBe('Waiting for the identity provider');
    await saveScreenshot(page, 'partner-4-organization-b');

    await page.goBack();
    await page.getByRole('heading', { name: 'Organizations of Northwind Partners' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'Single sign-on for Alpha Dental' }).waitFor();
    expect(await breadcrumb()).toBe('Northwind Partners › Alpha Dental');
    await page.goBack();
    await page.getByRole('heading', { name: 'Organizations of Northwind Partners' }).waitFor();
    // The list comes back as it was left: the same search, on the server again.
    await summary().getByText('1 organization matching “alpha”.').waitFor();
    expect(await page.getByLabel('Search by name').inputValue()).toBe('alpha');
    await page.goForward();
    await page.getByRole('heading', { name: 'Single sign-on for Alpha Dental' }).waitFor();
    await page.goForward();
    await page.goForward();
    await page.getByRole('heading', { name: 'Single sign-on for Bravo Foods' }).waitFor();
  });

  it("keeps the partner's own single sign-on settings one click away", async () => {
    await page.locator('#breadcrumb').getByRole('link', { name: 'Northwind Partners' }).click();
    await page.getByRole('link', { name: 'Single sign-on of Northwind Partners itself' }).click();
    await page.getByRole('heading', { name: 'Single sign-on is off' }).waitFor();
    expect(await breadcrumb()).toBe('Northwind Partners › Single sign-on');
    expect(new URL(page.url()).search).toBe(`?kind=partner&id=${partner.id}`);
  });

  it('says plainly when the address names an organization the credential may not manage, and stays signed in', async () => {
    await page.goto(`${app.baseUrl}/admin?kind=organization&id=${outsider}`);
    await page.getByRole('heading', { name: 'You cannot open these settings' }).waitFor();
    expect(await page.locator('#tenant-refused-text').textContent()).toBe('This API key may not manage that organization.');
    expect(await page.locator('#settings').isVisible()).toBe(false);
    expect(await page.locator('#session-bar').isVisible()).toBe(true);
    await saveScreenshot(page, 'partner-5-refused');
    await page.getByRole('link', { name: 'Back to where you signed in' }).click();
    await page.getByRole('heading', { name: 'Organizations of Northwind Partners' }).waitFor();
  });

  it(`labels every control, and fits a ${PHONE_VIEWPORT.width} px wide phone`, async () => {
    await page.setViewportSize(PHONE_VIEWPORT);
    await page.goto(`${app.baseUrl}/admin`);
    await summary().getByText('Organizations 1–24 of 33.').waitFor();
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll('input, select, textarea, button, a'))
        .filter((control) => (control as HTMLElement).offsetParent !== null)
        .filter((control) => !(control as HTMLInputElement).labels?.length && !control.getAttribute('aria-label') && !control.textContent?.trim())
        .map((control) => control.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
    const widest = await page.locator('.organization').evaluateAll((cards) => Math.max(...cards.map((card) => card.getBoundingClientRect().right)));
    expect(widest).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
    await saveScreenshot(page, 'partner-6-phone');
  });

  it('has not run into a script error or a Content-Security-Policy refusal', () => {
    expect(problems).toEqual([]);
  });
});
