import { basePostgresUrl } from '../helpers/test-database';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createTestResponse } from '../helpers/test-idp';
import { createSsoTenant, lastAttempt, postToAcs, sessionCookieOf, SsoTenant, startSignIn } from '../helpers/sso-tenant';

// Two app instances need a PostgreSQL both can reach: the embedded database is one process's.
const onPostgres = basePostgresUrl() ? describe : describe.skip;

onPostgres('two instances on one PostgreSQL behave as one service', () => {
  let first: TestApp;
  let second: TestApp;
  let tenant: SsoTenant;

  beforeAll(async () => {
    first = await startTestApp();
    second = await first.startSibling();
    tenant = await createSsoTenant(first, 'organization');
  });
  afterAll(() => first.close());

  const response = (inResponseTo?: string, email = 'jane.doe@example.com') =>
    createTestResponse({ audiences: [[tenant.spEntityId]], recipient: tenant.acsUrl, destination: tenant.acsUrl, inResponseTo, nameId: email });

  it("accepts on one instance's ACS the AuthnRequest issued by the other, once", async () => {
    const { requestId, relayState } = await startSignIn(first, tenant, '/from-first');
    const signedIn = await postToAcs(second, tenant, (await response(requestId)).base64, relayState).expect(302);
    expect(signedIn.headers.location).toBe('/from-first');
    await postToAcs(first, tenant, (await response(requestId)).base64, relayState).expect(400);
    expect((await lastAttempt(first, tenant)).reason).toBe('request_reused');
  });

  it('refuses on one instance an assertion replayed from the other', async () => {
    const once = await response();
    await postToAcs(first, tenant, once.base64).expect(302);
    const replay = await postToAcs(second, tenant, once.base64).expect(400);
    expect(replay.text).toContain('replayed_assertion');
  });

  it('ends on one instance the session of a user deactivated on the other', async () => {
    const cookie = sessionCookieOf(await postToAcs(first, tenant, (await response()).base64).expect(302))!;
    const me = await second.http.get('/api/v1/me').set('Cookie', cookie).expect(200);
    await first.http.post(`/api/v1/organizations/${tenant.id}/users/${me.body.user.id}/deactivate`).set(first.platform).expect(200);
    await second.http.get('/api/v1/me').set('Cookie', cookie).expect(401);
  });

  it('stops logins on every instance within a second of SSO being disabled on one', async () => {
    await postToAcs(second, tenant, (await response(undefined, 'still.here@example.com')).base64).expect(302);
    await first.http.post(`${tenant.settingsPath}/disable`).set(first.platform).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const refused = await postToAcs(second, tenant, (await response(undefined, 'still.here@example.com')).base64).expect(403);
    expect(refused.text).toContain('sso_disabled');
  });
});
