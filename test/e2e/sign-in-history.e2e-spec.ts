import { X509Certificate } from 'node:crypto';
import { SignInHistory1764375900000 } from '../../migrations/1764375900000-SignInHistory';
import { Database } from '../../src/database/database.service';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createTestResponse } from '../helpers/test-idp';
import { createSsoTenant, postToAcs, sessionCookieOf, SsoTenant, startSignIn } from '../helpers/sso-tenant';

const TEST_RESULT = '/admin/test-result';
const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

describe('sign-in history and the audit log in words', () => {
  let t: TestApp;
  let tenant: SsoTenant;

  const signedResponse = (email: string, extra: Parameters<typeof createTestResponse>[0] = {}) =>
    createTestResponse({
      audiences: [[tenant.spEntityId]],
      recipient: tenant.acsUrl,
      destination: tenant.acsUrl,
      nameId: email,
      ...extra,
    });

  /** A sign-in started at the login URL (to land on `returnTo`) and answered by the test IdP. */
  async function signIn(email: string, returnTo: string, status: number, extra: Parameters<typeof createTestResponse>[0] = {}) {
    const { requestId, relayState } = await startSignIn(t, tenant, returnTo);
    return postToAcs(t, tenant, (await signedResponse(email, { inResponseTo: requestId, ...extra })).base64, relayState).expect(status);
  }

  const attempts = async (query: Record<string, string>) =>
    (await t.http.get(`${tenant.settingsPath}/login-attempts`).query(query).set(t.platform).expect(200)).body as Record<string, unknown>[];

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createSsoTenant(t, 'organization');
    await t.http
      .patch(tenant.settingsPath)
      .set(t.platform)
      .send({ roleMapping: [{ group: 'it-admins', role: 'admin' }], defaultRole: 'viewer' })
      .expect(200);
    await signIn('ada@example.com', TEST_RESULT, 302, { attributes: { 'User.groups': ['it-admins'] } });
    await signIn('vera@example.com', '/dashboard', 302);
    await signIn('ada@example.com', TEST_RESULT, 400, { sign: 'none' });
    await signIn('bob@example.com', '/dashboard', 400, { audiences: [['https://someone-else.example']] });
  });
  afterAll(() => t.close());

  it('records the role each successful sign-in granted, and null for refusals', async () => {
    const all = await attempts({});
    expect(all.find((attempt) => attempt.email === 'ada@example.com' && attempt.outcome === 'success')).toMatchObject({ role: 'admin' });
    expect(all.find((attempt) => attempt.email === 'vera@example.com')).toMatchObject({ outcome: 'success', role: 'viewer' });
    expect(all.filter((attempt) => attempt.outcome === 'failure').map((attempt) => attempt.role)).toEqual([null, null]);
  });

  it("tells the settings page's test sign-ins from real ones, successes and refusals alike", async () => {
    const tests = await attempts({ test: 'true' });
    expect(tests.map((attempt) => [attempt.outcome, attempt.reason])).toEqual([
      ['failure', 'unsigned'],
      ['success', null],
    ]);
    const real = await attempts({ test: 'false' });
    // A refused response names nobody that could be trusted: no email for the audience mismatch.
    expect(real.map((attempt) => [attempt.outcome, attempt.reason ?? attempt.email])).toEqual([
      ['failure', 'audience_mismatch'],
      ['success', 'vera@example.com'],
    ]);
    expect(real.every((attempt) => attempt.test === false)).toBe(true);
  });

  it('filters by outcome, reason and part of the email (any case), all of them together', async () => {
    expect((await attempts({ outcome: 'failure' })).map((attempt) => attempt.reason)).toEqual(['audience_mismatch', 'unsigned']);
    expect((await attempts({ reason: 'unsigned' })).map((attempt) => attempt.test)).toEqual([true]);
    expect((await attempts({ email: 'ADA@' })).map((attempt) => [attempt.outcome, attempt.email])).toEqual([['success', 'ada@example.com']]);
    expect(await attempts({ email: 'ada', outcome: 'success', test: 'true' })).toHaveLength(1);
    expect(await attempts({ email: 'ada', outcome: 'success', test: 'false' })).toHaveLength(0);
    // LIKE's wildcards are letters like any other in the filter.
    expect(await attempts({ email: '%' })).toHaveLength(0);
    expect(await attempts({ email: '_' })).toHaveLength(0);
  });

  it('finds the attempt of a reference as a user reads it out: any case, O for 0, I or L for 1', async () => {
    const [refused] = await attempts({ reason: 'audience_mismatch' });
    const reference = refused.reference as string;
    expect(await attempts({ reference })).toEqual([refused]);
    const spoken = reference.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l');
    expect(await attempts({ reference: spoken })).toEqual([refused]);
    expect(await attempts({ reference: 'ZZZZZZZZ' })).toEqual([]);
  });

  it('refuses filters it does not know, with the field and a code', async () => {
    const response = await t.http.get(`${tenant.settingsPath}/login-attempts`).query({ outcome: 'maybe', reason: 'bored' }).set(t.platform).expect(400);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'outcome', code: 'is_in' }),
        expect.objectContaining({ field: 'reason', code: 'is_in' }),
      ]),
    );
    await t.http.get(`${tenant.settingsPath}/login-attempts`).query({ test: 'yes' }).set(t.platform).expect(400);
    await t.http.get(`${tenant.settingsPath}/login-attempts`).query({ reference: "x' OR 1=1" }).set(t.platform).expect(400);
  });

  it('names the actor of each audit entry: the API key by its name, the user by name and email', async () => {
    const key = (await t.http.post(`/api/v1/organizations/${tenant.id}/api-keys`).set(t.platform).send({ name: 'Terraform' }).expect(201)).body;
    await t.http.patch(tenant.settingsPath).set({ Authorization: `Bearer ${key.key}` }).send({ clockSkewSeconds: 90 }).expect(200);
    const admin = await signIn('ada@example.com', '/dashboard', 302, {
      attributes: { 'User.groups': ['it-admins'], 'User.FirstName': 'Ada', 'User.LastName': 'Admin' },
    });
    await t.http.patch(tenant.settingsPath).set('Cookie', sessionCookieOf(admin)!).send({ defaultRole: 'member' }).expect(200);

    const log = (await t.http.get(`${tenant.settingsPath}/audit-log?limit=3`).set(t.platform).expect(200)).body;
    expect(log[0]).toMatchObject({
      actor: { type: 'user', id: expect.any(String), name: 'Ada Admin', email: 'ada@example.com' },
      changes: [{ field: 'defaultRole', old: 'viewer', new: 'member' }],
    });
    expect(log[1].actor).toEqual({ type: 'api_key', id: key.id, name: 'Terraform' });
    // The platform token has no name to give.
    expect(log[2].actor).toEqual({ type: 'platform', id: null });
  });

  it('writes certificate fingerprints in the audit log as the settings do: SHA-256, upper-case hex pairs joined by colons', async () => {
    const settings = (await t.http.get(tenant.settingsPath).set(t.platform).expect(200)).body;
    const log = (await t.http.get(`${tenant.settingsPath}/audit-log?limit=500`).set(t.platform).expect(200)).body;
    const enabled = log.find((entry: { action: string }) => entry.action === 'enable');
    const spCertificate = enabled.changes.find((change: { field: string }) => change.field === 'serviceProvider.certificate');
    expect(spCertificate.new).toMatch(FINGERPRINT);
    expect(spCertificate.new).toBe(new X509Certificate(settings.serviceProvider.certificate).fingerprint256);
    const idpSet = log.find((entry: { action: string }) => entry.action === 'identity_provider');
    expect(idpSet.changes[0].new.certificates).toEqual([settings.identityProvider.certificates[0].fingerprintSha256]);
  });

  it('has a migration that goes down and up again, the attempts from before it counting as real', async () => {
    const runner = t.app.get(Database).manager.connection.createQueryRunner();
    try {
      await new SignInHistory1764375900000().down(runner);
      const [{ count }] = await runner.query(`SELECT count(*)::int AS count FROM login_attempts WHERE tenant_id = $1`, [tenant.id]);
      await new SignInHistory1764375900000().up(runner);
      const rows: { test: boolean; role: string | null }[] = await runner.query(`SELECT test, role FROM login_attempts WHERE tenant_id = $1`, [tenant.id]);
      expect(rows).toHaveLength(count);
      expect(rows.every((row) => row.test === false && row.role === null)).toBe(true);
    } finally {
      await runner.release();
    }
  });
});
