import { createPublicKey } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tamperNameId } from '../helpers/saml-attacks';
import { freeLoopbackPort, RunningService, startService } from '../../scripts/service-launcher';
import { buildService } from '../helpers/build-service';
import { PLATFORM_TOKEN, TEST_ENCRYPTION_KEY } from '../helpers/test-app';
import { testCredential, type TestCredential } from '../helpers/test-credentials';
import { createTestDatabase } from '../helpers/test-database';
import { createTestResponse, IDP_ENTITY_ID } from '../helpers/test-idp';

// Worker threads run the built JavaScript, so this drives the built service as `npm start` runs it,
// on PostgreSQL when the tests have one and on the embedded database otherwise.
describe('SAML responses validated on a worker thread (the built service)', () => {
  let database: { url: string; drop: () => Promise<void> } | null;
  let service: RunningService;
  let tenantBase: string;
  let sp: { entityId: string; acsUrl: string; certificate: string };

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${service.baseUrl}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${PLATFORM_TOKEN}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    });
  const postToAcs = (samlResponse: string) =>
    fetch(sp.acsUrl, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ SAMLResponse: samlResponse }),
    });
  const latestAttempt = async () => {
    const attempts = (await (await api(`${tenantBase}/login-attempts?limit=1`)).json()) as { outcome: string; reason: string | null }[];
    return attempts[0];
  };

  beforeAll(async () => {
    await buildService();
    database = await createTestDatabase();
    const port = await freeLoopbackPort();
    service = await startService({
      port,
      env: {
        NODE_ENV: 'test',
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        PLATFORM_ADMIN_TOKEN: PLATFORM_TOKEN,
        ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'sso-threads-')),
        RATE_LIMIT_PER_MINUTE: '0',
        SAML_VALIDATION_THREADS: '2',
        LOG_LEVEL: 'info',
        ...(database ? { DATABASE_URL: database.url } : {}),
      },
    });
    const organization = (await (await api('/api/v1/organizations', { method: 'POST', body: JSON.stringify({ name: 'threads' }) })).json()) as { id: string };
    tenantBase = `/api/v1/organizations/${organization.id}/sso`;
    const settings = (await (await api(`${tenantBase}/enable`, { method: 'POST' })).json()) as { serviceProvider: typeof sp };
    sp = settings.serviceProvider;
    const configured = await api(`${tenantBase}/identity-provider`, {
      method: 'PUT',
      body: JSON.stringify({ entityId: IDP_ENTITY_ID, ssoUrl: 'https://idp.example.test/sso', certificate: testCredential('idp').certificatePem }),
    });
    expect(configured.status).toBe(200);
  }, 240_000);

  afterAll(async () => {
    service?.child.kill('SIGTERM');
    await service?.exited;
    await database?.drop();
  });

  const responseFor = (email: string, extra: Parameters<typeof createTestResponse>[0] = {}) =>
    createTestResponse({ audiences: [[sp.entityId]], recipient: sp.acsUrl, destination: sp.acsUrl, nameId: email, attributes: { 'User.Email': email }, ...extra });

  it('says at start how many threads validate', () => {
    expect(service.output()).toContain('SAML responses are validated on 2 worker thread(s)');
  });

  it('signs in with a valid response', async () => {
    const response = await postToAcs((await responseFor('valid@example.com')).base64);
    expect(response.status).toBe(302);
    expect(response.headers.get('set-cookie')).toMatch(/sso_session=/);
    expect(await latestAttempt()).toMatchObject({ outcome: 'success' });
  });

  it("decrypts an assertion encrypted to the tenant's certificate (the private key crosses to the thread)", async () => {
    const certificatePem = sp.certificate;
    const credential = { certificatePem, publicKeyPem: createPublicKey(certificatePem).export({ type: 'spki', format: 'pem' }).toString() } as TestCredential;
    const response = await postToAcs((await responseFor('encrypted@example.com', { encrypt: { credential } })).base64);
    expect(response.status).toBe(302);
    expect(await latestAttempt()).toMatchObject({ outcome: 'success' });
  });

  it.each([
    ['a signed NameID changed afterwards', async () => tamperNameId((await responseFor('victim@example.com')).xml).base64, 'invalid_signature'],
    ['an unsigned response', async () => (await responseFor('unsigned@example.com', { sign: 'none' })).base64, 'unsigned'],
    ['text that is not base64', async () => 'not*base64', 'malformed_request'],
    ['an expired assertion', async () => (await responseFor('late@example.com', { now: new Date(Date.now() - 3_600_000) })).base64, 'expired'],
  ])('refuses %s with its reason, creating no session', async (_name, samlResponse, reason) => {
    const response = await postToAcs(await samlResponse());
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('set-cookie') ?? '').not.toMatch(/sso_session=/);
    expect(await latestAttempt()).toMatchObject({ outcome: 'failure', reason });
  });

  it('keeps up with logins posted in parallel, each answered once', async () => {
    const responses = await Promise.all(Array.from({ length: 24 }, (_, i) => responseFor(`parallel${i}@example.com`)));
    const statuses = await Promise.all(responses.map((response) => postToAcs(response.base64).then((answer) => answer.status)));
    expect(statuses).toEqual(new Array(24).fill(302));
  });
});
