import { bearer, PLATFORM_TOKEN, startTestApp, TestApp } from '../helpers/test-app';
import { captureLogLines } from '../helpers/log-lines';
import { createTestResponse } from '../helpers/test-idp';
import { createSsoTenant, postToAcs, sessionCookieOf, SsoTenant, startSignIn } from '../helpers/sso-tenant';

/** Requests that carry every kind of secret (a key, a session, a SAML payload, a return path); returns those secrets. */
async function requestsCarryingSecrets(t: TestApp, tenant: SsoTenant): Promise<string[]> {
  const key = (await t.http.post(`/api/v1/organizations/${tenant.id}/api-keys`).set(t.platform).send({ name: 'k' })).body.key;
  await t.http.get(`/api/v1/organizations/${tenant.id}`).set(bearer(key)).set('X-Request-Id', 'trace-123').expect(200);
  const { requestId, relayState, location } = await startSignIn(t, tenant, '/secret-return');
  const samlResponse = (await createTestResponse({ audiences: [[tenant.spEntityId]], recipient: tenant.acsUrl, destination: tenant.acsUrl, inResponseTo: requestId })).base64;
  const login = await postToAcs(t, tenant, samlResponse, relayState).expect(302);
  const session = sessionCookieOf(login)!.split('=')[1];
  await t.http.get('/api/v1/me').set(bearer(session)).expect(200);
  await postToAcs(t, tenant, samlResponse, relayState).expect(400);
  await new Promise((resolve) => setImmediate(resolve));
  return [PLATFORM_TOKEN, key, session, samlResponse.slice(0, 40), relayState, location.searchParams.get('SAMLRequest')!.slice(0, 40), 'secret-return'];
}

function expectNoSecrets(lines: string[], secrets: string[]): void {
  const everything = lines.join('\n');
  for (const secret of secrets) expect(everything).not.toContain(secret);
  expect(everything).not.toMatch(/PRIVATE KEY|authorization|cookie/i);
}

describe('logs', () => {
  const { lines, stream: logStream } = captureLogLines();
  let t: TestApp;
  let tenant: SsoTenant;

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' }, { logStream });
    tenant = await createSsoTenant(t, 'organization');
  });
  afterAll(() => t.close());

  it('are JSON lines with a request id, and never carry a token, a key or a SAML payload', async () => {
    const secrets = await requestsCarryingSecrets(t, tenant);

    const entries = lines.map((line) => JSON.parse(line));
    const requests = entries.filter((entry) => entry.req);
    expect(requests.length).toBeGreaterThanOrEqual(6);
    for (const entry of requests) expect(entry.req.id).toEqual(expect.any(String));
    expect(requests.some((entry) => entry.req.id === 'trace-123')).toBe(true);
    expectNoSecrets(lines, secrets);
  });

  it('log a refused request (4xx) at info, not as a warning', async () => {
    await t.http.get('/api/v1/me').expect(401);
    await new Promise((resolve) => setImmediate(resolve));

    const refused = lines.map((line) => JSON.parse(line)).filter((entry) => entry.req?.path === '/api/v1/me' && entry.res?.statusCode === 401);
    expect(refused).not.toHaveLength(0);
    for (const entry of refused) expect(entry.level).toBe(30);
  });
});

describe('logs with LOG_FORMAT=pretty', () => {
  const { lines, stream: logStream } = captureLogLines();
  let t: TestApp;
  let tenant: SsoTenant;

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' }, { logStream });
    tenant = await createSsoTenant(t, 'organization');
  });
  afterAll(() => t.close());

  it('are readable lines (method, path, status), not JSON, and carry no secret either', async () => {
    const secrets = await requestsCarryingSecrets(t, tenant);

    expect(lines.some((line) => line.trimStart().startsWith('{'))).toBe(false);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`INFO.*: GET /api/v1/organizations/${tenant.id} 200 in \\d+ ms`)));
    expect(lines).toContainEqual(expect.stringMatching(/INFO.*: POST \/saml\/organization\/\S+\/acs 400/));
    expectNoSecrets(lines, secrets);
  });
});
