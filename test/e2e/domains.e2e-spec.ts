import { Database } from '../../src/database/database.service';
import { HousekeepingService } from '../../src/housekeeping/housekeeping.service';
import { TestDnsServer } from '../helpers/dns-server';
import { metadataFixture } from '../fixtures/metadata';
import { basePostgresUrl } from '../helpers/test-database';
import { bearer, startTestApp, TestApp } from '../helpers/test-app';
import { createPartnerWithOrganization, TenantFixture } from '../helpers/tenants';

const HOUR = 3600_000;

describe('verified domains, against a DNS server of the test', () => {
  let dns: TestDnsServer;
  let t: TestApp;
  let acme: TenantFixture;
  let globex: TenantFixture;

  const orgDomains = (fixture: TenantFixture) => `/api/v1/organizations/${fixture.organization.id}/domains`;
  const partnerDomains = (fixture: TenantFixture) => `/api/v1/partners/${fixture.partner.id}/domains`;
  const publish = (domain: string, ...values: string[][]) => dns.set(`_sso-verification.${domain}`, { txt: values });

  async function claim(path: string, domain: string): Promise<{ domain: string; verification: { name: string; value: string } }> {
    return (await t.http.post(path).set(t.platform).send({ domain }).expect(201)).body;
  }

  beforeAll(async () => {
    dns = await TestDnsServer.start();
    t = await startTestApp({ DNS_SERVERS: dns.address, DOMAIN_RECHECK_HOURS: '24', DOMAIN_GRACE_HOURS: '72' });
    acme = await createPartnerWithOrganization(t, 'Acme');
    globex = await createPartnerWithOrganization(t, 'Globex');
  });
  afterAll(async () => {
    await t.close();
    await dns.stop();
  });

  describe('claims', () => {
    it('answers a pending claim with the TXT record to publish, a random token per claim', async () => {
      const res = await t.http.post(orgDomains(acme)).set(bearer(acme.organizationKey)).send({ domain: ' Acme-Corp.COM. ' }).expect(201);
      expect(res.body).toEqual({
        domain: 'acme-corp.com',
        status: 'pending',
        verification: { type: 'TXT', name: '_sso-verification.acme-corp.com', value: expect.stringMatching(/^sso-verification=[0-9a-f]{40}$/) },
        verifiedAt: null,
        lastCheckedAt: null,
        reason: null,
      });
      const other = await claim(orgDomains(globex), 'acme-corp.com');
      expect(other.verification.value).not.toBe(res.body.verification.value);
      const again = await t.http.post(orgDomains(acme)).set(bearer(acme.organizationKey)).send({ domain: 'acme-corp.com' }).expect(201);
      expect(again.body.verification.value).toBe(res.body.verification.value);
      const listed = await t.http.get(orgDomains(acme)).set(bearer(acme.organizationKey)).expect(200);
      expect(listed.body.map((d: { domain: string }) => d.domain)).toEqual(['acme-corp.com']);
    });

    it('stores an IDN as its A-label', async () => {
      const res = await t.http.post(orgDomains(acme)).set(t.platform).send({ domain: 'bücher-acme.de' }).expect(201);
      expect(res.body.domain).toBe('xn--bcher-acme-9db.de');
      expect(res.body.verification.name).toBe('_sso-verification.xn--bcher-acme-9db.de');
      await t.http.post(`${orgDomains(acme)}/${encodeURIComponent('Bücher-Acme.de')}/verify`).set(t.platform).send({ method: 'manual' }).expect(200);
      await t.http.delete(`${orgDomains(acme)}/${encodeURIComponent('bücher-acme.de')}`).set(t.platform).expect(204);
    });

    it.each([
      ['not a domain', 'invalid_domain'],
      ['localhost', 'invalid_domain'],
      ['192.168.1.1', 'invalid_domain'],
      ['https://acme.com', 'invalid_domain'],
      [`${'a'.repeat(64)}.com`, 'invalid_domain'],
      ['co.uk', 'invalid_domain'],
      ['gmail.com', 'public_email_domain'],
      ['Outlook.com', 'public_email_domain'],
      ['yandex.ru', 'public_email_domain'],
    ])('refuses %j with 400 %s and writes nothing', async (domain, code) => {
      const res = await t.http.post(orgDomains(globex)).set(t.platform).send({ domain }).expect(400);
      expect(res.body).toMatchObject({ code, field: 'domain' });
      const listed = await t.http.get(orgDomains(globex)).set(t.platform).expect(200);
      expect(listed.body.map((d: { domain: string }) => d.domain)).not.toContain(domain.toLowerCase());
    });

    it('refuses a body without a domain, and unknown fields', async () => {
      await t.http.post(orgDomains(globex)).set(t.platform).send({}).expect(400);
      await t.http.post(orgDomains(globex)).set(t.platform).send({ domain: 'x.com', extra: 1 }).expect(400);
    });

    it('deletes a claim (204), then answers 404 for it', async () => {
      await claim(orgDomains(globex), 'short-lived.com');
      await t.http.delete(`${orgDomains(globex)}/short-lived.com`).set(t.platform).expect(204);
      await t.http.delete(`${orgDomains(globex)}/short-lived.com`).set(t.platform).expect(404);
      await t.http.post(`${orgDomains(globex)}/short-lived.com/verify`).set(t.platform).send({}).expect(404);
    });
  });

  describe('verification', () => {
    it('answers 422 record_not_found while nothing is published', async () => {
      await claim(orgDomains(acme), 'unpublished.com');
      const res = await t.http.post(`${orgDomains(acme)}/unpublished.com/verify`).set(t.platform).send({}).expect(422);
      expect(res.body).toMatchObject({ domain: 'unpublished.com', status: 'failed', reason: 'record_not_found' });
      expect(res.body.lastCheckedAt).not.toBeNull();
    });

    it('answers 422 record_mismatch for another token, ignoring unrelated TXT records', async () => {
      await claim(orgDomains(acme), 'mismatch.com');
      publish('mismatch.com', ['v=spf1 -all'], ['sso-verification=0000000000000000000000000000000000000000']);
      const res = await t.http.post(`${orgDomains(acme)}/mismatch.com/verify`).set(t.platform).send({}).expect(422);
      expect(res.body).toMatchObject({ status: 'failed', reason: 'record_mismatch' });
    });

    it('verifies a record split in several strings, among other records at the name', async () => {
      const claimed = await claim(orgDomains(acme), 'chunked.com');
      const value = claimed.verification.value;
      publish('chunked.com', ['google-site-verification=abc'], [value.slice(0, 10), value.slice(10, 30), value.slice(30)], ['v=spf1 -all']);
      const res = await t.http.post(`${orgDomains(acme)}/chunked.com/verify`).set(bearer(acme.organizationKey)).send({}).expect(200);
      expect(res.body).toMatchObject({ domain: 'chunked.com', status: 'verified', reason: null });
      expect(res.body.verifiedAt).not.toBeNull();
    });

    it('answers 422 dns_error for SERVFAIL and for a server that never answers, and never verifies', async () => {
      const servfail = await claim(orgDomains(acme), 'servfail.com');
      dns.set(servfail.verification.name, { rcode: 'SERVFAIL' });
      const failed = await t.http.post(`${orgDomains(acme)}/servfail.com/verify`).set(t.platform).send({}).expect(422);
      expect(failed.body).toMatchObject({ status: 'failed', reason: 'dns_error' });

      const silent = await claim(orgDomains(acme), 'silent.com');
      dns.set(silent.verification.name, { silent: true });
      const timedOut = await t.http.post(`${orgDomains(acme)}/silent.com/verify`).set(t.platform).send({}).expect(422);
      expect(timedOut.body).toMatchObject({ status: 'failed', reason: 'dns_error' });
    });

    it('lets a claim that failed be verified once the record is right', async () => {
      const claimed = await claim(orgDomains(acme), 'later.com');
      await t.http.post(`${orgDomains(acme)}/later.com/verify`).set(t.platform).send({}).expect(422);
      publish('later.com', [claimed.verification.value]);
      await t.http.post(`${orgDomains(acme)}/later.com/verify`).set(t.platform).send({}).expect(200);
    });

    it('verifies manually for the platform operator only, and records it', async () => {
      await claim(orgDomains(acme), 'manual.com');
      const refused = await t.http.post(`${orgDomains(acme)}/manual.com/verify`).set(bearer(acme.partnerKey)).send({ method: 'manual' }).expect(403);
      expect(refused.body.message).toMatch(/platform operator/);
      await t.http.post(`${orgDomains(acme)}/manual.com/verify`).set(t.platform).send({ method: 'manual' }).expect(200);
      await t.http.post(`${orgDomains(acme)}/manual.com/verify`).set(t.platform).send({ method: 'carrier-pigeon' }).expect(400);
      const log = await t.http.get(`/api/v1/organizations/${acme.organization.id}/sso/audit-log?limit=100`).set(t.platform).expect(200);
      const actions = log.body.map((entry: { action: string }) => entry.action);
      expect(actions).toEqual(expect.arrayContaining(['domain.claimed', 'domain.verified', 'domain.verified_manually', 'domain.verification_failed']));
      const manual = log.body.find((entry: { action: string }) => entry.action === 'domain.verified_manually');
      expect(manual).toMatchObject({ actor: { type: 'platform' }, changes: [{ field: 'domains.manual.com', old: 'pending', new: 'verified' }] });
    });
  });

  describe('one owner per domain', () => {
    it('lets several tenants claim; the first to verify wins and the others fail with domain_taken', async () => {
      const first = await claim(orgDomains(acme), 'contested.com');
      const second = await claim(partnerDomains(globex), 'contested.com');
      publish('contested.com', [first.verification.value], [second.verification.value]);
      await t.http.post(`${orgDomains(acme)}/contested.com/verify`).set(t.platform).send({}).expect(200);
      const loser = await t.http.get(partnerDomains(globex)).set(t.platform).expect(200);
      expect(loser.body.find((d: { domain: string }) => d.domain === 'contested.com')).toMatchObject({ status: 'failed', reason: 'domain_taken' });
      const late = await t.http.post(`${partnerDomains(globex)}/contested.com/verify`).set(t.platform).send({}).expect(422);
      expect(late.body).toMatchObject({ status: 'failed', reason: 'domain_taken' });
    });

    it('refuses a new claim on a verified domain with 409 domain_taken, naming no tenant to a stranger', async () => {
      const res = await t.http.post(orgDomains(globex)).set(bearer(globex.organizationKey)).send({ domain: 'contested.com' }).expect(409);
      expect(res.body).toMatchObject({ code: 'domain_taken', field: 'domain' });
      expect(res.body.message).not.toMatch(/Acme/);
      expect(res.body.message).not.toContain(acme.organization.id);
    });

    it("names the partner's own organization that holds the domain", async () => {
      const sister = (await t.http.post('/api/v1/organizations').set(t.platform).send({ name: 'Acme Sister', partnerId: acme.partner.id }).expect(201)).body;
      const res = await t.http.post(`/api/v1/organizations/${sister.id}/domains`).set(bearer(acme.partnerKey)).send({ domain: 'contested.com' }).expect(409);
      expect(res.body.code).toBe('domain_taken');
      expect(res.body.message).toContain('Acme Org');
    });

    (basePostgresUrl() ? it : it.skip)('lets exactly one of two tenants verifying at once win (PostgreSQL)', async () => {
      const a = await claim(orgDomains(acme), 'race.com');
      const b = await claim(orgDomains(globex), 'race.com');
      publish('race.com', [a.verification.value], [b.verification.value]);
      const results = await Promise.all([
        t.http.post(`${orgDomains(acme)}/race.com/verify`).set(t.platform).send({}),
        t.http.post(`${orgDomains(globex)}/race.com/verify`).set(t.platform).send({}),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
      expect(results.find((r) => r.status === 422)!.body.reason).toBe('domain_taken');
      const rows = await t.app.get(Database).manager.query(`SELECT count(*)::int AS n FROM domain_claims WHERE domain = 'race.com' AND status = 'verified'`);
      expect(rows[0].n).toBe(1);
    });
  });

  describe('authorization', () => {
    it('follows the contract: 401 without a token, 403 for another tenant, 404 for no tenant', async () => {
      await t.http.get(orgDomains(acme)).expect(401);
      await t.http.get(orgDomains(globex)).set(bearer(acme.organizationKey)).expect(403);
      await t.http.post(orgDomains(globex)).set(bearer(acme.partnerKey)).send({ domain: 'x-acme.com' }).expect(403);
      await t.http.get(orgDomains(acme)).set(bearer(acme.partnerKey)).expect(200);
      await t.http.get('/api/v1/organizations/00000000-0000-4000-8000-000000000000/domains').set(t.platform).expect(404);
    });
  });

  describe('routing', () => {
    it('routes discovery through verified domains only, and settings list every claimed name', async () => {
      const base = `/api/v1/organizations/${globex.organization.id}/sso`;
      await t.http.post(`${base}/enable`).set(t.platform).expect(200);
      await t.http.put(`${base}/identity-provider`).set(t.platform).send({ metadataXml: metadataFixture('okta.xml') }).expect(200);
      const patched = await t.http.patch(base).set(t.platform).send({ domains: ['globex-routed.com'], enforceSso: true }).expect(200);
      expect(patched.body.domains).toContain('globex-routed.com');
      await t.http.post('/api/v1/sso/discover').send({ email: 'jane@globex-routed.com' }).expect(200, { sso: false });

      const pending = (await t.http.get(orgDomains(globex)).set(t.platform)).body.find((d: { domain: string }) => d.domain === 'globex-routed.com');
      expect(pending.status).toBe('pending');
      publish('globex-routed.com', [pending.verification.value]);
      await t.http.post(`${orgDomains(globex)}/globex-routed.com/verify`).set(t.platform).send({}).expect(200);
      const discovered = await t.http.post('/api/v1/sso/discover').send({ email: 'Jane@Globex-Routed.com' }).expect(200);
      expect(discovered.body).toMatchObject({ sso: true, enforced: true });
    });

    it('routes an email of an IDN through its verified A-label claim', async () => {
      await t.http.post(orgDomains(globex)).set(t.platform).send({ domain: 'bücher-globex.de' }).expect(201);
      await t.http.post('/api/v1/sso/discover').send({ email: 'jane@bücher-globex.de' }).expect(200, { sso: false });
      await t.http.post(`${orgDomains(globex)}/xn--bcher-globex-dlb.de/verify`).set(t.platform).send({ method: 'manual' }).expect(200);
      for (const email of ['jane@bücher-globex.de', 'Jane@BÜCHER-globex.de', 'jane@xn--bcher-globex-dlb.de']) {
        const discovered = await t.http.post('/api/v1/sso/discover').send({ email }).expect(200);
        expect(discovered.body).toMatchObject({ sso: true });
      }
    });

    it('PATCH {domains} changes the ETag even when nothing else changes', async () => {
      const base = `/api/v1/organizations/${globex.organization.id}/sso`;
      const before = await t.http.get(base).set(t.platform).expect(200);
      const added = await t.http.patch(base).set(t.platform).send({ domains: [...before.body.domains, 'etag-check.com'] }).expect(200);
      expect(added.headers.etag).not.toBe(before.headers.etag);
      const same = await t.http.patch(base).set(t.platform).send({ domains: added.body.domains }).expect(200);
      expect(same.headers.etag).toBe(added.headers.etag);
      await t.http.patch(base).set(t.platform).set('If-Match', before.headers.etag).send({ domains: before.body.domains }).expect(412);
      await t.http.patch(base).set(t.platform).send({ domains: before.body.domains }).expect(200);
    });

    it('PATCH {domains} removes claims no longer listed and refuses a domain verified elsewhere', async () => {
      const base = `/api/v1/organizations/${globex.organization.id}/sso`;
      const conflict = await t.http.patch(base).set(t.platform).send({ domains: ['globex-routed.com', 'contested.com'] }).expect(409);
      expect(conflict.body.code).toBe('domain_taken');
      await t.http.patch(base).set(t.platform).send({ domains: ['gmail.com'] }).expect(400);
      const unchanged = await t.http.get(base).set(t.platform).expect(200);
      expect(unchanged.body.domains).toContain('globex-routed.com');
    });
  });

  describe('re-checks', () => {
    it('keeps a verified domain through the grace period, then fails it and stops routing', async () => {
      const base = `/api/v1/organizations/${acme.organization.id}/sso`;
      await t.http.post(`${base}/enable`).set(t.platform).expect(200);
      await t.http.put(`${base}/identity-provider`).set(t.platform).send({ metadataXml: metadataFixture('okta.xml') }).expect(200);
      const claimed = await claim(orgDomains(acme), 'lapsing.com');
      publish('lapsing.com', [claimed.verification.value]);
      await t.http.post(`${orgDomains(acme)}/lapsing.com/verify`).set(t.platform).send({}).expect(200);
      await t.http.post('/api/v1/sso/discover').send({ email: 'a@lapsing.com' }).expect(200).expect((r) => expect(r.body.sso).toBe(true));

      const housekeeping = t.app.get(HousekeepingService);
      const start = Date.now();
      dns.clear(claimed.verification.name);
      await housekeeping.runOnce(new Date(start + 25 * HOUR));
      const during = (await t.http.get(orgDomains(acme)).set(t.platform)).body.find((d: { domain: string }) => d.domain === 'lapsing.com');
      expect(during.status).toBe('verified');
      await t.http.post('/api/v1/sso/discover').send({ email: 'a@lapsing.com' }).expect(200).expect((r) => expect(r.body.sso).toBe(true));

      await housekeeping.runOnce(new Date(start + 50 * HOUR));
      await housekeeping.runOnce(new Date(start + (25 + 72) * HOUR + 60_000));
      const after = (await t.http.get(orgDomains(acme)).set(t.platform)).body.find((d: { domain: string }) => d.domain === 'lapsing.com');
      expect(after).toMatchObject({ status: 'failed', reason: 'record_not_found' });
      await t.http.post('/api/v1/sso/discover').send({ email: 'a@lapsing.com' }).expect(200, { sso: false });
    });

    it('forgets a missing record that comes back within the grace period, and a DNS failure proves nothing', async () => {
      const claimed = await claim(orgDomains(acme), 'flaky.com');
      publish('flaky.com', [claimed.verification.value]);
      await t.http.post(`${orgDomains(acme)}/flaky.com/verify`).set(t.platform).send({}).expect(200);
      const housekeeping = t.app.get(HousekeepingService);
      const start = Date.now();
      dns.clear(claimed.verification.name);
      await housekeeping.runOnce(new Date(start + 25 * HOUR));
      publish('flaky.com', [claimed.verification.value]);
      await housekeeping.runOnce(new Date(start + 50 * HOUR));
      dns.set(claimed.verification.name, { rcode: 'SERVFAIL' });
      await housekeeping.runOnce(new Date(start + 100 * HOUR));
      await housekeeping.runOnce(new Date(start + 200 * HOUR));
      const row = (await t.http.get(orgDomains(acme)).set(t.platform)).body.find((d: { domain: string }) => d.domain === 'flaky.com');
      expect(row.status).toBe('verified');
    });
  });
});
