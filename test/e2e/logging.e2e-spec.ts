import { bearer, PLATFORM_TOKEN, startTestApp, TestApp } from '../helpers/test-app';
import { captureLogLines } from '../helpers/log-lines';
import { createTestResponse } from '../helpers/test-idp';
import { createSsoTenant, postToAcs, sessionCookieOf, SsoTenant, startSignIn } from '../helpers/sso-tenant';

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
    const key = (await t.http.post(`/api/v1/organizations/${tenant.id}/api-keys`).set(t.platform).send({ name: 'k' })).body.key;
    await t.http.get(`/api/v1/organizations/${tenant.id}`).set(bearer(key)).set('X-Request-Id', 'trace-123').expect(200);
    const { requestId, relayState, location } = await startSignIn(t, tenant, '/secret-return');
    const samlResponse = (await createTestResponse({ audiences: [[tenant.spEntityId]], recipient: tenant.acsUrl, destination: tenant.acsUrl, inResponseTo: requestId })).base64;
    const login = await postToAcs(t, tenant, samlResponse, relayState).expect(302);
    const session = sessionCookieOf(login)!.split('=')[1];
    await t.http.get('/api/v1/me').set(bearer(session)).expect(200);
    await postToAcs(t, tenant, samlResponse, relayState).expect(400);
    await new Promise((resolve) => setImmediate(resolve));

    const entries = lines.map((line) => JSON.parse(line));
    const requests = entries.filter((entry) => entry.req);
    expect(requests.length).toBeGreaterThanOrEqual(6);
    for (const entry of requests) expect(entry.req.id).toEqual(expect.any(String));
    expect(requests.some((entry) => entry.req.id === 'trace-123')).toBe(true);

    const everything = lines.join('\n');
    const secrets = [PLATFORM_TOKEN, key, session, samlResponse.slice(0, 40), relayState, location.searchParams.get('SAMLRequest')!.slice(0, 40), 'secret-return'];
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/PRIVATE KEY|authorization|cookie/i);
  });
});
