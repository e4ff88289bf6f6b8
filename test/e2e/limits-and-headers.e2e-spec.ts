import { randomUUID } from 'node:crypto';
import { Database } from '../../src/database/database.service';
import { HousekeepingService } from '../../src/housekeeping/housekeeping.service';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createTestResponse } from '../helpers/test-idp';
import { createSsoTenant, postToAcs, SsoTenant } from '../helpers/sso-tenant';

describe('limits, headers and housekeeping', () => {
  let t: TestApp;
  let tenant: SsoTenant;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3', CORS_ORIGINS: 'https://portal.example.com' });
    tenant = await createSsoTenant(t, 'organization');
  });
  afterAll(() => t.close());

  describe('rate limits per client address', () => {
    it.each([
      ['/api/v1/sso/discover', (address: string) => t.http.post('/api/v1/sso/discover').set('X-Forwarded-For', address).send({ email: 'a@b.com' })],
      ['/saml/*/login', (address: string) => t.http.get(`${tenant.samlPath}/login`).set('X-Forwarded-For', address)],
      ['/saml/*/acs', (address: string) => t.http.post(`${tenant.samlPath}/acs`).set('X-Forwarded-For', address).type('form').send({ SAMLResponse: 'x' })],
    ])('answers 429 with Retry-After past the limit on %s, per address', async (_route, call) => {
      const address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
      for (let i = 0; i < 3; i++) expect((await call(address)).status).not.toBe(429);
      const limited = await call(address);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect((await call('203.0.113.9')).status).not.toBe(429);
    });

    it('leaves other routes alone', async () => {
      for (let i = 0; i < 6; i++) await t.http.get('/health').expect(200);
    });
  });

  describe('body caps', () => {
    it('refuses a JSON body over 2 MB with 413', async () => {
      const response = await t.http
        .put(`${tenant.settingsPath}/identity-provider`)
        .set(t.platform)
        .send({ metadataXml: 'x'.repeat(2_200_000) });
      expect(response.status).toBe(413);
    });

    it('refuses a form body over 1 MB on the ACS with 413', async () => {
      const response = await postToAcs(t, tenant, 'A'.repeat(1_100_000));
      expect(response.status).toBe(413);
    });
  });

  describe('security headers', () => {
    it('sets a session cookie without Secure over http', async () => {
      const login = await createTestResponse({ audiences: [[tenant.spEntityId]], recipient: tenant.acsUrl, destination: tenant.acsUrl, nameId: 'plain.http@example.com' });
      const signedIn = await postToAcs(t, tenant, login.base64).set('X-Forwarded-For', '192.0.2.79').expect(302);
      expect(signedIn.headers['set-cookie']![0]).not.toMatch(/; Secure/i);
    });

    it('sets nosniff, no framing and a deny-all CSP on API answers, and no HSTS over http', async () => {
      const response = await t.http.get('/health').expect(200);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['strict-transport-security']).toBeUndefined();
    });

    it('sends a strict CSP without unsafe-inline scripts on the SAML pages', async () => {
      const response = await postToAcs(t, tenant, 'not base64 !!!').set('X-Forwarded-For', '192.0.2.77');
      expect(response.headers['content-type']).toMatch(/html/);
      expect(response.headers['content-security-policy']).toContain("default-src 'none'");
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['content-security-policy']).not.toContain("script-src 'unsafe-inline'");
    });

    it('keeps CORS closed except for configured origins', async () => {
      const foreign = await t.http.get('/health').set('Origin', 'https://evil.example');
      expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
      const allowed = await t.http.get('/health').set('Origin', 'https://portal.example.com');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://portal.example.com');
    });

    it('sends HSTS when the public URL is https', async () => {
      const secure = await startTestApp({ PUBLIC_BASE_URL: 'https://sso.example.com' });
      try {
        const response = await secure.http.get('/health').expect(200);
        expect(response.headers['strict-transport-security']).toMatch(/max-age=31536000/);
        const secureTenant = await createSsoTenant(secure, 'organization');
        const login = await createTestResponse({ audiences: [[secureTenant.spEntityId]], recipient: secureTenant.acsUrl, destination: secureTenant.acsUrl });
        const signedIn = await postToAcs(secure, secureTenant, login.base64).expect(302);
        expect(signedIn.headers['set-cookie']![0]).toMatch(/; Secure/i);
      } finally {
        await secure.close();
      }
    });
  });

  describe('housekeeping', () => {
    it('deletes expired requests, replay entries and sessions, and entries past retention', async () => {
      const database = t.app.get(Database);
      const query = (sql: string, parameters: unknown[] = []) => database.manager.query(sql, parameters);
      const past = new Date(Date.now() - 3600_000);
      const [oldRequest, newRequest, oldAssertion, newAssertion] = ['_old', '_new', '_old', '_new'].map((prefix) => `${prefix}-${randomUUID()}`);
      const future = new Date(Date.now() + 3600_000);
      await query(`INSERT INTO authn_requests (id, tenant_type, tenant_id, relay_state, return_to, expires_at) VALUES ($1, 'organization', $2, $3, '/', $4), ($5, 'organization', $2, $6, '/', $7)`, [
        oldRequest, tenant.id, randomUUID(), past, newRequest, randomUUID(), future,
      ]);
      await query(`INSERT INTO used_assertions (tenant_type, tenant_id, assertion_id, expires_at) VALUES ('organization', $1, $2, $3), ('organization', $1, $4, $5)`, [
        tenant.id, oldAssertion, past, newAssertion, future,
      ]);
      const login = await createTestResponse({ audiences: [[tenant.spEntityId]], recipient: tenant.acsUrl, destination: tenant.acsUrl });
      await postToAcs(t, tenant, login.base64).set('X-Forwarded-For', '192.0.2.78').expect(302);
      await query(`UPDATE sessions SET expires_at = $1`, [past]);
      await query(`INSERT INTO login_attempts (id, tenant_type, tenant_id, at, outcome, reason) VALUES ($1, 'organization', $2, $3, 'failure', 'expired')`, [
        randomUUID(), tenant.id, new Date(Date.now() - 91 * 24 * 3600_000),
      ]);

      const report = await t.app.get(HousekeepingService).runOnce();
      expect(report.deleted).toMatchObject({ authn_requests: 1, used_assertions: 1, login_attempts: 1 });
      const remaining = async (table: string, column: string, ids: string[]) =>
        (await query(`SELECT ${column} AS id FROM ${table} WHERE ${column} = ANY($1)`, [ids])).map((row: { id: string }) => row.id);
      expect(await remaining('authn_requests', 'id', [oldRequest, newRequest])).toEqual([newRequest]);
      expect(await remaining('used_assertions', 'assertion_id', [oldAssertion, newAssertion])).toEqual([newAssertion]);
      expect(report.deleted.sessions).toBeGreaterThanOrEqual(1);
      expect(await query(`SELECT count(*)::int AS n FROM sessions`)).toEqual([{ n: 0 }]);
      const attempts = await t.http.get(`${tenant.settingsPath}/login-attempts`).set(t.platform).expect(200);
      expect(attempts.body.length).toBeGreaterThan(0);
    });

    it("empties every module's expiring table, each through the module that owns it", async () => {
      const report = await t.app.get(HousekeepingService).runOnce();
      expect(Object.keys(report.deleted).sort()).toEqual([
        'authn_requests',
        'login_attempts',
        'logout_requests',
        'oidc_payloads',
        'oidc_signing_keys',
        'rate_limit_counters',
        'scim_requests',
        'sessions',
        'setup_link_tokens',
        'setup_links',
        'sso_audit_log',
        'used_assertions',
      ]);
    });
  });
});
