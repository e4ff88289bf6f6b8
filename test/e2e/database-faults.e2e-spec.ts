import request from 'supertest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp, startDatabase } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { PLATFORM_TOKEN, TEST_ENCRYPTION_KEY } from '../helpers/test-app';
import { createTestDatabase, basePostgresUrl } from '../helpers/test-database';
import { TcpProxy } from '../helpers/tcp-proxy';
import { createTestResponse } from '../helpers/test-idp';
import { testCredential } from '../helpers/test-credentials';

// The fault is injected between the app and a real PostgreSQL, which the embedded database has not.
const onPostgres = basePostgresUrl() ? describe : describe.skip;

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

onPostgres('while PostgreSQL is unreachable', () => {
  let database: { url: string; drop: () => Promise<void> };
  let proxy: TcpProxy;
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  const auth = { Authorization: `Bearer ${PLATFORM_TOKEN}` };

  beforeAll(async () => {
    database = (await createTestDatabase())!;
    const target = new URL(database.url);
    // Down from the start: the service must start anyway and become ready when the database comes.
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432), false);
    const url = new URL(database.url);
    url.port = String(proxy.port);
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: url.toString(),
      PUBLIC_BASE_URL: 'http://sso.test',
      PLATFORM_ADMIN_TOKEN: PLATFORM_TOKEN,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sso-faults-')),
      RATE_LIMIT_PER_MINUTE: '0',
      // Worker threads load the built JavaScript; validation-threads.e2e-spec runs them on the build.
      SAML_VALIDATION_THREADS: '0',
      LOG_LEVEL: 'silent',
    });
    app = await createApp(config, { logs: false });
    await app.init();
    void startDatabase(app);
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    await app.close();
    await proxy.cut();
    await database.drop();
  });

  it('starts without the database, answers 503 with Retry-After, and becomes ready when it comes', async () => {
    await http.get('/health').expect(200);
    await http.get('/health/ready').expect(503);
    const refused = await http.post('/api/v1/partners').set(auth).send({ name: 'early' }).expect(503);
    expect(refused.headers['retry-after']).toBeDefined();
    await proxy.restore();
    await eventually(async () => (await http.get('/health/ready')).status === 200, 15_000);
    await http.post('/api/v1/partners').set(auth).send({ name: 'on time' }).expect(201);
  });

  it('fails fast with 503 when the database goes away, and recovers without a restart', async () => {
    const organization = (await http.post('/api/v1/organizations').set(auth).send({ name: 'faulty' }).expect(201)).body;
    const settingsPath = `/api/v1/organizations/${organization.id}/sso`;
    const settings = (await http.post(`${settingsPath}/enable`).set(auth).expect(200)).body;
    await http
      .put(`${settingsPath}/identity-provider`)
      .set(auth)
      .send({ entityId: 'https://idp.example.test/metadata', ssoUrl: 'https://idp.example.test/sso', certificate: testCredential('idp').certificatePem })
      .expect(200);

    await proxy.cut();
    const started = Date.now();
    const ready = await http.get('/health/ready');
    expect(ready.status).toBe(503);
    const api = await http.get(settingsPath).set(auth);
    expect(api.status).toBe(503);
    expect(api.headers['retry-after']).toBeDefined();
    const login = await createTestResponse({
      audiences: [[settings.serviceProvider.entityId]],
      recipient: settings.serviceProvider.acsUrl,
      destination: settings.serviceProvider.acsUrl,
    });
    const acs = await http.post(`/saml/organization/${organization.id}/acs`).type('form').send({ SAMLResponse: login.base64 });
    expect([503]).toContain(acs.status);
    expect(acs.headers['content-type']).toMatch(/html/);
    expect(acs.headers['retry-after']).toBeDefined();
    expect(acs.text).toMatch(/<code id="reference">[0-9A-HJKMNP-TV-Z]{8}<\/code>/);
    expect(Date.now() - started).toBeLessThan(15_000);

    await proxy.restore();
    await eventually(async () => (await http.get('/health/ready')).status === 200, 15_000);
    await http.get(settingsPath).set(auth).expect(200);
    const retry = await createTestResponse({
      audiences: [[settings.serviceProvider.entityId]],
      recipient: settings.serviceProvider.acsUrl,
      destination: settings.serviceProvider.acsUrl,
    });
    await http.post(`/saml/organization/${organization.id}/acs`).type('form').send({ SAMLResponse: retry.base64 }).expect(302);
  });
});
