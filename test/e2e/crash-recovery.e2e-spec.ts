import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { inflateRawSync } from 'node:zlib';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLATFORM_TOKEN, TEST_ENCRYPTION_KEY } from '../helpers/test-app';
import { basePostgresUrl, createTestDatabase } from '../helpers/test-database';
import { freeLoopbackPort, RunningService, startService } from '../../scripts/service-launcher';
import { buildService } from '../helpers/build-service';
import { testCredential } from '../helpers/test-credentials';
import { createTestResponse, IDP_ENTITY_ID } from '../helpers/test-idp';

// Kills a real service process; its database must outlive it, so this runs on PostgreSQL.
const onPostgres = basePostgresUrl() ? describe : describe.skip;

onPostgres('a service killed in the middle of a burst of logins', () => {
  let database: { url: string; drop: () => Promise<void> };
  let env: Record<string, string>;
  let port: number;
  let service: RunningService;

  beforeAll(async () => {
    await buildService();
    database = (await createTestDatabase())!;
    port = await freeLoopbackPort();
    env = {
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      PLATFORM_ADMIN_TOKEN: PLATFORM_TOKEN,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sso-crash-')),
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      ALLOW_HTTP_METADATA_URLS: 'true',
      ALLOW_PRIVATE_METADATA_HOSTS: 'true',
    };
    service = await startService({ env, port });
  }, 120_000);
  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await database?.drop();
  });

  it('loses at most the logins in flight: no duplicated or half-written user, no response usable twice', async () => {
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${service.baseUrl}${path}`, {
        ...init,
        redirect: 'manual',
        headers: { Authorization: `Bearer ${PLATFORM_TOKEN}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
      });
    const organization = await (await api('/api/v1/organizations', { method: 'POST', body: JSON.stringify({ name: 'crash' }) })).json();
    const settings = await (await api(`/api/v1/organizations/${organization.id}/sso/enable`, { method: 'POST' })).json();
    await api(`/api/v1/organizations/${organization.id}/sso/identity-provider`, {
      method: 'PUT',
      body: JSON.stringify({ entityId: IDP_ENTITY_ID, ssoUrl: 'https://idp.example.test/sso', certificate: testCredential('idp').certificatePem }),
    });
    const { entityId, acsUrl } = settings.serviceProvider;

    // Half SP-initiated (each answers its own AuthnRequest), half IdP-initiated; 60 users, two logins each.
    const logins: { samlResponse: string; relayState?: string }[] = [];
    for (let i = 0; i < 120; i++) {
      const email = `user${i % 60}@example.com`;
      let inResponseTo: string | undefined;
      let relayState: string | undefined;
      if (i % 2 === 0) {
        const start = await fetch(`${service.baseUrl}/saml/organization/${organization.id}/login?returnTo=/x`, { redirect: 'manual' });
        const location = new URL(start.headers.get('location')!);
        const request = inflateRawSync(Buffer.from(location.searchParams.get('SAMLRequest')!, 'base64')).toString();
        inResponseTo = /\sID="([^"]+)"/.exec(request)![1];
        relayState = location.searchParams.get('RelayState')!;
      }
      const response = await createTestResponse({ audiences: [[entityId]], recipient: acsUrl, destination: acsUrl, inResponseTo, nameId: email, attributes: { 'User.Email': email } });
      logins.push({ samlResponse: response.base64, relayState });
    }
    const post = async (login: { samlResponse: string; relayState?: string }) => {
      try {
        const response = await fetch(acsUrl, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ SAMLResponse: login.samlResponse, ...(login.relayState ? { RelayState: login.relayState } : {}) }),
        });
        return response.status;
      } catch {
        return 0;
      }
    };

    let sent = 0;
    const firstRun: number[] = new Array(logins.length).fill(0);
    const workers = Array.from({ length: 12 }, async () => {
      for (let index = sent++; index < logins.length; index = sent++) {
        if (index === 40) service.child.kill('SIGKILL');
        firstRun[index] = await post(logins[index]);
      }
    });
    await Promise.all(workers);
    await service.exited;
    expect(firstRun.filter((status) => status === 302).length).toBeGreaterThan(0);
    expect(firstRun.filter((status) => status === 0).length).toBeGreaterThan(0);

    service = await startService({ env, port });
    const secondRun = [];
    for (const login of logins) secondRun.push(await post(login));
    for (let i = 0; i < logins.length; i++) {
      expect({ i, both: firstRun[i] === 302 && secondRun[i] === 302 }).toEqual({ i, both: false });
    }
    expect(secondRun.every((status) => status === 302 || status === 400)).toBe(true);

    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const duplicates = await client.query(`SELECT email_normalized FROM users GROUP BY tenant_id, email_normalized HAVING count(*) > 1`);
      expect(duplicates.rows).toEqual([]);
      const halfWritten = await client.query(`
        SELECT u.email FROM users u
        WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id)
           OR NOT EXISTS (SELECT 1 FROM login_attempts a WHERE a.outcome = 'success' AND a.email = u.email)
           OR u.last_login_at IS NULL`);
      expect(halfWritten.rows).toEqual([]);
      const successes = await client.query(`SELECT count(*)::int AS n FROM login_attempts WHERE outcome = 'success'`);
      const sessions = await client.query(`SELECT count(*)::int AS n FROM sessions`);
      expect(sessions.rows[0].n).toBe(successes.rows[0].n);
      const consumedTwice = await client.query(`SELECT assertion_id FROM used_assertions GROUP BY assertion_id HAVING count(*) > 1`);
      expect(consumedTwice.rows).toEqual([]);
    } finally {
      await client.end();
    }
  }, 180_000);

  it('finishes the requests in flight on SIGTERM, then exits with status 0', async () => {
    // A metadata URL that answers slowly keeps a settings request in flight while the signal arrives.
    const slowMetadata = createServer((_request, response) => {
      setTimeout(() => response.writeHead(404).end(), 1500);
    });
    await new Promise<void>((resolve) => slowMetadata.listen(0, '127.0.0.1', resolve));
    try {
      const headers = { Authorization: `Bearer ${PLATFORM_TOKEN}`, 'Content-Type': 'application/json' };
      const organization = await (await fetch(`${service.baseUrl}/api/v1/organizations`, { method: 'POST', headers, body: '{"name":"sigterm"}' })).json();
      await fetch(`${service.baseUrl}/api/v1/organizations/${organization.id}/sso/enable`, { method: 'POST', headers });
      const inFlight = fetch(`${service.baseUrl}/api/v1/organizations/${organization.id}/sso/identity-provider`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ metadataUrl: `http://127.0.0.1:${(slowMetadata.address() as AddressInfo).port}/metadata` }),
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      service.child.kill('SIGTERM');
      const answered = await inFlight;
      expect(answered.status).toBe(400);
      expect((await answered.json()).code).toBe('fetch_failed');
      expect(await service.exited).toBe(0);
      await expect(fetch(`${service.baseUrl}/health`)).rejects.toThrow();
    } finally {
      await new Promise((resolve) => slowMetadata.close(resolve));
    }
  });
});
