import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metadataFixture } from '../fixtures/metadata';
import { startTestApp, TestApp } from '../helpers/test-app';

/** The shapes the pages rely on to say what is wrong, where, in words. */
describe('errors a page can put in words', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp({ ALLOW_HTTP_METADATA_URLS: 'true', ALLOW_PRIVATE_METADATA_HOSTS: 'true' });
    const organization = (await t.http.post('/api/v1/organizations').set(t.platform).send({ name: 'Initech' }).expect(201)).body;
    base = `/api/v1/organizations/${organization.id}/sso`;
    await t.http.post(`${base}/enable`).set(t.platform).expect(200);
  });
  afterAll(() => t.close());

  describe('400 answers', () => {
    it('list every problem of a PATCH, each with its field path and the failed rule as a code, next to the existing fields', async () => {
      const response = await t.http
        .patch(base)
        .set(t.platform)
        .send({ clockSkewSeconds: 9000, roleMapping: [{ group: 'ok', role: 'admin' }, { group: '', role: 'boss' }], allowedEmailDomains: ['not a domain'] })
        .expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'invalid_field', field: expect.any(String), message: expect.any(String) });
      const problems = response.body.errors.map(({ field, code }: { field: string; code: string }) => `${field} ${code}`);
      expect(problems).toEqual(
        expect.arrayContaining(['clockSkewSeconds max', 'roleMapping.1.group is_not_empty', 'roleMapping.1.role is_in', 'allowedEmailDomains matches']),
      );
      expect(response.body.errors).toHaveLength(4);
      for (const problem of response.body.errors) expect(problem.message).toEqual(expect.any(String));
    });

    it('list every problem of a manual identity provider at once, each at its field', async () => {
      const response = await t.http
        .put(`${base}/identity-provider`)
        .set(t.platform)
        .send({ entityId: 'has spaces', ssoUrl: 'ftp://idp.example', certificate: 'not a certificate', sloUrl: 'nope' })
        .expect(400);
      expect(response.body).toMatchObject({ field: 'entityId', code: 'invalid_entity_id' });
      expect(response.body.errors.map(({ field, code }: { field: string; code: string }) => [field, code])).toEqual([
        ['entityId', 'invalid_entity_id'],
        ['ssoUrl', 'invalid_url'],
        ['sloUrl', 'invalid_url'],
        ['certificate', 'certificate_unparsable'],
      ]);
    });

    it('carry the one problem of a service rule in `errors` too', async () => {
      const response = await t.http.put(`${base}/identity-provider`).set(t.platform).send({ metadataXml: 'hello' }).expect(400);
      expect(response.body.errors).toEqual([{ field: 'metadataXml', code: response.body.code, message: response.body.message }]);
    });
  });

  describe('a failed metadata refresh', () => {
    let server: Server;

    beforeAll(async () => {
      server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/xml' }).end(metadataFixture('okta.xml')));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });

    it('says in words that the URL did not answer, with a code for the pages', async () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata.xml`;
      const set = await t.http.put(`${base}/identity-provider`).set(t.platform).send({ metadataUrl: url }).expect(200);
      expect(set.body.identityProvider).toMatchObject({ refreshError: null, refreshErrorCode: null });
      await new Promise<void>((resolve) => server.close(() => resolve()));

      const failed = (await t.http.post(`${base}/identity-provider/refresh`).set(t.platform).expect(200)).body;
      expect(failed.identityProvider.refreshErrorCode).toBe('fetch_failed');
      expect(failed.identityProvider.refreshError).toMatch(/: The metadata could not be fetched: the IdP's metadata URL did not answer: its server refused the connection\.$/);

      const refused = await t.http.put(`${base}/identity-provider`).set(t.platform).send({ metadataUrl: url }).expect(400);
      expect(refused.body).toMatchObject({ field: 'metadataUrl', code: 'fetch_failed', message: expect.stringContaining('did not answer') });
    });
  });

  describe('unknown addresses', () => {
    it('answer a browser with an HTML page in the look of the others', async () => {
      const response = await t.http.get('/no-such-page').set('Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8').expect(404);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['content-security-policy']).toContain("default-src 'none'");
      expect(response.text).toContain('<h1>Page not found</h1>');
      expect(response.text).toContain('href="/assets/pages.css"');
    });

    it('escape the path they show', async () => {
      const response = await t.http.get('/%3Cscript%3Ealert(1)%3C%2Fscript%3E').set('Accept', 'text/html').expect(404);
      expect(response.text).not.toContain('<script>');
    });

    it('answer API clients with the JSON 404, under /api/ even when they prefer HTML', async () => {
      const plain = await t.http.get('/no-such-page').expect(404);
      expect(plain.body).toMatchObject({ statusCode: 404 });
      const json = await t.http.get('/no-such-page').set('Accept', 'application/json').expect(404);
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      const api = await t.http.get('/api/v1/no-such-route').set('Accept', 'text/html').expect(404);
      expect(api.headers['content-type']).toMatch(/^application\/json/);
      const posted = await t.http.post('/no-such-page').set('Accept', 'text/html').expect(404);
      expect(posted.headers['content-type']).toMatch(/^application\/json/);
    });
  });
});
