import { startTestApp, TestApp } from '../helpers/test-app';
import { createTestResponse, IDP_ENTITY_ID } from '../helpers/test-idp';
import { createSsoTenant, IDP_SSO_URL, postToAcs, SsoTenant } from '../helpers/sso-tenant';
import { testCredential } from '../helpers/test-credentials';

describe('going live safely: the last successful sign-in and the warnings of the settings', () => {
  let t: TestApp;
  let tenant: SsoTenant;
  const domainsPath = () => `/api/v1/${tenant.type}s/${tenant.id}/domains`;
  const codes = (body: { warnings: { code: string }[] }) => body.warnings.map((warning) => warning.code);

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createSsoTenant(t, 'organization');
  });
  afterAll(() => t.close());

  async function signIn(): Promise<void> {
    const response = await createTestResponse({
      audiences: [[tenant.spEntityId]],
      recipient: tenant.acsUrl,
      destination: tenant.acsUrl,
      attributes: { 'User.Email': 'ada@acme-live.com' },
    });
    expect((await postToAcs(t, tenant, response.base64)).status).toBe(302);
  }

  it('warns of enforcement without a verified domain and before any sign-in, until both are done', async () => {
    const fresh = await t.http.get(tenant.settingsPath).set(t.platform).expect(200);
    expect(fresh.body).toMatchObject({ lastSuccessfulSignInAt: null, warnings: [] });

    const enforced = await t.http.patch(tenant.settingsPath).set(t.platform).send({ enforceSso: true, domains: ['acme-live.com'] }).expect(200);
    expect(codes(enforced.body)).toEqual(['enforcement_without_verified_domain', 'enforcement_before_successful_sign_in']);
    expect(enforced.body.warnings[0].message).toMatch(/no domain is verified/);

    await t.http.post(`${domainsPath()}/acme-live.com/verify`).set(t.platform).send({ method: 'manual' }).expect(200);
    await signIn();
    const live = await t.http.get(tenant.settingsPath).set(t.platform).expect(200);
    expect(codes(live.body)).toEqual([]);
    expect(Date.parse(live.body.lastSuccessfulSignInAt)).toBeGreaterThan(Date.parse(fresh.body.updatedAt) - 1);
  });

  it('forgets sign-ins made with an earlier IdP configuration', async () => {
    await t.http
      .put(`${tenant.settingsPath}/identity-provider`)
      .set(t.platform)
      .send({ entityId: IDP_ENTITY_ID, ssoUrl: IDP_SSO_URL, certificate: testCredential('idp').certificatePem })
      .expect(200);
    const reconfigured = await t.http.get(tenant.settingsPath).set(t.platform).expect(200);
    expect(reconfigured.body.lastSuccessfulSignInAt).toBeNull();
    expect(codes(reconfigured.body)).toEqual(['enforcement_before_successful_sign_in']);
    await signIn();
    expect(codes((await t.http.get(tenant.settingsPath).set(t.platform)).body)).toEqual([]);
  });

  it('warns of contradictions the API accepts: allowed domains excluding a verified one, a group with two roles', async () => {
    const res = await t.http
      .patch(tenant.settingsPath)
      .set(t.platform)
      .send({ allowedEmailDomains: ['elsewhere.com'], roleMapping: [{ group: 'ops', role: 'admin' }, { group: 'ops', role: 'viewer' }] })
      .expect(200);
    expect(codes(res.body)).toEqual(['allowed_email_domains_exclude_verified_domain', 'group_mapped_to_two_roles']);
  });
});
