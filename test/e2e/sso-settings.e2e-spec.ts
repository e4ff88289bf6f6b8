import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Database } from '../../src/database/database.service';
import { HousekeepingService } from '../../src/housekeeping/housekeeping.service';
import { derBase64, fixtureCertificates, metadataFixture } from '../fixtures/metadata';
import { bearer, startTestApp, TestApp } from '../helpers/test-app';
import { createPartnerWithOrganization, TenantFixture } from '../helpers/tenants';

const VENDORS: [string, string, { entityId: string; certificates: number }][] = [
  ['Okta', 'okta.xml', { entityId: 'http://www.okta.com/exkb3ve2lyQ8Xp3Ce5d7', certificates: 1 }],
  ['Entra ID (rollover: two signing certificates)', 'entra-id.xml', { entityId: expect.stringContaining('sts.windows.net'), certificates: 2 }],
  ['OneLogin', 'onelogin.xml', { entityId: expect.stringContaining('onelogin.com'), certificates: 1 }],
  ['ADFS', 'adfs.xml', { entityId: expect.stringContaining('/adfs/services/trust'), certificates: 1 }],
  ['Google Workspace', 'google-workspace.xml', { entityId: expect.stringContaining('accounts.google.com'), certificates: 1 }],
  ['Keycloak', 'keycloak.xml', { entityId: expect.stringContaining('/realms/'), certificates: 1 }],
  ['Shibboleth (two signing certificates)', 'shibboleth.xml', { entityId: expect.stringContaining('shibboleth'), certificates: 2 }],
  ['SimpleSAMLphp', 'simplesamlphp.xml', { entityId: expect.any(String), certificates: 1 }],
];

describe('SSO settings API', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let globex: TenantFixture;
  let metadataServer: Server;
  let metadataBody = '';
  let metadataStatus = 200;
  let metadataBase = '';
  let metadataRequests = 0;

  beforeAll(async () => {
    // The metadata server below is plain http on loopback, as a local IdP in development.
    t = await startTestApp({ ALLOW_HTTP_METADATA_URLS: 'true', ALLOW_PRIVATE_METADATA_HOSTS: 'true' });
    acme = await createPartnerWithOrganization(t, 'Acme');
    globex = await createPartnerWithOrganization(t, 'Globex');
    metadataServer = createServer((_request, response) => {
      metadataRequests += 1;
      response.statusCode = metadataStatus;
      response.setHeader('Content-Type', 'application/samlmetadata+xml');
      response.end(metadataBody);
    });
    await new Promise<void>((resolve) => metadataServer.listen(0, '127.0.0.1', resolve));
    metadataBase = `http://127.0.0.1:${(metadataServer.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => metadataServer.close(resolve));
    await t.close();
  });

  const kinds = [
    ['organization', () => `/api/v1/organizations/${acme.organization.id}/sso`, () => acme.organization.id],
    ['partner', () => `/api/v1/partners/${acme.partner.id}/sso`, () => acme.partner.id],
  ] as const;

  describe.each(kinds)('for a %s', (type, base, id) => {
    it('is 404 before the first enable, then creates the SP identity once', async () => {
      await t.http.get(base()).set(t.platform).expect(404);
      const enabled = await t.http.post(`${base()}/enable`).set(t.platform).expect(200);
      const publicBase = `http://sso.test/saml/${type}/${id()}`;
      expect(enabled.body).toMatchObject({
        tenant: { type, id: id() },
        enabled: true,
        status: 'awaiting_idp',
        serviceProvider: {
          entityId: `${publicBase}/metadata`,
          acsUrl: `${publicBase}/acs`,
          metadataUrl: `${publicBase}/metadata`,
          loginUrl: `${publicBase}/login`,
          sloUrl: `${publicBase}/slo`,
          certificate: expect.stringMatching(/^-----BEGIN CERTIFICATE-----/),
        },
        identityProvider: null,
        attributeMapping: { email: 'User.Email', firstName: 'User.FirstName', lastName: 'User.LastName', groups: 'User.groups' },
        roleMapping: [],
        defaultRole: 'member',
        justInTimeProvisioning: true,
        enforceSso: false,
        groupsOverrideRole: true,
        allowIdpInitiated: true,
        clockSkewSeconds: 120,
        allowSha1Signatures: false,
        allowCbcEncryption: false,
        domains: [],
        allowedEmailDomains: [],
      });
      expect(enabled.headers.etag).toMatch(/^"\d+"$/);
      expect(JSON.stringify(enabled.body)).not.toMatch(/PRIVATE KEY/);
      const again = await t.http.post(`${base()}/enable`).set(t.platform).expect(200);
      expect(again.body.serviceProvider.certificate).toBe(enabled.body.serviceProvider.certificate);
      expect(again.headers.etag).toBe(enabled.headers.etag);
    });

    it('stores the SP private key only encrypted', async () => {
      const rows = await t.app
        .get(Database)
        .manager.query('SELECT * FROM sso_configs WHERE tenant_type = $1 AND tenant_id = $2', [type, id()]);
      const row = JSON.stringify(rows[0]);
      expect(row).not.toMatch(/PRIVATE KEY/);
      // The sealed value names its key; no second copy of the key id that could drift from it.
      expect(rows[0].sp_private_key_sealed).toMatch(/^v1:[0-9a-f]{8}:/);
      expect(rows[0]).not.toHaveProperty('sp_key_id');
    });

    it.each(VENDORS)('imports %s metadata', async (_vendor, file, expected) => {
      const response = await t.http.put(`${base()}/identity-provider`).set(t.platform).send({ metadataXml: metadataFixture(file) }).expect(200);
      expect(response.body.status).toBe('active');
      expect(response.body.identityProvider).toMatchObject({
        entityId: expected.entityId,
        ssoUrl: expect.stringMatching(/^https:\/\//),
        ssoBinding: expect.stringMatching(/^(redirect|post)$/),
        metadataUrl: null,
      });
      expect(response.body.identityProvider.certificates).toHaveLength(expected.certificates);
      for (const certificate of response.body.identityProvider.certificates) {
        expect(certificate).toEqual({
          subject: expect.any(String),
          notBefore: expect.any(String),
          notAfter: expect.any(String),
          fingerprintSha256: expect.any(String),
          expiresSoon: false,
        });
      }
    });

    it('accepts a manual entry with a PEM or a bare base64 certificate', async () => {
      const manual = {
        entityId: 'https://idp.example.com/entity',
        ssoUrl: 'https://idp.example.com/sso',
        sloUrl: 'https://idp.example.com/slo',
      };
      const pem = await t.http
        .put(`${base()}/identity-provider`)
        .set(t.platform)
        .send({ ...manual, certificate: fixtureCertificates.rsa1 })
        .expect(200);
      expect(pem.body.identityProvider).toMatchObject({ ...manual, ssoBinding: 'redirect', metadataUrl: null });
      const bare = await t.http
        .put(`${base()}/identity-provider`)
        .set(t.platform)
        .send({ ...manual, certificate: derBase64(fixtureCertificates.rsa2).replace(/(.{64})/g, '$1\n') })
        .expect(200);
      expect(bare.body.identityProvider.certificates[0].fingerprintSha256).not.toBe(
        pem.body.identityProvider.certificates[0].fingerprintSha256,
      );
    });

    it.each([
      ['not XML', { metadataXml: 'this is not xml' }, 'metadataXml'],
      ['a DTD with an entity', { metadataXml: 'invalid/doctype-entity.xml' }, 'metadataXml'],
      ['no IdP descriptor', { metadataXml: 'invalid/no-idp-descriptor.xml' }, 'metadataXml'],
      ['no SSO URL', { metadataXml: 'invalid/no-sso-service.xml' }, 'metadataXml'],
      ['a javascript: SSO URL', { metadataXml: 'invalid/javascript-url.xml' }, 'metadataXml'],
      ['an expired certificate', { metadataXml: 'invalid/expired-cert.xml' }, 'metadataXml'],
      ['two IdP entities', { metadataXml: 'invalid/two-idp-entities.xml' }, 'metadataXml'],
      ['a manual URL that is not http(s)', { entityId: 'x', ssoUrl: 'ftp://idp/sso', certificate: 'rsa1' }, 'ssoUrl'],
      ['a certificate that does not parse', { entityId: 'x', ssoUrl: 'https://idp/sso', certificate: 'bm90IGEgY2VydA==' }, 'certificate'],
      ['an expired manual certificate', { entityId: 'x', ssoUrl: 'https://idp/sso', certificate: 'expired' }, 'certificate'],
      ['a manual entry without certificate', { entityId: 'x', ssoUrl: 'https://idp/sso' }, 'certificate'],
      ['two sources at once', { metadataXml: 'okta.xml', entityId: 'x' }, 'identityProvider'],
      ['no source', {}, 'identityProvider'],
      ['an https-less metadata URL is refused without opt-in', { metadataUrl: 'not a url' }, 'metadataUrl'],
      ['an unknown field', { metadataXml: 'okta.xml', extra: true }, 'extra'],
    ])('refuses %s with 400 naming the field, changing nothing', async (_name, raw, field) => {
      const body = Object.fromEntries(
        Object.entries(raw).map(([key, value]) => {
          if (key === 'metadataXml' && typeof value === 'string' && value.endsWith('.xml')) return [key, metadataFixture(value)];
          if (key === 'certificate' && typeof value === 'string' && value in fixtureCertificates) {
            return [key, fixtureCertificates[value as keyof typeof fixtureCertificates]];
          }
          return [key, value];
        }),
      );
      const before = await t.http.get(base()).set(t.platform).expect(200);
      const response = await t.http.put(`${base()}/identity-provider`).set(t.platform).send(body).expect(400);
      expect(response.body.field).toBe(field);
      expect(response.body.message).toEqual(expect.any(String));
      const after = await t.http.get(base()).set(t.platform).expect(200);
      expect(after.body).toEqual(before.body);
      expect(after.headers.etag).toBe(before.headers.etag);
    });

    it('validates every PATCH field and applies a valid change', async () => {
      const invalid: [object, string][] = [
        [{ attributeMapping: { email: '' } }, 'attributeMapping.email'],
        [{ roleMapping: [{ group: 'admins', role: 'owner' }] }, 'roleMapping.0.role'],
        [{ roleMapping: [{ group: '', role: 'admin' }] }, 'roleMapping.0.group'],
        [{ defaultRole: 'root' }, 'defaultRole'],
        [{ justInTimeProvisioning: 'yes' }, 'justInTimeProvisioning'],
        [{ enforceSso: 1 }, 'enforceSso'],
        [{ groupsOverrideRole: null }, 'groupsOverrideRole'],
        [{ allowIdpInitiated: 'false' }, 'allowIdpInitiated'],
        [{ clockSkewSeconds: 601 }, 'clockSkewSeconds'],
        [{ clockSkewSeconds: -1 }, 'clockSkewSeconds'],
        [{ clockSkewSeconds: 1.5 }, 'clockSkewSeconds'],
        [{ domains: ['not a domain'] }, 'domains'],
        [{ domains: ['-bad.com'] }, 'domains'],
        [{ allowedEmailDomains: ['http://x.com'] }, 'allowedEmailDomains'],
        [{ unknown: true }, 'unknown'],
      ];
      const before = await t.http.get(base()).set(t.platform);
      for (const [body, field] of invalid) {
        const response = await t.http.patch(base()).set(t.platform).send(body);
        expect({ body, status: response.status, field: response.body.field }).toEqual({ body, status: 400, field });
      }
      expect((await t.http.get(base()).set(t.platform)).body).toEqual(before.body);

      const domain = `${type}-${randomUUID().slice(0, 8)}.example.com`;
      const patched = await t.http
        .patch(base())
        .set(t.platform)
        .send({
          attributeMapping: { email: 'mail' },
          roleMapping: [{ group: 'Cloud Admins', role: 'admin' }],
          defaultRole: 'viewer',
          clockSkewSeconds: 30,
          domains: [` ${domain.toUpperCase()} `, domain, `${domain}.`, 'Bücher-Settings.de'],
          allowedEmailDomains: ['Example.COM'],
        })
        .expect(200);
      expect(patched.body).toMatchObject({
        attributeMapping: { email: 'mail', firstName: 'User.FirstName', lastName: 'User.LastName', groups: 'User.groups' },
        roleMapping: [{ group: 'Cloud Admins', role: 'admin' }],
        defaultRole: 'viewer',
        clockSkewSeconds: 30,
        domains: [domain, 'xn--bcher-settings-gsb.de'],
        allowedEmailDomains: ['example.com'],
      });
    });

    it('honours If-Match with 412 when someone else changed the settings', async () => {
      const current = await t.http.get(base()).set(t.platform).expect(200);
      const etag = current.headers.etag;
      const first = await t.http.patch(base()).set(t.platform).set('If-Match', etag).send({ enforceSso: true }).expect(200);
      expect(first.headers.etag).not.toBe(etag);
      await t.http.patch(base()).set(t.platform).set('If-Match', etag).send({ enforceSso: false }).expect(412);
      await t.http
        .put(`${base()}/identity-provider`)
        .set(t.platform)
        .set('If-Match', etag)
        .send({ metadataXml: metadataFixture('okta.xml') })
        .expect(412);
      await t.http.patch(base()).set(t.platform).set('If-Match', first.headers.etag).send({ enforceSso: false }).expect(200);
      expect((await t.http.get(base()).set(t.platform)).body.enforceSso).toBe(false);
    });

    it('records every change in the audit log with the credential and the fields', async () => {
      const log = await t.http.get(`${base()}/audit-log`).set(t.platform).expect(200);
      const actions = log.body.map((entry: { action: string }) => entry.action);
      expect(actions).toEqual(expect.arrayContaining(['enable', 'identity_provider', 'update']));
      const update = log.body.find((entry: { action: string; changes: { field: string }[] }) =>
        entry.changes.some((change) => change.field === 'clockSkewSeconds'),
      );
      expect(update.actor).toEqual({ type: 'platform', id: null });
      expect(update.changes).toEqual(expect.arrayContaining([{ field: 'clockSkewSeconds', old: 120, new: 30 }]));
      expect(JSON.stringify(log.body)).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);
    });

    it('lists login attempts (none yet) and validates the limit', async () => {
      await t.http.get(`${base()}/login-attempts`).set(t.platform).expect(200, []);
      await t.http.get(`${base()}/login-attempts?limit=0`).set(t.platform).expect(400);
      await t.http.get(`${base()}/login-attempts?limit=abc`).set(t.platform).expect(400);
    });

    it('disables without losing the configuration, and deletes it', async () => {
      const disabled = await t.http.post(`${base()}/disable`).set(t.platform).expect(200);
      expect(disabled.body).toMatchObject({ enabled: false, status: 'disabled' });
      expect(disabled.body.identityProvider).not.toBeNull();
      const enabled = await t.http.post(`${base()}/enable`).set(t.platform).expect(200);
      expect(enabled.body.status).toBe('active');
      expect(enabled.body.serviceProvider.certificate).toBe(disabled.body.serviceProvider.certificate);

      await t.http.delete(base()).set(t.platform).expect(204);
      await t.http.get(base()).set(t.platform).expect(404);
      const rows = await t.app
        .get(Database)
        .manager.query('SELECT 1 FROM sso_configs WHERE tenant_type = $1 AND tenant_id = $2', [type, id()]);
      expect(rows).toHaveLength(0);
      await t.http.delete(base()).set(t.platform).expect(404);
      await t.http.patch(base()).set(t.platform).send({ enforceSso: true }).expect(404);
      const reenabled = await t.http.post(`${base()}/enable`).set(t.platform).expect(200);
      expect(reenabled.body.serviceProvider.certificate).not.toBe(disabled.body.serviceProvider.certificate);
      expect(reenabled.body.status).toBe('awaiting_idp');
    });
  });

  describe('domains and discovery', () => {
    const orgBase = () => `/api/v1/organizations/${globex.organization.id}/sso`;
    const partnerBase = () => `/api/v1/partners/${globex.partner.id}/sso`;

    it('lets two tenants claim one domain, neither routing anyone until one proves it', async () => {
      await t.http.post(`${orgBase()}/enable`).set(t.platform).expect(200);
      await t.http.post(`${partnerBase()}/enable`).set(t.platform).expect(200);
      const responses = await Promise.all([
        t.http.patch(orgBase()).set(t.platform).send({ domains: ['globex.com'] }),
        t.http.patch(partnerBase()).set(t.platform).send({ domains: ['globex.com'] }),
      ]);
      expect(responses.map((r) => r.status)).toEqual([200, 200]);
      for (const response of responses) expect(response.body.domains).toEqual(['globex.com']);
      const claims = await t.app.get(Database).manager.query(`SELECT status FROM domain_claims WHERE domain = 'globex.com'`);
      expect(claims).toEqual([{ status: 'pending' }, { status: 'pending' }]);
    });

    it('answers discover only for an active tenant that verified the domain, revealing nothing otherwise', async () => {
      const owner = orgBase();
      const domains = `/api/v1/organizations/${globex.organization.id}/domains`;
      await t.http.post('/api/v1/sso/discover').send({ email: 'jane@globex.com' }).expect(200, { sso: false });
      const settings = await t.http.put(`${owner}/identity-provider`).set(t.platform).send({ metadataXml: metadataFixture('okta.xml') }).expect(200);
      await t.http.patch(owner).set(t.platform).send({ enforceSso: true }).expect(200);
      await t.http.post('/api/v1/sso/discover').send({ email: 'jane@globex.com' }).expect(200, { sso: false });
      await t.http.post(`${domains}/globex.com/verify`).set(t.platform).send({ method: 'manual' }).expect(200);
      await t.http
        .post('/api/v1/sso/discover')
        .send({ email: 'Jane@GLOBEX.com' })
        .expect(200, { sso: true, enforced: true, loginUrl: settings.body.serviceProvider.loginUrl });
      await t.http.post(`${owner}/disable`).set(t.platform).expect(200);
      await t.http.post('/api/v1/sso/discover').send({ email: 'jane@globex.com' }).expect(200, { sso: false });
      await t.http.post('/api/v1/sso/discover').send({ email: 'jane@unknown.example' }).expect(200, { sso: false });
      await t.http.post('/api/v1/sso/discover').send({ email: 'not-an-email' }).expect(400);
    });
  });

  describe('metadata URL', () => {
    const base = () => `/api/v1/organizations/${globex.organization.id}/sso`;

    it('fetches, refreshes, and keeps the last good configuration when a refresh fails', async () => {
      await t.http.post(`${base()}/enable`).set(t.platform).expect(200);
      metadataBody = metadataFixture('okta.xml');
      metadataStatus = 200;
      const url = `${metadataBase}/metadata.xml`;
      const set = await t.http.put(`${base()}/identity-provider`).set(t.platform).send({ metadataUrl: url }).expect(200);
      expect(set.body.identityProvider).toMatchObject({ metadataUrl: url, source: 'metadataUrl', refreshError: null });
      expect(set.body.identityProvider.lastRefreshedAt).not.toBeNull();

      metadataBody = metadataFixture('entra-id.xml');
      const refreshed = await t.http.post(`${base()}/identity-provider/refresh`).set(t.platform).expect(200);
      expect(refreshed.body.identityProvider.certificates).toHaveLength(2);

      metadataStatus = 500;
      const failed = await t.http.post(`${base()}/identity-provider/refresh`).set(t.platform).expect(200);
      expect(failed.body.identityProvider.refreshError).toMatch(/500/);
      expect(failed.body.identityProvider.entityId).toBe(refreshed.body.identityProvider.entityId);
      expect(failed.body.identityProvider.certificates).toHaveLength(2);
      expect(failed.body.status).toBe('active');

      metadataStatus = 404;
      const refused = await t.http.put(`${base()}/identity-provider`).set(t.platform).send({ metadataUrl: url }).expect(400);
      expect(refused.body).toMatchObject({ field: 'metadataUrl', code: 'fetch_failed' });
    });

    it('refreshes metadata older than a day on the housekeeping schedule', async () => {
      metadataStatus = 200;
      metadataBody = metadataFixture('okta.xml');
      await t.app
        .get(Database)
        .manager.query(`UPDATE sso_configs SET idp_refreshed_at = now() - interval '2 days' WHERE tenant_id = $1`, [globex.organization.id]);
      const report = await t.app.get(HousekeepingService).runOnce();
      expect(report.metadataRefreshed).toBe(1);
      const settings = await t.http.get(base()).set(t.platform).expect(200);
      expect(settings.body.identityProvider).toMatchObject({ certificates: [expect.any(Object)], refreshError: null });
      expect(Date.now() - Date.parse(settings.body.identityProvider.lastRefreshedAt)).toBeLessThan(60_000);
    });

    it('refuses plain http unless the operator allows it', async () => {
      const strict = await startTestApp();
      try {
        const partner = (await strict.http.post('/api/v1/partners').set(strict.platform).send({ name: 'p' })).body;
        await strict.http.post(`/api/v1/partners/${partner.id}/sso/enable`).set(strict.platform).expect(200);
        const response = await strict.http
          .put(`/api/v1/partners/${partner.id}/sso/identity-provider`)
          .set(strict.platform)
          .send({ metadataUrl: `${metadataBase}/metadata.xml` })
          .expect(400);
        expect(response.body).toMatchObject({ field: 'metadataUrl', code: 'http_not_allowed' });
      } finally {
        await strict.close();
      }
    });

    it('refuses a private address (SSRF) unless the operator allows it', async () => {
      const httpOnly = await startTestApp({ ALLOW_HTTP_METADATA_URLS: 'true' });
      try {
        const partner = (await httpOnly.http.post('/api/v1/partners').set(httpOnly.platform).send({ name: 'p' })).body;
        const base = `/api/v1/partners/${partner.id}/sso`;
        await httpOnly.http.post(`${base}/enable`).set(httpOnly.platform).expect(200);
        metadataStatus = 200;
        metadataBody = metadataFixture('okta.xml');
        const before = await httpOnly.http.get(base).set(httpOnly.platform).expect(200);
        const requestsBefore = metadataRequests;
        for (const url of [`${metadataBase}/metadata.xml`, 'http://169.254.169.254/latest/meta-data/']) {
          const response = await httpOnly.http
            .put(`${base}/identity-provider`)
            .set(httpOnly.platform)
            .send({ metadataUrl: url })
            .expect(400);
          expect(response.body).toMatchObject({
            field: 'metadataUrl',
            code: 'private_address_not_allowed',
            message: expect.stringContaining('private or internal network address'),
          });
        }
        expect(metadataRequests).toBe(requestsBefore);
        const after = await httpOnly.http.get(base).set(httpOnly.platform).expect(200);
        expect(after.body).toEqual(before.body);
      } finally {
        await httpOnly.close();
      }
    });
  });

  describe('authorization on the settings routes', () => {
    it('lets a partner key manage its child organization, and nothing else', async () => {
      const key = bearer(acme.partnerKey);
      await t.http.post(`/api/v1/organizations/${acme.organization.id}/sso/enable`).set(key).expect(200);
      await t.http.get(`/api/v1/organizations/${acme.organization.id}/sso`).set(key).expect(200);
      await t.http.post(`/api/v1/partners/${acme.partner.id}/sso/enable`).set(key).expect(200);
      await t.http.get(`/api/v1/organizations/${globex.organization.id}/sso`).set(key).expect(403);
      await t.http.patch(`/api/v1/partners/${globex.partner.id}/sso`).set(key).send({ enforceSso: true }).expect(403);
      await t.http.patch(`/api/v1/organizations/${acme.organization.id}/sso`).set(key).send({ clockSkewSeconds: 61 }).expect(200);
    });

    it('confines an organization key to its own settings', async () => {
      const key = bearer(acme.organizationKey);
      await t.http.get(`/api/v1/organizations/${acme.organization.id}/sso`).set(key).expect(200);
      await t.http.get(`/api/v1/partners/${acme.partner.id}/sso`).set(key).expect(403);
      await t.http.post(`/api/v1/partners/${acme.partner.id}/sso/disable`).set(key).expect(403);
      await t.http.get(`/api/v1/organizations/${globex.organization.id}/sso/audit-log`).set(key).expect(403);
    });

    it('is 401 without a token and 404 for an unknown tenant', async () => {
      await t.http.get(`/api/v1/organizations/${acme.organization.id}/sso`).expect(401);
      await t.http.post(`/api/v1/partners/${acme.partner.id}/sso/enable`).expect(401);
      await t.http.get(`/api/v1/organizations/${randomUUID()}/sso`).set(t.platform).expect(404);
      await t.http.post(`/api/v1/partners/${randomUUID()}/sso/enable`).set(t.platform).expect(404);
    });

    it('records the API key that made a change, named by its name', async () => {
      const keys = await t.http.get(`/api/v1/partners/${acme.partner.id}/api-keys`).set(t.platform).expect(200);
      const log = await t.http.get(`/api/v1/organizations/${acme.organization.id}/sso/audit-log`).set(t.platform).expect(200);
      expect(log.body[0].actor).toEqual({ type: 'api_key', id: keys.body[0].id, name: keys.body[0].name });
      expect(log.body[0].changes).toEqual([{ field: 'clockSkewSeconds', old: 120, new: 61 }]);
    });
  });
});
