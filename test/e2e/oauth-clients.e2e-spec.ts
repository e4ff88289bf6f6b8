import { Logger } from '@nestjs/common';
import { Database } from '../../src/database/database.service';
import { OAuthClientsService } from '../../src/oidc/clients/oauth-clients.service';
import { bearer, startTestApp, TestApp } from '../helpers/test-app';
import { createTestResponse } from '../helpers/test-idp';
import { createSsoTenant, postToAcs, sessionCookieOf } from '../helpers/sso-tenant';
import { captureLogLines } from '../helpers/log-lines';
import { createPartnerWithOrganization, TenantFixture } from '../helpers/tenants';

const CLIENTS = '/api/v1/oauth-clients';
const DASHBOARD = { name: 'Cost dashboard', redirectUris: ['https://dashboard.example.com/oidc/callback'] };

describe('OAuth clients of the OpenID provider', () => {
  let t: TestApp;
  let tenants: TenantFixture;
  let adminCookie: string;
  let adminToken: string;
  const logs = captureLogLines();

  const query = (sql: string, parameters: unknown[] = []) => t.app.get(Database).manager.query(sql, parameters);
  const register = async (body: object = DASHBOARD) => (await t.http.post(CLIENTS).set(t.platform).send(body).expect(201)).body;

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' }, { logStream: logs.stream });
    tenants = await createPartnerWithOrganization(t, 'Acme');
    const sso = await createSsoTenant(t, 'organization');
    await t.http.patch(sso.settingsPath).set(t.platform).send({ roleMapping: [{ group: 'sso-admins', role: 'admin' }] }).expect(200);
    const response = await createTestResponse({
      audiences: [[sso.spEntityId]],
      recipient: sso.acsUrl,
      destination: sso.acsUrl,
      nameId: 'ada@acme.test',
      attributes: { 'User.Email': 'ada@acme.test', 'User.groups': ['sso-admins'] },
    });
    adminCookie = sessionCookieOf(await postToAcs(t, sso, response.base64).expect(302))!;
    expect((await t.http.get('/api/v1/me').set('Cookie', adminCookie).expect(200)).body.user.role).toBe('admin');
    adminToken = adminCookie.slice(adminCookie.indexOf('=') + 1);
  });
  afterAll(() => t.close());

  describe('access', () => {
    it('is the platform operator\'s only: 401 without a credential, 403 for API keys and tenant admins', async () => {
      const created = await register();
      const before = (await t.http.get(CLIENTS).set(t.platform).expect(200)).body;
      const others = [bearer(tenants.organizationKey), bearer(tenants.partnerKey), bearer(adminToken)];
      await t.http.get(CLIENTS).expect(401);
      await t.http.post(CLIENTS).send(DASHBOARD).expect(401);
      await t.http.delete(`${CLIENTS}/${created.clientId}`).expect(401);
      await t.http.get(CLIENTS).set(bearer('pat_not-the-platform-token')).expect(401);
      for (const credential of others) {
        await t.http.get(CLIENTS).set(credential).expect(403);
        await t.http.post(CLIENTS).set(credential).send(DASHBOARD).expect(403);
        await t.http.delete(`${CLIENTS}/${created.clientId}`).set(credential).expect(403);
      }
      await t.http.get(CLIENTS).set('Cookie', adminCookie).expect(403);
      await t.http.post(CLIENTS).set('Cookie', adminCookie).send(DASHBOARD).expect(403);
      // Nothing was registered or removed by the refused calls.
      expect((await t.http.get(CLIENTS).set(t.platform).expect(200)).body).toEqual(before);
    });
  });

  describe('registering', () => {
    it('answers the secret once, lists the client without it, and finds it for the provider with the secret opened', async () => {
      const before = Date.now();
      const created = await t.http
        .post(CLIENTS)
        .set(t.platform)
        .send({ name: 'Reports', redirectUris: ['https://reports.example.com/cb', 'http://localhost:5173/cb'], postLogoutRedirectUris: ['https://reports.example.com/'] })
        .expect(201);
      expect(created.body).toEqual({
        clientId: expect.stringMatching(/^oc_[A-Za-z0-9_-]{22}$/),
        clientSecret: expect.stringMatching(/^ocs_[A-Za-z0-9_-]{43}$/),
        name: 'Reports',
        redirectUris: ['https://reports.example.com/cb', 'http://localhost:5173/cb'],
        postLogoutRedirectUris: ['https://reports.example.com/'],
        createdAt: expect.any(String),
      });
      expect(new Date(created.body.createdAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
      const { clientId, clientSecret } = created.body;

      const listed = (await t.http.get(CLIENTS).set(t.platform).expect(200)).body;
      const entry = listed.find((client: { clientId: string }) => client.clientId === clientId);
      expect(entry).toEqual({
        clientId,
        name: 'Reports',
        redirectUris: ['https://reports.example.com/cb', 'http://localhost:5173/cb'],
        postLogoutRedirectUris: ['https://reports.example.com/'],
        createdAt: created.body.createdAt,
      });
      expect(JSON.stringify(listed)).not.toContain(clientSecret);

      expect(await t.app.get(OAuthClientsService).findForProvider(clientId)).toEqual({
        clientId,
        clientSecret,
        name: 'Reports',
        redirectUris: ['https://reports.example.com/cb', 'http://localhost:5173/cb'],
        postLogoutRedirectUris: ['https://reports.example.com/'],
      });
    });

    it('records registration and removal in the log, by client id, never with the secret', async () => {
      const records = jest.spyOn(Logger.prototype, 'log');
      try {
        const { clientId, clientSecret } = await register({ name: 'Logged', redirectUris: ['https://logged.example.com/cb'] });
        await t.app.get(OAuthClientsService).findForProvider(clientId);
        await t.http.delete(`${CLIENTS}/${clientId}`).set(t.platform).expect(204);
        const events = records.mock.calls.map(([entry]) => entry as { msg: string; clientId?: string }).filter((entry) => entry.clientId === clientId);
        expect(events.map((entry) => entry.msg)).toEqual(['oauth client registered', 'oauth client deleted']);
        const everything = [...logs.lines, ...records.mock.calls.map((call) => JSON.stringify(call))].join('\n');
        expect(logs.lines.length).toBeGreaterThan(0);
        expect(everything).not.toContain(clientSecret);
        expect(everything).not.toContain(clientSecret.slice(4));
      } finally {
        records.mockRestore();
      }
    });

    it('gives each client its own id and secret, and defaults postLogoutRedirectUris to none', async () => {
      const [a, b] = [await register(), await register()];
      expect(a.clientId).not.toBe(b.clientId);
      expect(a.clientSecret).not.toBe(b.clientSecret);
      expect(a.postLogoutRedirectUris).toEqual([]);
    });

    it('keeps the secret only sealed: the row holds no plaintext, and the sealed value opens for its own client only', async () => {
      const { clientId, clientSecret } = await register();
      const [row] = await query('SELECT * FROM oauth_clients WHERE client_id = $1', [clientId]);
      expect(JSON.stringify(row)).not.toContain(clientSecret);
      expect(JSON.stringify(row)).not.toContain(clientSecret.slice(4));
      expect(row.client_secret_sealed).toMatch(/^v1:[A-Za-z0-9_-]+:/);

      // A sealed secret copied into another client's row does not open there.
      const other = await register();
      await query('UPDATE oauth_clients SET client_secret_sealed = $1 WHERE client_id = $2', [row.client_secret_sealed, other.clientId]);
      await expect(t.app.get(OAuthClientsService).findForProvider(other.clientId)).rejects.toThrow(/sealed for another context|altered/);
      await t.http.delete(`${CLIENTS}/${other.clientId}`).set(t.platform).expect(204);
    });

    it('keeps the redirect URIs exactly as written (no normalization)', async () => {
      const uris = ['https://App.Example.com:443/cb/?a=1&b=2', 'https://app.example.com/cb/', 'http://127.0.0.1:8080/callback'];
      const created = await register({ name: 'Exact', redirectUris: uris });
      expect(created.redirectUris).toEqual(uris);
      expect((await t.app.get(OAuthClientsService).findForProvider(created.clientId))!.redirectUris).toEqual(uris);
    });
  });

  describe('validation', () => {
    const count = async () => (await query('SELECT count(*)::int AS n FROM oauth_clients'))[0].n as number;

    it.each([
      ['a relative URI', '/oidc/callback', 'not_absolute_url'],
      ['no URI at all', 'dashboard.example.com/cb', 'not_absolute_url'],
      ['plain http on a public host', 'http://dashboard.example.com/cb', 'insecure_scheme'],
      ['plain http on a look-alike of localhost', 'http://localhost.example.com/cb', 'insecure_scheme'],
      ['another scheme', 'ftp://dashboard.example.com/cb', 'insecure_scheme'],
      ['a script', 'javascript:alert(1)', 'insecure_scheme'],
      ['a custom scheme', 'com.example.app:/cb', 'insecure_scheme'],
      ['a fragment', 'https://dashboard.example.com/cb#token', 'fragment_not_allowed'],
      ['an empty fragment', 'https://dashboard.example.com/cb#', 'fragment_not_allowed'],
      ['a fragment on localhost', 'http://localhost:3000/cb#x', 'fragment_not_allowed'],
      ['credentials', 'https://user:pass@dashboard.example.com/cb', 'credentials_not_allowed'],
    ])('refuses a redirect URI with %s (%s: 400 %s), and writes nothing', async (_what, uri, code) => {
      const before = await count();
      const res = await t.http.post(CLIENTS).set(t.platform).send({ name: 'Bad', redirectUris: ['https://ok.example.com/cb', uri] }).expect(400);
      expect(res.body).toMatchObject({ field: 'redirectUris.1', code, errors: [{ field: 'redirectUris.1', code, message: expect.any(String) }] });
      const logout = await t.http.post(CLIENTS).set(t.platform).send({ name: 'Bad', redirectUris: ['https://ok.example.com/cb'], postLogoutRedirectUris: [uri] }).expect(400);
      expect(logout.body).toMatchObject({ field: 'postLogoutRedirectUris.0', code, errors: [{ field: 'postLogoutRedirectUris.0', code, message: expect.any(String) }] });
      expect(await count()).toBe(before);
    });

    it.each(['http://localhost/cb', 'http://localhost:8080/cb', 'http://127.0.0.1:3001/cb', 'http://[::1]:3001/cb', 'https://dashboard.example.com/cb?x=1'])(
      'accepts %s',
      async (uri) => {
        await register({ name: 'Dev', redirectUris: [uri], postLogoutRedirectUris: [uri] });
      },
    );

    it('lists every problem at once, and refuses a URI listed twice', async () => {
      const res = await t.http
        .post(CLIENTS)
        .set(t.platform)
        .send({ name: 'Bad', redirectUris: ['https://a.example.com/cb', 'http://a.example.com/cb', 'https://a.example.com/cb'], postLogoutRedirectUris: ['/home'] })
        .expect(400);
      expect(res.body.errors).toEqual([
        { field: 'redirectUris.1', code: 'insecure_scheme', message: expect.any(String) },
        { field: 'redirectUris.2', code: 'duplicate_uri', message: expect.any(String) },
        { field: 'postLogoutRedirectUris.0', code: 'not_absolute_url', message: expect.any(String) },
      ]);
    });

    it.each([
      ['no name', { redirectUris: ['https://a.example.com/cb'] }, 'name'],
      ['an empty name', { name: '', redirectUris: ['https://a.example.com/cb'] }, 'name'],
      ['a name too long', { name: 'x'.repeat(101), redirectUris: ['https://a.example.com/cb'] }, 'name'],
      ['no redirect URI', { name: 'A' }, 'redirectUris'],
      ['an empty list of redirect URIs', { name: 'A', redirectUris: [] }, 'redirectUris'],
      ['a redirect URI that is not a string', { name: 'A', redirectUris: [42] }, 'redirectUris'],
      ['a redirect URI as a string, not a list', { name: 'A', redirectUris: 'https://a.example.com/cb' }, 'redirectUris'],
      ['too many redirect URIs', { name: 'A', redirectUris: Array.from({ length: 21 }, (_, i) => `https://a.example.com/cb${i}`) }, 'redirectUris'],
      ['a field of its own choosing', { name: 'A', redirectUris: ['https://a.example.com/cb'], clientSecret: 'mine' }, 'clientSecret'],
    ])('refuses %s with a 400 naming the field', async (_what, body, field) => {
      const before = await count();
      const res = await t.http.post(CLIENTS).set(t.platform).send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, field, errors: expect.arrayContaining([expect.objectContaining({ field, code: expect.any(String), message: expect.any(String) })]) });
      expect(await count()).toBe(before);
    });
  });

  describe('deleting', () => {
    it('removes the client at once: gone from the list and from the provider\'s lookup; a second delete is 404', async () => {
      const { clientId } = await register();
      expect(await t.app.get(OAuthClientsService).findForProvider(clientId)).not.toBeNull();
      await t.http.delete(`${CLIENTS}/${clientId}`).set(t.platform).expect(204);
      expect(await t.app.get(OAuthClientsService).findForProvider(clientId)).toBeNull();
      expect((await t.http.get(CLIENTS).set(t.platform).expect(200)).body.map((client: { clientId: string }) => client.clientId)).not.toContain(clientId);
      expect(await query('SELECT * FROM oauth_clients WHERE client_id = $1', [clientId])).toEqual([]);
      await t.http.delete(`${CLIENTS}/${clientId}`).set(t.platform).expect(404);
    });

    it('is 404 for an unknown or malformed client id, and the provider finds nothing for one', async () => {
      await t.http.delete(`${CLIENTS}/oc_${'A'.repeat(22)}`).set(t.platform).expect(404);
      await t.http.delete(`${CLIENTS}/not-a-client`).set(t.platform).expect(404);
      expect(await t.app.get(OAuthClientsService).findForProvider(`oc_${'A'.repeat(22)}`)).toBeNull();
      expect(await t.app.get(OAuthClientsService).findForProvider("' OR 1=1 --")).toBeNull();
    });
  });
});
