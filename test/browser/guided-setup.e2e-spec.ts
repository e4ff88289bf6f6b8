import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RunningDevIdp, startDevIdp } from '../../scripts/dev-idp/dev-idp-server';
import { metadataFixture } from '../fixtures/metadata';
import { collectPageProblems, describeInBrowser, launchChromium, saveScreenshot, signInToSettings } from '../helpers/browser';
import { TestDnsServer } from '../helpers/dns-server';
import { ListeningApp, startListeningApp } from '../helpers/listening-app';
import { bearer } from '../helpers/test-app';
import { createPartnerWithOrganization, TenantFixture } from '../helpers/tenants';

const PHONE_VIEWPORT = { width: 390, height: 844 };
const DESKTOP_VIEWPORT = { width: 1280, height: 720 };

/**
 * The guided set-up (/admin/guide) walked end to end in a browser, as an IT admin who never set up
 * SAML would: pick the IdP, copy the values in the IdP's words, give the IdP's metadata (a wrong one
 * first), run the test sign-in against the dev IdP, map a group to a role, verify a domain. Okta for
 * an organization, Entra ID for a partner; a reload in the middle resumes where the set-up stands.
 */
describeInBrowser('Guided set-up in a browser', () => {
  let app: ListeningApp;
  let tenants: TenantFixture;
  let browser: Browser;
  let dns: TestDnsServer;
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'guided-setup-'));
    dns = await TestDnsServer.start();
    [app, browser] = await Promise.all([startListeningApp({ DNS_SERVERS: dns.address }), launchChromium()]);
    tenants = await createPartnerWithOrganization(app, 'Guide');
  });
  afterAll(async () => {
    await browser?.close();
    await dns?.stop();
    await app?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  const walks = [
    {
      idp: 'Okta',
      kind: 'organization',
      id: () => tenants.organization.id,
      key: () => tenants.organizationKey,
      domain: 'guide-okta.example.com',
      consoleWords: ['Create App Integration', 'Single sign-on URL', 'Audience URI (SP Entity ID)', 'Attribute Statements (optional)'],
      emailSource: 'user.email',
      groupsSource: 'Filter: Matches regex .*',
      metadataWords: 'Metadata URL',
    },
    {
      idp: 'Microsoft Entra ID',
      kind: 'partner',
      id: () => tenants.partner.id,
      key: () => tenants.partnerKey,
      domain: 'guide-entra.example.com',
      consoleWords: ['Create your own application', 'Identifier (Entity ID)', 'Reply URL (Assertion Consumer Service URL)', 'Attributes & Claims'],
      emailSource: 'user.mail',
      groupsSource: 'user.groups (Add a group claim)',
      metadataWords: 'App Federation Metadata Url',
    },
  ] as const;

  /**
   * The other guides' words, walked up to the metadata step: the console's field names in the steps,
   * the attribute table's columns and values, the recommended way to give the metadata, and what
   * the IdP sends as groups. One organization, whose guide switches from one IdP to the next.
   */
  const texts = [
    {
      idp: 'Google Workspace',
      slug: 'google',
      consoleWords: ['Google Admin console', 'Web and mobile apps', 'Add custom SAML app', 'Google Identity Provider details', 'Service provider details', 'ACS URL', 'Entity ID', 'Name ID format', 'Group membership (optional)', 'App attribute'],
      columns: ['App attributes', 'Google Directory attributes'],
      sources: ['Basic Information > Primary email', 'Basic Information > First name', 'Basic Information > Last name', 'Group membership (the groups you pick)'],
      values: ['ACS URL', 'Entity ID'],
      metadataWords: ['GoogleIDPMetadata.xml', 'Download metadata'],
      metadataMethod: 'upload',
      groupsWords: 'names of the groups you picked under Group membership',
    },
    {
      idp: 'OneLogin',
      slug: 'onelogin',
      consoleWords: ['Add App', 'SAML Custom Connector (Advanced)', 'Audience (EntityID)', 'Recipient', 'ACS (Consumer) URL Validator', 'ACS (Consumer) URL', 'SAML nameID format', 'SAML signature element', 'Parameters', 'Include in SAML assertion', 'Multi-value parameter'],
      columns: ['Field name', 'Value'],
      sources: ['Email', 'First Name', 'Last Name', 'User Roles'],
      values: ['ACS URL', 'Entity ID'],
      metadataWords: ['SAML Signature Algorithm', 'SHA-256', 'Issuer URL', 'More Actions', 'SAML Metadata'],
      metadataMethod: 'url',
      groupsWords: "OneLogin roles",
    },
    {
      idp: 'JumpCloud',
      slug: 'jumpcloud',
      consoleWords: ['JumpCloud Admin Portal', 'SSO Applications', 'Custom Application', 'IdP Entity ID', 'SP Entity ID', 'ACS URLs', 'SAMLSubject NameID', 'SAMLSubject NameID Format', 'Sign Assertion', 'include group attribute'],
      columns: ['Service Provider Attribute Name', 'JumpCloud Attribute Name'],
      sources: ['email', 'firstname', 'lastname', 'include group attribute'],
      values: ['ACS URL', 'Entity ID'],
      metadataWords: ['Export Metadata'],
      metadataMethod: 'upload',
      groupsWords: 'user groups bound to the app',
    },
    {
      idp: 'Microsoft AD FS',
      slug: 'adfs',
      consoleWords: [
        'AD FS Management',
        'Add Relying Party Trust…',
        'Claims aware',
        'Import data about the relying party published online or on a local network',
        'Federation metadata address (host name or URL)',
        'Enter data about the relying party manually',
        'Enable support for the SAML 2.0 WebSSO protocol',
        'Relying party SAML 2.0 SSO service URL',
        'SAML Assertion Consumer',
        'Relying party trust identifier',
        'Edit Claim Issuance Policy…',
        'Send LDAP Attributes as Claims',
        'Attribute store',
        'Outgoing Claim Type',
        'Transform an Incoming Claim',
        'Incoming claim type',
        'Outgoing name ID format',
      ],
      columns: ['Outgoing Claim Type', 'LDAP Attribute'],
      sources: ['E-Mail-Addresses', 'Given-Name', 'Surname', 'Token-Groups - Unqualified Names'],
      values: ['metadata URL', 'ACS URL', 'Entity ID'],
      metadataWords: ['/FederationMetadata/2007-06/FederationMetadata.xml'],
      metadataMethod: 'url',
      groupsWords: 'Active Directory groups',
    },
    {
      idp: 'Another SAML 2.0 identity provider',
      slug: 'saml',
      consoleWords: ['ACS URL', 'Entity ID', 'NameID', 'RSA-SHA256', 'with exactly these names'],
      columns: ['Attribute name', 'Value'],
      sources: ["the user's email address", "the user's first name", "the user's last name", "the user's groups (one value each)"],
      values: ['metadata URL', 'ACS URL', 'Entity ID'],
      metadataWords: ["Export your identity provider's metadata", 'by hand'],
      metadataMethod: 'upload',
      groupsWords: 'exactly as your identity provider sends them in User.groups',
    },
  ] as const;

  describe('in the words of the other identity providers', () => {
    let context: BrowserContext;
    let page: Page;
    let problems: string[];
    let organization: { id: string; key: string };
    const spBase = () => `${app.baseUrl}/saml/organization/${organization.id}`;
    const spValues: Record<string, () => string> = { 'ACS URL': () => `${spBase()}/acs`, 'Entity ID': () => `${spBase()}/metadata`, 'metadata URL': () => `${spBase()}/metadata` };

    beforeAll(async () => {
      const fixture = await createPartnerWithOrganization(app, 'Guide texts');
      organization = { id: fixture.organization.id, key: fixture.organizationKey };
      context = await browser.newContext();
      page = await context.newPage();
      problems = collectPageProblems(page);
      await signInToSettings(page, app.baseUrl, { kind: 'organization', id: organization.id, apiKey: organization.key });
      await page.getByRole('link', { name: /step by step/ }).click();
      await page.getByRole('heading', { name: 'Which identity provider do you use?' }).waitFor();
    });
    afterAll(async () => {
      await context?.close();
    });

    it.each(texts)('guides $idp with its console field names, attribute table and metadata', async ({ idp, slug, consoleWords, columns, sources, values, metadataWords, metadataMethod, groupsWords }) => {
      await page.locator('#stepper button', { hasText: 'Identity provider' }).click();
      await page.getByLabel(idp).check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: `Create the app in ${idp}` }).waitFor();
      const turnOn = page.getByRole('button', { name: 'Turn on single sign-on' });
      if (await turnOn.isVisible()) await turnOn.click();

      const instructions = page.locator('#app-instructions');
      await instructions.waitFor();
      const text = await instructions.textContent();
      for (const words of consoleWords) expect({ idp, words, shown: text?.includes(words) }).toEqual({ idp, words, shown: true });
      for (const name of values) expect(await page.locator('#create-app-steps').getByRole('textbox', { name, exact: true }).inputValue()).toBe(spValues[name]());

      expect([await page.locator('#attribute-name-column').textContent(), await page.locator('#attribute-source-column').textContent()]).toEqual(columns);
      const rows = page.locator('#attribute-rows tr');
      expect(await rows.locator('input').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))).toEqual(['User.Email', 'User.FirstName', 'User.LastName', 'User.groups']);
      expect(await rows.locator('code').allTextContents()).toEqual(sources);
      await saveScreenshot(page, `guide-${slug}-2-create-app`);

      await page.getByRole('button', { name: 'I created the app: continue' }).click();
      await page.getByRole('heading', { name: `Add ${idp}'s metadata` }).waitFor();
      const where = await page.locator('#metadata-where').textContent();
      for (const words of metadataWords) expect(where).toContain(words);
      // The IdP's recommended way to give its metadata is the one offered.
      expect(await page.locator('input[name="idpMethod"]:checked').getAttribute('value')).toBe(metadataMethod);
      expect(await page.locator(`#idp-${metadataMethod}-form`).isVisible()).toBe(true);
      await saveScreenshot(page, `guide-${slug}-3-metadata`);

      await page.locator('#stepper button', { hasText: 'Roles' }).click();
      await page.getByRole('heading', { name: 'Choose who gets which role' }).waitFor();
      expect(await page.locator('#groups-hint').textContent()).toContain(groupsWords);
    });

    it('has not run into a script error or a Content-Security-Policy refusal', () => {
      expect(problems).toEqual([]);
    });
  });

  describe.each(walks)('for $idp ($kind)', ({ idp, kind, id, key, domain, consoleWords, emailSource, groupsSource, metadataWords }) => {
    let devIdp: RunningDevIdp;
    let context: BrowserContext;
    let page: Page;
    let problems: string[];
    let metadataFile: string;
    let expiredMetadataFile: string;
    const slug = idp === 'Okta' ? 'okta' : 'entra';
    const api = () => `/api/v1/${kind}s/${id()}/sso`;
    const spBase = () => `${app.baseUrl}/saml/${kind}/${id()}`;
    const currentStep = () => page.locator('#stepper [aria-current="step"] .step-label').textContent();
    const focusedId = () => page.evaluate(() => document.activeElement?.id ?? null);

    beforeAll(async () => {
      devIdp = await startDevIdp({ port: 0, dataDir: join(workDir, slug), emailDomain: domain });
      metadataFile = join(workDir, `${slug}-metadata.xml`);
      writeFileSync(metadataFile, await (await fetch(devIdp.metadataUrl)).text());
      expiredMetadataFile = join(workDir, `${slug}-expired-certificate.xml`);
      writeFileSync(expiredMetadataFile, metadataFixture('invalid/expired-cert.xml'));
      context = await browser.newContext({ acceptDownloads: true });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.baseUrl });
      page = await context.newPage();
      problems = collectPageProblems(page);
    });
    afterAll(async () => {
      await context?.close();
      await devIdp?.close();
    });

    it('opens from the settings page and starts with the choice of identity provider', async () => {
      await signInToSettings(page, app.baseUrl, { kind, id: id(), apiKey: key() });
      await page.getByRole('link', { name: /step by step/ }).click();
      await page.waitForURL(`${app.baseUrl}/admin/guide?kind=${kind}&id=${id()}`);
      await page.getByRole('heading', { name: 'Which identity provider do you use?' }).waitFor();
      expect(await currentStep()).toBe('Identity provider');
      // Nothing is focused at load, so no focus box is drawn on the heading.
      expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
      expect(await page.getByRole('link', { name: 'Show all the settings on one page' }).getAttribute('href')).toBe(`/admin?kind=${kind}&id=${id()}`);
      await saveScreenshot(page, `guide-${slug}-1-pick-idp`);
    });

    it("explains the app to create in the IdP's own words, with the values to copy", async () => {
      await page.getByLabel(idp).check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: `Create the app in ${idp}` }).waitFor();
      expect(await focusedId()).toBe('step-app-title');
      expect(await currentStep()).toBe('Create the app');
      await page.getByRole('button', { name: 'Turn on single sign-on' }).click();

      const instructions = page.locator('#app-instructions');
      await instructions.waitFor();
      const text = await instructions.textContent();
      for (const words of consoleWords) expect(text).toContain(words);
      expect(await page.getByRole('textbox', { name: 'ACS URL' }).inputValue()).toBe(`${spBase()}/acs`);
      expect(await page.getByRole('textbox', { name: 'Entity ID' }).inputValue()).toBe(`${spBase()}/metadata`);
      await page.getByRole('button', { name: 'Copy the ACS URL' }).click();
      await page.getByRole('button', { name: 'Copy the ACS URL' }).filter({ hasText: 'Copied' }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${spBase()}/acs`);

      const rows = page.locator('#attribute-rows tr');
      expect(await rows.count()).toBe(4);
      expect(await rows.nth(0).locator('input').inputValue()).toBe('User.Email');
      expect(await rows.nth(0).locator('code').textContent()).toBe(emailSource);
      expect(await rows.nth(3).locator('input').inputValue()).toBe('User.groups');
      expect(await rows.nth(3).locator('code').textContent()).toBe(groupsSource);
      await page.getByRole('button', { name: 'Copy the attribute name User.groups' }).click();
      await page.getByRole('button', { name: 'Copy the attribute name User.groups' }).filter({ hasText: 'Copied' }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('User.groups');

      const settings = (await app.http.get(api()).set(bearer(key())).expect(200)).body;
      const [certificateDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /service provider certificate/ }).click()]);
      expect(certificateDownload.suggestedFilename()).toBe('sp-certificate.pem');
      expect(readFileSync(await certificateDownload.path(), 'utf8')).toBe(settings.serviceProvider.certificate);
      const [metadataDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /service provider metadata/ }).click()]);
      expect(readFileSync(await metadataDownload.path(), 'utf8')).toContain(`entityID="${spBase()}/metadata"`);
      await saveScreenshot(page, `guide-${slug}-2-create-app`);
    });

    it('refuses a wrong metadata with a plain error at its field, then takes the IdP metadata file', async () => {
      await page.getByRole('button', { name: 'I created the app: continue' }).click();
      await page.getByRole('heading', { name: `Add ${idp}'s metadata` }).waitFor();
      expect(await focusedId()).toBe('idp-title');
      expect(await page.locator('#metadata-where').textContent()).toContain(metadataWords);
      // The IdP's recommended way is offered first.
      expect(await page.getByRole('textbox', { name: 'Metadata URL' }).isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Continue to the test sign-in' }).isDisabled()).toBe(true);

      await page.getByLabel('Paste metadata XML').check();
      await page.getByLabel('Metadata XML', { exact: true }).fill('this is not the metadata');
      await page.getByRole('button', { name: 'Save metadata' }).click();
      const error = page.locator('#idp-metadata-xml ~ .field-error');
      await error.waitFor();
      expect(await page.getByLabel('Metadata XML', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      expect(await focusedId()).toBe('idp-metadata-xml');
      expect(await error.textContent()).toBe('This is not metadata. Metadata is an XML document that starts with "<"; copy the whole file your identity provider exported.');
      await saveScreenshot(page, `guide-${slug}-3-wrong-metadata`);

      await page.getByLabel('Upload a metadata file').check();
      await page.getByLabel('Metadata file', { exact: true }).setInputFiles(expiredMetadataFile);
      await page.getByRole('button', { name: 'Upload metadata' }).click();
      await page.locator('#idp-metadata-file ~ .field-error', { hasText: /expired/i }).waitFor();
      expect(await focusedId()).toBe('idp-metadata-file');

      await page.getByLabel('Metadata file', { exact: true }).setInputFiles(metadataFile);
      await page.getByRole('button', { name: 'Upload metadata' }).click();
      await page.locator('#idp-details', { hasText: devIdp.entityId }).waitFor();
      expect(await page.getByRole('button', { name: 'Continue to the test sign-in' }).isDisabled()).toBe(false);
      await saveScreenshot(page, `guide-${slug}-4-metadata-saved`);
    });

    it('runs the test sign-in against the IdP and reports who signed in', async () => {
      await page.getByRole('button', { name: 'Continue to the test sign-in' }).click();
      await page.getByRole('heading', { name: 'Test the sign-in' }).waitFor();
      expect(await currentStep()).toBe('Test sign-in');
      const [testWindow] = await Promise.all([context.waitForEvent('page'), page.locator('#test-sign-in').click()]);
      await testWindow.getByRole('heading', { name: 'Sign in' }).waitFor();
      await testWindow.getByRole('radio', { name: /Ada Admin/ }).check();
      await testWindow.getByRole('button', { name: 'Sign in' }).click();
      await testWindow.waitForURL(`${app.baseUrl}/admin/test-result`);
      await page.locator('#test-sign-in-result.success').waitFor();
      expect(await page.locator('#test-sign-in-result').textContent()).toContain(`Ada Admin (ada.admin@${domain}) signed in`);
      await page.locator('#last-sign-in', { hasText: 'Last successful sign-in' }).waitFor();
      await page.locator('#stepper button.done', { hasText: 'Test sign-in' }).waitFor();
      await saveScreenshot(page, `guide-${slug}-5-test-sign-in`);
      await testWindow.close();
    });

    it('resumes at the first step not done after a reload, with the IdP it was given', async () => {
      await page.reload();
      await page.getByRole('heading', { name: 'Choose who gets which role' }).waitFor();
      expect(await currentStep()).toBe('Roles');
      expect(await page.locator('#stepper button.done').allTextContents()).toEqual(
        expect.arrayContaining([expect.stringContaining('Identity provider'), expect.stringContaining('Metadata'), expect.stringContaining('Test sign-in')]),
      );
      expect(await page.locator('#groups-hint').textContent()).toContain(idp === 'Okta' ? 'Okta groups' : 'Object ID');
      await page.locator('#stepper button', { hasText: 'Create the app' }).click();
      await page.getByRole('heading', { name: `Create the app in ${idp}` }).waitFor();
      expect(await focusedId()).toBe('step-app-title');
      await page.locator('#stepper button', { hasText: 'Roles' }).click();
      await saveScreenshot(page, `guide-${slug}-6-resumed`);
    });

    it('maps a group to a role, then verifies a domain, and sums the set-up up', async () => {
      await page.getByRole('button', { name: 'Add a group' }).click();
      await page.keyboard.type('sso-admins');
      await page.getByLabel('Role for sso-admins').selectOption('admin');
      await page.getByLabel('Default role').selectOption('viewer');
      await page.getByRole('button', { name: 'Save the roles and continue' }).click();
      await page.getByRole('heading', { name: 'Verify your email domains' }).waitFor();
      expect(await focusedId()).toBe('step-domains-title');
      const saved = (await app.http.get(api()).set(bearer(key())).expect(200)).body;
      expect(saved.roleMapping).toEqual([{ group: 'sso-admins', role: 'admin' }]);
      expect(saved.defaultRole).toBe('viewer');

      await page.getByLabel('Add a domain').fill(domain);
      await page.getByRole('button', { name: 'Add domain' }).click();
      const card = page.locator('.domain', { hasText: domain });
      await card.getByText('Waiting for the DNS record').waitFor();
      const value = await card.getByRole('textbox', { name: 'Value', exact: true }).inputValue();
      dns.set(`_sso-verification.${domain}`, { txt: [[value]] });
      await card.getByRole('button', { name: 'Verify now' }).click();
      await card.locator('.badge', { hasText: 'Verified' }).waitFor();
      await page.locator('#stepper button.done', { hasText: 'Domains' }).waitFor();
      expect(await page.getByLabel('Enforce SSO for the verified domains').isDisabled()).toBe(false);
      await saveScreenshot(page, `guide-${slug}-7-domains`);

      await page.getByRole('button', { name: 'Finish' }).click();
      await page.getByRole('heading', { name: 'Single sign-on is set up' }).waitFor();
      const summary = await page.locator('#done-summary').textContent();
      expect(summary).toContain(devIdp.entityId);
      expect(summary).toContain('1 group mapped to roles; everyone else is viewer.');
      await saveScreenshot(page, `guide-${slug}-8-done`);

      await page.reload();
      await page.getByRole('heading', { name: 'Single sign-on is set up' }).waitFor();
      expect(await currentStep()).toBe('Done');
    });

    it('labels every control, and fits a 390 px wide phone with the values to copy', async () => {
      await page.locator('#stepper button', { hasText: 'Create the app' }).click();
      await page.getByRole('textbox', { name: 'ACS URL' }).waitFor();
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
      await saveScreenshot(page, `guide-${slug}-9-phone`);
      await page.setViewportSize(DESKTOP_VIEWPORT);
    });

    it('has not run into a script error or a Content-Security-Policy refusal', () => {
      expect(problems).toEqual([]);
    });
  });
});
