import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PAGES_PUBLIC_DIR } from '../../src/admin/page-files';
import { PAGE_CONTENT_SECURITY_POLICY } from '../../src/admin/send-page';
import { startTestApp, TestApp } from '../helpers/test-app';

const PAGES: [string, string][] = [
  ['/admin', 'same-origin-allow-popups'],
  ['/admin/test-result', 'unsafe-none'],
  ['/admin/guide', 'same-origin-allow-popups'],
  ['/setup', 'same-origin-allow-popups'],
  ['/setup/sl_any-token', 'same-origin-allow-popups'],
  ['/login', 'same-origin'],
  ['/app', 'same-origin'],
];

function publicFiles(): { name: string; text: string }[] {
  return ['pages', 'assets'].flatMap((folder) =>
    readdirSync(join(PAGES_PUBLIC_DIR, folder)).map((name) => ({ name: `${folder}/${name}`, text: readFileSync(join(PAGES_PUBLIC_DIR, folder, name), 'utf8') })),
  );
}

describe('admin pages (served files and headers)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(PAGES)('serves %s as HTML under a strict Content-Security-Policy', async (path, openerPolicy) => {
    const response = await t.http.get(path).expect(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(PAGE_CONTENT_SECURITY_POLICY);
    expect(PAGE_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(response.headers['cross-origin-opener-policy']).toBe(openerPolicy);
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.text).toMatch(/<script type="module" src="\/assets\/[a-z-]+\.js"><\/script>/);
  });

  it("serves the guided set-up for any setup link token, never sending the token on as a Referer", async () => {
    const response = await t.http.get('/setup/sl_any-token').expect(200);
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.text).toContain('src="/assets/admin-guide.js"');
  });

  it("puts the identity provider's forms, written once, into the settings page and the guide, and never serves them alone", async () => {
    const partial = readFileSync(join(PAGES_PUBLIC_DIR, 'pages', '_identity-provider-forms.html'), 'utf8');
    const firstLine = partial.split('\n')[0].trim();
    for (const path of ['/admin', '/admin/guide', '/setup']) {
      const { text } = await t.http.get(path).expect(200);
      expect({ path, includeLeft: text.includes('<!-- include') }).toEqual({ path, includeLeft: false });
      expect(text).toContain(firstLine);
      for (const id of ['idp-upload-form', 'idp-url-form', 'idp-paste-form', 'idp-manual-form']) expect(text).toContain(`id="${id}"`);
    }
    await t.http.get('/admin/_identity-provider-forms.html').expect(404);
    await t.http.get('/assets/_identity-provider-forms.html').expect(404);
  });

  it('sends / to the landing page', async () => {
    await t.http.get('/').expect(302).expect('Location', '/app');
  });

  it('serves the assets with their types, revalidated by ETag, and nothing else', async () => {
    const script = await t.http.get('/assets/admin.js').expect(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['x-content-type-options']).toBe('nosniff');
    await t.http.get('/assets/admin.js').set('If-None-Match', script.headers.etag).expect(304);
    expect((await t.http.get('/assets/pages.css').expect(200)).headers['content-type']).toBe('text/css; charset=utf-8');
    await t.http.get('/assets/missing.js').expect(404);
    await t.http.get('/assets/..%2Fpage-files.ts').expect(404);
    await t.http.get('/assets/admin.html').expect(404);
  });

  it('has no inline script, inline style or event handler attribute in any page', () => {
    for (const { name, text } of publicFiles().filter((file) => file.name.endsWith('.html'))) {
      expect({ name, inlineScripts: text.match(/<script(?![^>]*\ssrc=)[^>]*>/g) }).toEqual({ name, inlineScripts: null });
      expect({ name, styles: text.match(/<style|\sstyle=/g) }).toEqual({ name, styles: null });
      expect({ name, handlers: text.match(/\son[a-z]+=/g) }).toEqual({ name, handlers: null });
    }
  });

  it('never refers to another origin (no CDN, fonts or analytics)', () => {
    for (const { name, text } of publicFiles()) {
      expect({ name, urls: text.match(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/gi) }).toEqual({ name, urls: null });
    }
  });
});
