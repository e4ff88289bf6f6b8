import { generateKeyPairSync, randomUUID } from 'node:crypto';
import forge from 'node-forge';
import { Database } from '../../src/database/database.service';
import { createSsoTenant, IDP_SSO_URL, postToAcs, sessionCookieOf, SsoTenant, startSignIn } from '../helpers/sso-tenant';
import { bearer, startTestApp, TestApp } from '../helpers/test-app';
import { testCredential } from '../helpers/test-credentials';
import { createTestResponse, IDP_ENTITY_ID } from '../helpers/test-idp';
import { createPartnerWithOrganization, TenantFixture } from '../helpers/tenants';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A self-signed RSA certificate that expires in `days` days: an IdP certificate due for rollover. */
function certificateExpiringIn(days: number): string {
  const { privateKey: privateKeyPem } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const privateKey = forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey;
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  certificate.serialNumber = '01';
  certificate.validity.notBefore = new Date(Date.now() - DAY_MS);
  certificate.validity.notAfter = new Date(Date.now() + days * DAY_MS);
  const name = [{ name: 'commonName', value: 'IdP certificate due for rollover' }];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.sign(privateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(certificate);
}

interface Overview {
  items: { id: string; name: string; partnerId: string; sso: Record<string, unknown> }[];
  total: number;
  limit: number;
  offset: number;
}

describe("a partner's organizations with their SSO at a glance", () => {
  let t: TestApp;
  let acme: TenantFixture;
  let globex: TenantFixture;
  const ids: Record<string, string> = {};
  const overviewPath = () => `/api/v1/partners/${acme.partner.id}/organizations/sso-overview`;

  async function organization(name: string, partnerId: string): Promise<string> {
    const created = await t.http.post('/api/v1/organizations').set(t.platform).send({ name, partnerId }).expect(201);
    return created.body.id;
  }

  async function withIdentityProvider(id: string, certificate = testCredential('idp').certificatePem): Promise<void> {
    await t.http.post(`/api/v1/organizations/${id}/sso/enable`).set(t.platform).expect(200);
    await t.http
      .put(`/api/v1/organizations/${id}/sso/identity-provider`)
      .set(t.platform)
      .send({ entityId: IDP_ENTITY_ID, ssoUrl: IDP_SSO_URL, certificate })
      .expect(200);
  }

  function ssoTenant(id: string): SsoTenant {
    const acsUrl = `http://sso.test/saml/organization/${id}/acs`;
    return {
      type: 'organization',
      id,
      settingsPath: `/api/v1/organizations/${id}/sso`,
      samlPath: `/saml/organization/${id}`,
      spEntityId: `http://sso.test/saml/organization/${id}/metadata`,
      acsUrl,
    } as SsoTenant;
  }

  async function signIn(id: string, credential = testCredential('idp')) {
    const tenant = ssoTenant(id);
    const { requestId, relayState } = await startSignIn(t, tenant);
    const response = await createTestResponse({
      audiences: [[tenant.spEntityId]],
      recipient: tenant.acsUrl,
      destination: tenant.acsUrl,
      inResponseTo: requestId,
      credential,
      attributes: { 'User.Email': 'ann@example.com' },
    });
    return postToAcs(t, tenant, response.base64, relayState);
  }

  beforeAll(async () => {
    t = await startTestApp();
    acme = await createPartnerWithOrganization(t, 'Acme');
    globex = await createPartnerWithOrganization(t, 'Globex');
    const partnerId = acme.partner.id;
    ids['Acme Org'] = acme.organization.id;
    ids['100% Cotton'] = await organization('100% Cotton', partnerId);
    ids['Beta Awaiting'] = await organization('Beta Awaiting', partnerId);
    await t.http.post(`/api/v1/organizations/${ids['Beta Awaiting']}/sso/enable`).set(t.platform).expect(200);

    ids['Gamma Active'] = await organization('Gamma Active', partnerId);
    await withIdentityProvider(ids['Gamma Active']);
    expect((await signIn(ids['Gamma Active'])).status).toBe(302);
    // Signed by a key the tenant does not trust: a refused sign-in, recorded as such.
    expect((await signIn(ids['Gamma Active'], testCredential('attacker'))).status).toBeGreaterThanOrEqual(400);
    // A refusal of two days ago is history, not a failure of the last day.
    await t.app
      .get(Database)
      .manager.query(
        `INSERT INTO login_attempts (id, tenant_type, tenant_id, at, outcome, reason) VALUES ($1, 'organization', $2, $3, 'failure', 'signature_invalid')`,
        [randomUUID(), ids['Gamma Active'], new Date(Date.now() - 2 * DAY_MS)],
      );

    ids['Delta Enforced'] = await organization('Delta Enforced', partnerId);
    await withIdentityProvider(ids['Delta Enforced']);
    await t.http.patch(`/api/v1/organizations/${ids['Delta Enforced']}/sso`).set(t.platform).send({ enforceSso: true }).expect(200);

    ids['Epsilon Disabled'] = await organization('Epsilon Disabled', partnerId);
    await withIdentityProvider(ids['Epsilon Disabled'], certificateExpiringIn(10));
    await t.http.patch(`/api/v1/organizations/${ids['Epsilon Disabled']}/sso`).set(t.platform).send({ enforceSso: true }).expect(200);
    await t.http.post(`/api/v1/organizations/${ids['Epsilon Disabled']}/sso/disable`).set(t.platform).expect(200);

    // Another partner's organization whose name matches the searches below: never in Acme's list.
    await organization('Gamma Lookalike', globex.partner.id);
  });
  afterAll(() => t.close());

  it("gives each organization's status, enforcement, last successful sign-in, expiring certificates and failures of the last day", async () => {
    const response = await t.http.get(overviewPath()).set(bearer(acme.partnerKey)).expect(200);
    const overview: Overview = response.body;
    expect(overview.total).toBe(6);
    expect(overview).toMatchObject({ limit: 25, offset: 0 });
    expect(overview.items.map((item) => item.name)).toEqual([
      '100% Cotton',
      'Acme Org',
      'Beta Awaiting',
      'Delta Enforced',
      'Epsilon Disabled',
      'Gamma Active',
    ]);
    const byName = Object.fromEntries(overview.items.map((item) => [item.name, item]));
    for (const item of overview.items) expect(item).toMatchObject({ id: ids[item.name], partnerId: acme.partner.id });

    const none = { enforced: false, lastSuccessfulSignInAt: null, certificatesExpiringSoon: 0, failedSignInsLastDay: 0 };
    expect(byName['Acme Org'].sso).toEqual({ status: 'off', ...none });
    expect(byName['Beta Awaiting'].sso).toEqual({ status: 'awaiting_idp', ...none });
    expect(byName['Delta Enforced'].sso).toEqual({ ...none, status: 'active', enforced: true });
    // Enforcement of a tenant whose SSO is off enforces nothing.
    expect(byName['Epsilon Disabled'].sso).toEqual({ ...none, status: 'disabled', certificatesExpiringSoon: 1 });

    const gamma = byName['Gamma Active'].sso;
    expect(gamma).toMatchObject({ status: 'active', enforced: false, certificatesExpiringSoon: 0, failedSignInsLastDay: 1 });
    const settings = await t.http.get(`/api/v1/organizations/${ids['Gamma Active']}/sso`).set(t.platform).expect(200);
    expect(gamma.lastSuccessfulSignInAt).toBe(settings.body.lastSuccessfulSignInAt);
    expect(Date.now() - Date.parse(gamma.lastSuccessfulSignInAt as string)).toBeLessThan(DAY_MS);
  });

  it('searches names within the partner, any case, with % and _ taken literally', async () => {
    const names = async (search: string) =>
      ((await t.http.get(overviewPath()).query({ search }).set(bearer(acme.partnerKey)).expect(200)).body as Overview).items.map((i) => i.name);
    expect(await names('GAMMA')).toEqual(['Gamma Active']);
    expect(await names('  delta ')).toEqual(['Delta Enforced']);
    expect(await names('%')).toEqual(['100% Cotton']);
    expect(await names('_')).toEqual([]);
    // A backslash is a letter too, not LIKE's escape character (which would make this search "a").
    expect(await names('\\a')).toEqual([]);
    expect(await names('\\')).toEqual([]);
    expect(await names('nothing like it')).toEqual([]);
    const searched = await t.http.get(overviewPath()).query({ search: 'a' }).set(bearer(acme.partnerKey)).expect(200);
    expect(searched.body.total).toBe(5);
  });

  it('pages by name with a bounded page size: pages do not overlap and cover every organization', async () => {
    const page = async (offset: number) =>
      (await t.http.get(overviewPath()).query({ limit: 4, offset }).set(bearer(acme.partnerKey)).expect(200)).body as Overview;
    const [first, second, beyond] = await Promise.all([page(0), page(4), page(8)]);
    expect(first.items).toHaveLength(4);
    expect(second.items.map((item) => item.name)).toEqual(['Epsilon Disabled', 'Gamma Active']);
    expect(beyond.items).toEqual([]);
    expect([first.total, second.total, beyond.total]).toEqual([6, 6, 6]);
    expect(new Set([...first.items, ...second.items].map((item) => item.id)).size).toBe(6);

    for (const query of [{ limit: 0 }, { limit: 101 }, { limit: 'ten' }, { offset: -1 }, { search: 'x'.repeat(201) }, { sort: 'name' }]) {
      const refused = await t.http.get(overviewPath()).query(query).set(bearer(acme.partnerKey)).expect(400);
      expect(refused.body.field).toBeDefined();
    }
  });

  it('answers in the same number of SQL statements whatever the page size (no query per organization)', async () => {
    const dataSource = t.app.get(Database).manager.connection;
    const statementsFor = async (limit: number) => {
      const logQuery = dataSource.logger.logQuery;
      let statements = 0;
      dataSource.logger.logQuery = (...args) => {
        statements++;
        return logQuery.apply(dataSource.logger, args);
      };
      try {
        const response = await t.http.get(overviewPath()).query({ limit }).set(bearer(acme.partnerKey)).expect(200);
        expect(response.body.items).toHaveLength(limit);
      } finally {
        dataSource.logger.logQuery = logQuery;
      }
      return statements;
    };
    const forOne = await statementsFor(1);
    expect(forOne).toBeGreaterThan(0);
    expect(await statementsFor(6)).toBe(forOne);
  });

  it('is open to the partner and the platform only: another partner, an organization key and no token are refused', async () => {
    await t.http.get(overviewPath()).set(t.platform).expect(200);
    await t.http.get(overviewPath()).set(bearer(globex.partnerKey)).expect(403);
    await t.http.get(overviewPath()).set(bearer(acme.organizationKey)).expect(403);
    await t.http.get(`/api/v1/partners/${acme.organization.id}/organizations/sso-overview`).set(bearer(acme.organizationKey)).expect(404);
    await t.http.get(overviewPath()).expect(401);
    await t.http.get(overviewPath()).set(bearer('sk_not-a-key')).expect(401);
    await t.http.get(`/api/v1/partners/${randomUUID()}/organizations/sso-overview`).set(t.platform).expect(404);
    const globexOverview = await t.http.get(`/api/v1/partners/${globex.partner.id}/organizations/sso-overview`).set(bearer(globex.partnerKey)).expect(200);
    expect(globexOverview.body.items.map((item: { name: string }) => item.name)).toEqual(['Gamma Lookalike', 'Globex Org']);
  });

  it("is open to the partner's administrators signed in by SSO, and to no other role", async () => {
    const partner = await createSsoTenant(t, 'partner');
    await t.http.patch(partner.settingsPath).set(t.platform).send({ roleMapping: [{ group: 'portal-admins', role: 'admin' }] }).expect(200);
    await organization('Managed By SSO Admins', partner.id);
    const sessionOf = async (email: string, groups: string[]) => {
      const { requestId, relayState } = await startSignIn(t, partner);
      const response = await createTestResponse({
        audiences: [[partner.spEntityId]],
        recipient: partner.acsUrl,
        destination: partner.acsUrl,
        inResponseTo: requestId,
        nameId: email,
        attributes: { 'User.Email': email, 'User.groups': groups },
      });
      return sessionCookieOf(await postToAcs(t, partner, response.base64, relayState).expect(302))!;
    };
    const path = `/api/v1/partners/${partner.id}/organizations/sso-overview`;
    const admin = await t.http.get(path).set('Cookie', await sessionOf('ada@partner.example', ['portal-admins'])).expect(200);
    expect(admin.body.items.map((item: { name: string }) => item.name)).toEqual(['Managed By SSO Admins']);
    await t.http.get(path).set('Cookie', await sessionOf('max@partner.example', ['everyone'])).expect(403);
    await t.http.get(overviewPath()).set('Cookie', await sessionOf('ada@partner.example', ['portal-admins'])).expect(403);
  });

  it("keeps the contract's list of organizations, and pages and searches it on request", async () => {
    const all = await t.http.get(`/api/v1/partners/${acme.partner.id}/organizations`).set(bearer(acme.partnerKey)).expect(200);
    expect(all.body.map((o: { id: string }) => o.id)).toEqual(Object.values(ids));
    expect(all.headers['x-total-count']).toBeUndefined();

    const searched = await t.http
      .get(`/api/v1/partners/${acme.partner.id}/organizations`)
      .query({ search: 'a', limit: 2, offset: 1 })
      .set(bearer(acme.partnerKey))
      .expect(200);
    expect(searched.body.map((o: { name: string }) => o.name)).toEqual(['Beta Awaiting', 'Delta Enforced']);
    expect(searched.headers['x-total-count']).toBe('5');
    await t.http.get(`/api/v1/partners/${acme.partner.id}/organizations`).query({ limit: 500 }).set(bearer(acme.partnerKey)).expect(400);
    await t.http.get(`/api/v1/partners/${acme.partner.id}/organizations`).query({ search: 'a' }).set(bearer(globex.partnerKey)).expect(403);
  });

  it('is in the OpenAPI document', async () => {
    const document = (await t.http.get('/api/docs-json').expect(200)).body;
    const operation = document.paths['/api/v1/partners/{partnerId}/organizations/sso-overview'].get;
    expect(operation.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(expect.arrayContaining(['search', 'limit', 'offset']));
    const limit = operation.parameters.find((parameter: { name: string }) => parameter.name === 'limit');
    expect(limit.schema).toMatchObject({ minimum: 1, maximum: 100, default: 25 });
    expect(document.components.schemas.OrganizationSsoSummaryDto.properties.status.enum).toEqual(['off', 'awaiting_idp', 'active', 'disabled']);
  });
});
