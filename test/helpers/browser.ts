import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

/** Debian's Chromium, installed by .ci/install-browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');

/**
 * `describe` when Chromium is installed, else `describe.skip` with a note, so that `npm test`
 * passes on a machine without a browser.
 */
export function describeInBrowser(name: string, tests: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, tests);
    return;
  }
  // Straight to stderr: Jest does not print the console output of a file whose tests are all skipped.
  process.stderr.write(`Skipping the browser tests "${name}": ${CHROMIUM_PATH} is missing (.ci/install-browser installs it).\n`);
  describe.skip(name, tests);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** Saves the whole page under test-artifacts/screenshots/ (git-ignored) for a human to look at. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/**
 * Collects what would otherwise pass silently: script errors, and console errors such as Content
 * Security Policy refusals. Chromium also logs every 4xx answer as "Failed to load resource"; the
 * tests provoke those on purpose, so they are left out.
 */
export function collectPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  return problems;
}

/**
 * Signs in to the SSO settings page (`/admin`) with a tenant's API key, as an administrator would.
 * A partner lands on its organizations, and goes on from there to its own settings.
 */
export async function signInToSettings(
  page: Page,
  baseUrl: string,
  tenant: { kind: 'organization' | 'partner'; id: string; apiKey: string },
): Promise<void> {
  await page.goto(`${baseUrl}/admin`);
  await page.getByLabel(tenant.kind === 'organization' ? 'Organization (client portal)' : 'Partner (partner portal)').check();
  await page.getByLabel('Organization or partner ID').fill(tenant.id);
  await page.getByLabel('API key', { exact: true }).fill(tenant.apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (tenant.kind === 'partner') await page.locator('#partner-own-settings').click();
  await page.locator('#settings-title:focus').waitFor();
}
