import { createHash, randomUUID } from 'node:crypto';
import { Database } from '../../src/database/database.service';
import { HousekeepingService } from '../../src/housekeeping/housekeeping.service';
import { AccessKind } from '../../src/tenancy/access.decorators';
import { testCredential } from '../helpers/test-credentials';
import { IDP_ENTITY_ID } from '../helpers/test-idp';
import { nestRoutes } from '../helpers/nest-routes';
import { bearer, startTestApp, TestApp } from '../helpers/test-app';
import { createPartnerWithOrganization, TenantFixture } from '../helpers/tenants';

const HOUR = 3600_000;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * What a setup link's access token may do, for every /api/v1 route the app serves: `open` (its own
 * tenant, by the contract's list), `refused` (403), `public` (no credential asked). A route missing
 * here fails the walk below, so each new route gets a decision.
 */
const SETUP_LINK_SCOPE: Record<string, 'open' | 'refused' | 'public'> = {
  'POST /api/v1/partners': 'refused',
  'POST /api/v1/organizations': 'refused',
  'GET /api/v1/partners/:id': 'refused',
  'GET /api/v1/organizations/:id': 'refused',
  'GET /api/v1/partners/:id/organizations': 'refused',
  'GET /api/v1/partners/:partnerId/organizations/sso-overview': 'refused',
  'POST /api/v1/:tenantKind/:id/api-keys': 'refused',
  'GET /api/v1/:tenantKind/:id/api-keys': 'refused',
  'DELETE /api/v1/:tenantKind/:id/api-keys/:keyId': 'refused',
  'GET /api/v1/:tenantKind/:id/users': 'refused',
  'GET /api/v1/:tenantKind/:id/users/:userId': 'refused',
  'PATCH /api/v1/:tenantKind/:id/users/:userId': 'refused',
  'POST /api/v1/:tenantKind/:id/users/:userId/deactivate': 'refused',
  'POST /api/v1/:tenantKind/:id/users/:userId/activate': 'refused',
  'POST /api/v1/:tenantKind/:id/setup-links': 'refused',
  'GET /api/v1/:tenantKind/:id/setup-links': 'refused',
  'DELETE /api/v1/:tenantKind/:id/setup-links/:linkId': 'refused',
  'POST /api/v1/setup-links/exchange': 'public',
  'GET /api/v1/:tenantKind/:id/domains': 'open',
  'POST /api/v1/:tenantKind/:id/domains': 'open',
  'POST /api/v1/:tenantKind/:id/domains/:domain/verify': 'open',
  'DELETE /api/v1/:tenantKind/:id/domains/:domain': 'open',
  'POST /api/v1/:tenantKind/:id/scim/tokens': 'open',
  'GET /api/v1/:tenantKind/:id/scim/tokens': 'open',
  'DELETE /api/v1/:tenantKind/:id/scim/tokens/:tokenId': 'open',
  // The provisioning view's request log (an addition to the contract): the tenant's admins', like the audit log.
  'GET /api/v1/:tenantKind/:id/scim/requests': 'refused',
  'POST /api/v1/oauth-clients': 'refused',
  'GET /api/v1/oauth-clients': 'refused',
  'DELETE /api/v1/oauth-clients/:clientId': 'refused',
  'GET /api/v1/oidc/signing-keys': 'refused',
  'POST /api/v1/oidc/signing-keys/rotate': 'refused',
  'POST /api/v1/sso/discover': 'public',
  'GET /api/v1/me': 'refused',
  'POST /api/v1/logout': 'public',
  ...Object.fromEntries(
    ['/api/v1/organizations/:orgId/sso', '/api/v1/partners/:partnerId/sso'].flatMap((base) => [
      [`GET ${base}`, 'open'],
      [`POST ${base}/enable`, 'open'],
      [`POST ${base}/disable`, 'refused'],
      [`PUT ${base}/identity-provider`, 'open'],
      [`POST ${base}/identity-provider/refresh`, 'open'],
      [`PATCH ${base}`, 'open'],
      [`DELETE ${base}`, 'refused'],
      // The test sign-in runs in the browser through the public SAML login; the page reads its outcome here.
      [`GET ${base}/login-attempts`, 'open'],
      // Who changed what, naming users and API keys: the tenant's admins' record, not part of the set-up.
      [`GET ${base}/audit-log`, 'refused'],
    ]),
  ),
};

describe('setup links', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let globex: TenantFixture;

  const links = (kind: 'organizations' | 'partners', id: string) => `/api/v1/${kind}/${id}/setup-links`;
  const orgLinks = (fixture: TenantFixture) => links('organizations', fixture.organization.id);
  const orgSso = (fixture: TenantFixture) => `/api/v1/organizations/${fixture.organization.id}/sso`;
  const query = (sql: string, parameters: unknown[] = []) => t.app.get(Database).manager.query(sql, parameters);

  async function createLink(path: string, credential = t.platform, body: object = {}) {
    return (await t.http.post(path).set(credential).send(body).expect(201)).body as { id: string; url: string; expiresAt: string };
  }

  const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

  async function exchange(url: string) {
    return (await t.http.post('/api/v1/setup-links/exchange').send({ token: tokenOf(url) }).expect(200)).body as {
      accessToken: string;
      tenant: { type: string; id: string; name: string };
      expiresAt: string;
    };
  }

  /** A new organization (of `partnerId`, if given) with an exchanged setup link. */
  async function organizationWithToken(partnerId?: string) {
    const organization = (
      await t.http.post('/api/v1/organizations').set(t.platform).send({ name: 'Initech', ...(partnerId ? { partnerId } : {}) }).expect(201)
    ).body as { id: string };
    const link = await createLink(links('organizations', organization.id));
    return { organization, link, token: (await exchange(link.url)).accessToken };
  }

  async function auditOf(path: string) {
    return (await t.http.get(`${path}/audit-log?limit=100`).set(t.platform).expect(200)).body as {
      actor: { type: string; id: string | null };
      action: string;
      changes: { field: string; old: unknown; new: unknown }[];
    }[];
  }

  beforeAll(async () => {
    t = await startTestApp();
    acme = await createPartnerWithOrganization(t, 'Acme');
    globex = await createPartnerWithOrganization(t, 'Globex');
  });
  afterAll(() => t.close());

  describe('creating, listing, revoking', () => {
    it('answers the URL once, keeps only a hash of its token, and lists the link without it', async () => {
      const created = await createLink(orgLinks(acme), bearer(acme.organizationKey));
      expect(created).toEqual({ id: expect.any(String), url: expect.stringMatching(/^http:\/\/sso\.test\/setup\/sl_[A-Za-z0-9_-]{43}$/), expiresAt: expect.any(String) });

      const listed = await t.http.get(orgLinks(acme)).set(bearer(acme.organizationKey)).expect(200);
      expect(listed.body).toEqual([{ id: created.id, createdAt: expect.any(String), expiresAt: created.expiresAt, lastUsedAt: null, revoked: false }]);
      expect(new Date(created.expiresAt).getTime() - new Date(listed.body[0].createdAt).getTime()).toBe(72 * HOUR);
      expect(JSON.stringify(listed.body)).not.toContain(tokenOf(created.url));

      const token = tokenOf(created.url);
      const [row] = await query('SELECT * FROM setup_links WHERE id = $1', [created.id]);
      expect(row.token_hash).toBe(sha256(token));
      expect(JSON.stringify(row)).not.toContain(token);
    });

    it('lets the partner manage its organizations\' links, and refuses other tenants and anonymous callers', async () => {
      const created = await createLink(orgLinks(acme), bearer(acme.partnerKey));
      await createLink(links('partners', acme.partner.id), bearer(acme.partnerKey));
      await t.http.post(orgLinks(acme)).set(bearer(globex.partnerKey)).send({}).expect(403);
      await t.http.post(orgLinks(acme)).set(bearer(globex.organizationKey)).send({}).expect(403);
      await t.http.post(links('partners', acme.partner.id)).set(bearer(acme.organizationKey)).send({}).expect(403);
      await t.http.get(orgLinks(acme)).set(bearer(globex.organizationKey)).expect(403);
      await t.http.delete(`${orgLinks(acme)}/${created.id}`).set(bearer(globex.organizationKey)).expect(403);
      await t.http.post(orgLinks(acme)).send({}).expect(401);
      await t.http.post(links('organizations', randomUUID())).set(t.platform).send({}).expect(404);
    });

    it('revokes a link of the tenant only, idempotently, and lists it as revoked', async () => {
      const created = await createLink(orgLinks(globex));
      // Another tenant's link is not found through this tenant's path, even by the platform.
      await t.http.delete(`${orgLinks(acme)}/${created.id}`).set(t.platform).expect(404);
      await t.http.delete(`${orgLinks(acme)}/${randomUUID()}`).set(t.platform).expect(404);
      await t.http.delete(`${orgLinks(acme)}/not-a-uuid`).set(t.platform).expect(404);
      await t.http.delete(`${orgLinks(globex)}/${created.id}`).set(bearer(globex.organizationKey)).expect(204);
      await t.http.delete(`${orgLinks(globex)}/${created.id}`).set(bearer(globex.organizationKey)).expect(204);
      const listed = await t.http.get(orgLinks(globex)).set(t.platform).expect(200);
      expect(listed.body.find((link: { id: string }) => link.id === created.id)).toMatchObject({ revoked: true });
    });

    it('records creation and revocation in the audit log, once each, with who did it', async () => {
      const created = await createLink(orgLinks(globex), bearer(globex.organizationKey), { expiresInHours: 5 });
      await t.http.delete(`${orgLinks(globex)}/${created.id}`).set(bearer(globex.partnerKey)).expect(204);
      await t.http.delete(`${orgLinks(globex)}/${created.id}`).set(bearer(globex.partnerKey)).expect(204);
      const entries = (await auditOf(orgSso(globex))).filter((entry) => entry.changes[0]?.field === `setupLinks.${created.id}`);
      expect(entries.map(({ action, actor }) => [action, actor.type])).toEqual([
        ['setup_link.revoked', 'api_key'],
        ['setup_link.created', 'api_key'],
      ]);
      expect(entries[1].changes).toEqual([{ field: `setupLinks.${created.id}`, old: null, new: `expires ${created.expiresAt}` }]);
      expect(JSON.stringify(entries)).not.toContain(tokenOf(created.url));
    });
  });

  describe('lifetime', () => {
    it.each([1, 168])('accepts %i hours', async (hours) => {
      const created = await createLink(orgLinks(acme), t.platform, { expiresInHours: hours });
      const [row] = await query('SELECT created_at, expires_at FROM setup_links WHERE id = $1', [created.id]);
      expect(row.expires_at.getTime() - row.created_at.getTime()).toBe(hours * HOUR);
    });

    it.each([0, -1, 169, 10_000])('refuses %i hours with lifetime_out_of_range and writes nothing', async (hours) => {
      const before = (await t.http.get(orgLinks(globex)).set(t.platform).expect(200)).body.length;
      const res = await t.http.post(orgLinks(globex)).set(t.platform).send({ expiresInHours: hours }).expect(400);
      expect(res.body).toMatchObject({ field: 'expiresInHours', code: 'lifetime_out_of_range' });
      expect((await t.http.get(orgLinks(globex)).set(t.platform).expect(200)).body.length).toBe(before);
    });

    it.each([1.5, '72', true, 'forever'])('refuses %j as not a whole number of hours', async (hours) => {
      const res = await t.http.post(orgLinks(globex)).set(t.platform).send({ expiresInHours: hours }).expect(400);
      expect(res.body).toMatchObject({ field: 'expiresInHours', code: 'invalid_field' });
    });
  });

  describe('exchange', () => {
    it('answers an access token for the link\'s tenant that lives at most 12 hours, and marks the link used', async () => {
      const created = await createLink(orgLinks(acme), t.platform, { expiresInHours: 72 });
      const before = Date.now();
      const session = await exchange(created.url);
      const after = Date.now();
      expect(session).toEqual({
        accessToken: expect.stringMatching(/^sla_[A-Za-z0-9_-]{43}$/),
        tenant: { type: 'organization', id: acme.organization.id, name: 'Acme Org' },
        expiresAt: expect.any(String),
      });
      expect(new Date(session.expiresAt).getTime()).toBeGreaterThanOrEqual(before + 12 * HOUR);
      expect(new Date(session.expiresAt).getTime()).toBeLessThanOrEqual(after + 12 * HOUR);
      const [row] = await query('SELECT * FROM setup_link_tokens WHERE link_id = $1', [created.id]);
      expect(row.token_hash).toBe(sha256(session.accessToken));
      expect(JSON.stringify(row)).not.toContain(session.accessToken);
      const listed = await t.http.get(orgLinks(acme)).set(t.platform).expect(200);
      expect(listed.body.find((link: { id: string }) => link.id === created.id).lastUsedAt).toEqual(expect.any(String));
    });

    it('never lets the access token outlive its link', async () => {
      const created = await createLink(links('partners', globex.partner.id), t.platform, { expiresInHours: 1 });
      const session = await exchange(created.url);
      expect(session.expiresAt).toBe(created.expiresAt);
      expect(session.tenant).toEqual({ type: 'partner', id: globex.partner.id, name: 'Globex Partner' });
    });

    it('refuses an unknown token with 401 link_unknown, and a body without a token with 400', async () => {
      for (const token of ['sl_' + 'A'.repeat(43), 'sla_whatever', 'anything', t.platform.Authorization.slice(7), acme.organizationKey]) {
        const res = await t.http.post('/api/v1/setup-links/exchange').send({ token }).expect(401);
        expect(res.body).toMatchObject({ code: 'link_unknown' });
      }
      await t.http.post('/api/v1/setup-links/exchange').send({}).expect(400);
      await t.http.post('/api/v1/setup-links/exchange').send({ token: 42 }).expect(400);
    });

    it('does not take an access token in place of the link\'s token', async () => {
      const { token } = await organizationWithToken();
      const res = await t.http.post('/api/v1/setup-links/exchange').send({ token }).expect(401);
      expect(res.body.code).toBe('link_unknown');
    });
  });

  describe('what the access token opens', () => {
    it('walks every /api/v1 route: a decision for each, and the token passes exactly the open ones', async () => {
      const partner = (await t.http.post('/api/v1/partners').set(t.platform).send({ name: 'Walk Partner' }).expect(201)).body;
      const organization = (await t.http.post('/api/v1/organizations').set(t.platform).send({ name: 'Walk Org', partnerId: partner.id }).expect(201)).body;
      const tokenFor = async (kind: 'organizations' | 'partners', id: string) => (await exchange((await createLink(links(kind, id))).url)).accessToken;
      const tokens = { organizations: await tokenFor('organizations', organization.id), partners: await tokenFor('partners', partner.id) };
      const ids = { organizations: organization.id, partners: partner.id };

      const routes = nestRoutes(t.app).filter((route) => route.path.startsWith('/api/v1/'));
      expect(routes.filter((route) => !(route.route in SETUP_LINK_SCOPE)).map((route) => route.route)).toEqual([]);
      expect(Object.keys(SETUP_LINK_SCOPE).filter((route) => !routes.some((served) => served.route === route))).toEqual([]);

      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const route of routes) {
        const decision = SETUP_LINK_SCOPE[route.route];
        if (decision === 'open') expect(route.rule?.kind).toBe(AccessKind.Tenant);
        const kinds = route.path.includes(':tenantKind')
          ? (['organizations', 'partners'] as const)
          : [route.path.includes('partners') ? ('partners' as const) : ('organizations' as const)];
        for (const kind of kinds) {
          const path = route.path
            .replace(':tenantKind', kind)
            .replace(/:(id|orgId|partnerId)\b/, ids[kind])
            .replace(':domain', 'walk.example.com')
            .replace(/:\w+/g, randomUUID());
          const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
          const res = await t.http[method](path).set(bearer(tokens[kind])).send({});
          const refused = res.status === 401 || res.status === 403;
          outcomes.push(`${route.method} ${path}: ${decision === 'refused' ? (res.status === 403 ? 'refused' : res.status) : refused ? res.status : 'passed'}`);
          expected.push(`${route.method} ${path}: ${decision === 'refused' ? 'refused' : 'passed'}`);
        }
      }
      expect(outcomes).toEqual(expected);
    });

    it('sets SSO up for its own tenant: settings, IdP, mapping, domains, sign-in attempts; recorded as the setup link', async () => {
      const { organization, link, token } = await organizationWithToken();
      const sso = `/api/v1/organizations/${organization.id}/sso`;
      const as = bearer(token);
      await t.http.get(sso).set(as).expect(404);
      expect((await t.http.post(`${sso}/enable`).set(as).expect(200)).body.status).toBe('awaiting_idp');
      const idp = await t.http
        .put(`${sso}/identity-provider`)
        .set(as)
        .send({ entityId: IDP_ENTITY_ID, ssoUrl: 'https://idp.example.test/sso', certificate: testCredential('idp').certificatePem })
        .expect(200);
      expect(idp.body.status).toBe('active');
      const patched = await t.http
        .patch(sso)
        .set(as)
        .send({ roleMapping: [{ group: 'it-admins', role: 'admin' }], defaultRole: 'viewer', domains: ['initech-setup.com'] })
        .expect(200);
      expect(patched.body).toMatchObject({ defaultRole: 'viewer', domains: ['initech-setup.com'] });
      await t.http.get(sso).set(as).expect(200);
      await t.http.post(`/api/v1/organizations/${organization.id}/domains`).set(as).send({ domain: 'initech-two.com' }).expect(201);
      const domains = await t.http.get(`/api/v1/organizations/${organization.id}/domains`).set(as).expect(200);
      expect(domains.body.map((d: { domain: string }) => d.domain)).toEqual(['initech-setup.com', 'initech-two.com']);
      await t.http.delete(`/api/v1/organizations/${organization.id}/domains/initech-two.com`).set(as).expect(204);
      // Verifying without DNS stays the platform operator's.
      await t.http.post(`/api/v1/organizations/${organization.id}/domains/initech-setup.com/verify`).set(as).send({ method: 'manual' }).expect(403);
      await t.http.get(`${sso}/login-attempts?limit=1`).set(as).expect(200, []);

      const byLink = (await auditOf(sso)).filter((entry) => entry.actor.type === 'setup_link');
      expect(new Set(byLink.map((entry) => entry.actor.id))).toEqual(new Set([link.id]));
      expect(byLink.map((entry) => entry.action)).toEqual(
        expect.arrayContaining(['enable', 'update', 'domain.claimed', 'domain.deleted']),
      );
    });

    it('refuses what is not the set-up: disabling, deleting, the audit log, users, API keys, setup links, the tenant, /me', async () => {
      const { organization, token } = await organizationWithToken();
      const base = `/api/v1/organizations/${organization.id}`;
      const as = bearer(token);
      await t.http.post(`${base}/sso/enable`).set(as).expect(200);
      for (const [method, path] of [
        ['post', `${base}/sso/disable`],
        ['delete', `${base}/sso`],
        ['get', `${base}/sso/audit-log`],
        ['get', `${base}/users`],
        ['post', `${base}/api-keys`],
        ['get', `${base}/api-keys`],
        ['post', `${base}/setup-links`],
        ['get', `${base}/setup-links`],
        ['get', base],
        ['get', '/api/v1/me'],
        ['post', '/api/v1/organizations'],
      ] as const) {
        const res = await t.http[method](path).set(as).send({ name: 'x' });
        expect(`${method} ${path}: ${res.status}`).toBe(`${method} ${path}: 403`);
      }
      expect((await t.http.get(`${base}/sso`).set(t.platform).expect(200)).body.enabled).toBe(true);
      expect((await t.http.get(`${base}/api-keys`).set(t.platform).expect(200)).body).toEqual([]);
    });

    it('opens its own tenant only: not another organization, not a partner\'s organizations, not the partner of an organization', async () => {
      const own = await organizationWithToken(acme.partner.id);
      const partnerLink = await createLink(links('partners', acme.partner.id), bearer(acme.partnerKey));
      const partnerToken = (await exchange(partnerLink.url)).accessToken;
      await t.http.get(`/api/v1/organizations/${own.organization.id}/domains`).set(bearer(own.token)).expect(200);
      await t.http.get(`/api/v1/partners/${acme.partner.id}/domains`).set(bearer(partnerToken)).expect(200);

      await t.http.get(`/api/v1/organizations/${globex.organization.id}/domains`).set(bearer(own.token)).expect(403);
      await t.http.post(`${orgSso(globex)}/enable`).set(bearer(own.token)).expect(403);
      await t.http.get(`/api/v1/partners/${acme.partner.id}/domains`).set(bearer(own.token)).expect(403);
      await t.http.get(`/api/v1/partners/${acme.partner.id}/sso/login-attempts`).set(bearer(own.token)).expect(403);
      // A partner's API key manages its organizations; a partner's setup link does not.
      await t.http.get(`/api/v1/organizations/${own.organization.id}/domains`).set(bearer(acme.partnerKey)).expect(200);
      await t.http.get(`/api/v1/organizations/${own.organization.id}/domains`).set(bearer(partnerToken)).expect(403);
      await t.http.post(`/api/v1/organizations/${own.organization.id}/sso/enable`).set(bearer(partnerToken)).expect(403);
    });

    it('names no other organization of the partner when a domain is taken', async () => {
      const holder = await organizationWithToken(globex.partner.id);
      await t.http.post(`/api/v1/organizations/${holder.organization.id}/domains`).set(t.platform).send({ domain: 'held-by-org.com' }).expect(201);
      await t.http.post(`/api/v1/organizations/${holder.organization.id}/domains/held-by-org.com/verify`).set(t.platform).send({ method: 'manual' }).expect(200);
      const partnerPath = `/api/v1/partners/${globex.partner.id}/domains`;
      const byKey = await t.http.post(partnerPath).set(bearer(globex.partnerKey)).send({ domain: 'held-by-org.com' }).expect(409);
      expect(byKey.body.message).toContain(holder.organization.id);
      const partnerToken = (await exchange((await createLink(links('partners', globex.partner.id))).url)).accessToken;
      const byLink = await t.http.post(partnerPath).set(bearer(partnerToken)).send({ domain: 'held-by-org.com' }).expect(409);
      expect(byLink.body).toMatchObject({ code: 'domain_taken' });
      expect(byLink.body.message).not.toContain(holder.organization.id);
      expect(byLink.body.message).not.toContain('Initech');
    });
  });

  describe('expired and revoked links', () => {
    it('refuses a revoked link\'s tokens at once, and the link itself (401 link_revoked)', async () => {
      const { organization, link, token } = await organizationWithToken();
      const domains = `/api/v1/organizations/${organization.id}/domains`;
      await t.http.get(domains).set(bearer(token)).expect(200);
      await t.http.delete(`${links('organizations', organization.id)}/${link.id}`).set(t.platform).expect(204);
      await t.http.get(domains).set(bearer(token)).expect(401);
      const res = await t.http.post('/api/v1/setup-links/exchange').send({ token: tokenOf(link.url) }).expect(401);
      expect(res.body).toMatchObject({ code: 'link_revoked' });
    });

    it('refuses an expired link\'s tokens, even one not yet expired itself, and the link (401 link_expired)', async () => {
      const { organization, link, token } = await organizationWithToken();
      const domains = `/api/v1/organizations/${organization.id}/domains`;
      await t.http.get(domains).set(bearer(token)).expect(200);
      await query(`UPDATE setup_links SET expires_at = now() - interval '1 second' WHERE id = $1`, [link.id]);
      const [{ live }] = await query(`SELECT count(*)::int AS live FROM setup_link_tokens WHERE link_id = $1 AND expires_at > now()`, [link.id]);
      expect(live).toBe(1);
      await t.http.get(domains).set(bearer(token)).expect(401);
      const res = await t.http.post('/api/v1/setup-links/exchange').send({ token: tokenOf(link.url) }).expect(401);
      expect(res.body).toMatchObject({ code: 'link_expired' });
    });

    it('refuses an expired access token while its link still works', async () => {
      const { organization, link, token } = await organizationWithToken();
      const domains = `/api/v1/organizations/${organization.id}/domains`;
      await query(`UPDATE setup_link_tokens SET expires_at = now() - interval '1 second' WHERE link_id = $1`, [link.id]);
      await t.http.get(domains).set(bearer(token)).expect(401);
      const fresh = await exchange(link.url);
      await t.http.get(domains).set(bearer(fresh.accessToken)).expect(200);
    });

    it('lets housekeeping delete expired access tokens, and links once past retention', async () => {
      const { link } = await organizationWithToken();
      const live = await organizationWithToken();
      await query(`UPDATE setup_link_tokens SET expires_at = now() - interval '1 second' WHERE link_id = $1`, [link.id]);
      const old = await createLink(orgLinks(globex));
      await query(`UPDATE setup_links SET expires_at = now() - interval '400 days' WHERE id = $1`, [old.id]);
      const report = await t.app.get(HousekeepingService).runOnce();
      expect(report.deleted.setup_link_tokens).toBeGreaterThanOrEqual(1);
      expect(report.deleted.setup_links).toBeGreaterThanOrEqual(1);
      expect(await query('SELECT link_id FROM setup_link_tokens WHERE link_id = ANY($1)', [[link.id, live.link.id]])).toEqual([{ link_id: live.link.id }]);
      expect(await query('SELECT id FROM setup_links WHERE id = $1', [old.id])).toEqual([]);
      expect(await query('SELECT id FROM setup_links WHERE id = $1', [link.id])).toEqual([{ id: link.id }]);
    });
  });
});

describe('setup link exchange rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  const guess = (address: string) => t.http.post('/api/v1/setup-links/exchange').set('X-Forwarded-For', address).send({ token: 'sl_guess' });

  it('answers 429 with Retry-After past the limit, per client address, like discovery', async () => {
    for (let attempt = 0; attempt < 3; attempt++) expect((await guess('198.51.100.7')).status).toBe(401);
    const limited = await guess('198.51.100.7');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await guess('203.0.113.9')).status).toBe(401);
  });
});
