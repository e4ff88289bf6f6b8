import { randomUUID } from 'node:crypto';
import { bearer, startTestApp, TestApp } from '../helpers/test-app';
import { createPartnerWithOrganization, TenantFixture } from '../helpers/tenants';

describe('tenants, API keys and the authorization matrix', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let globex: TenantFixture;
  let independentOrg: { id: string };

  beforeAll(async () => {
    t = await startTestApp();
    acme = await createPartnerWithOrganization(t, 'Acme');
    globex = await createPartnerWithOrganization(t, 'Globex');
    independentOrg = (await t.http.post('/api/v1/organizations').set(t.platform).send({ name: 'Solo' }).expect(201)).body;
  });
  afterAll(() => t.close());

  it('creates partners and organizations with the contract fields', async () => {
    const partner = await t.http.get(`/api/v1/partners/${acme.partner.id}`).set(t.platform).expect(200);
    expect(Object.keys(partner.body).sort()).toEqual(['createdAt', 'id', 'name']);
    const organization = await t.http.get(`/api/v1/organizations/${acme.organization.id}`).set(t.platform).expect(200);
    expect(organization.body).toMatchObject({ id: acme.organization.id, name: 'Acme Org', partnerId: acme.partner.id });
    expect(independentOrg).toMatchObject({ partnerId: null });
    const children = await t.http.get(`/api/v1/partners/${acme.partner.id}/organizations`).set(t.platform).expect(200);
    expect(children.body.map((o: { id: string }) => o.id)).toEqual([acme.organization.id]);
  });

  it('validates input: unknown fields, missing names and unknown partners are 400', async () => {
    await t.http.post('/api/v1/partners').set(t.platform).send({ name: 'x', extra: 1 }).expect(400);
    await t.http.post('/api/v1/partners').set(t.platform).send({}).expect(400);
    const res = await t.http.post('/api/v1/organizations').set(t.platform).send({ name: 'x', partnerId: randomUUID() }).expect(400);
    expect(res.body.field).toBe('partnerId');
    await t.http.post('/api/v1/partners').set(t.platform).set('content-type', 'application/json').send('{"name":').expect(400);
  });

  it('only the platform operator creates partners and organizations', async () => {
    await t.http.post('/api/v1/partners').set(bearer(acme.partnerKey)).send({ name: 'x' }).expect(403);
    await t.http.post('/api/v1/organizations').set(bearer(acme.organizationKey)).send({ name: 'x' }).expect(403);
  });

  it('lets a partner key manage its own partner and its child organizations only', async () => {
    const key = bearer(acme.partnerKey);
    await t.http.get(`/api/v1/partners/${acme.partner.id}`).set(key).expect(200);
    await t.http.get(`/api/v1/partners/${acme.partner.id}/organizations`).set(key).expect(200);
    await t.http.get(`/api/v1/organizations/${acme.organization.id}`).set(key).expect(200);
    await t.http.post(`/api/v1/organizations/${acme.organization.id}/api-keys`).set(key).send({ name: 'k' }).expect(201);
    await t.http.get(`/api/v1/organizations/${globex.organization.id}`).set(key).expect(403);
    await t.http.get(`/api/v1/organizations/${independentOrg.id}`).set(key).expect(403);
    await t.http.get(`/api/v1/partners/${globex.partner.id}`).set(key).expect(403);
  });

  it('confines an organization key to its organization', async () => {
    const key = bearer(acme.organizationKey);
    await t.http.get(`/api/v1/organizations/${acme.organization.id}`).set(key).expect(200);
    await t.http.get(`/api/v1/organizations/${globex.organization.id}`).set(key).expect(403);
    await t.http.get(`/api/v1/partners/${acme.partner.id}`).set(key).expect(403);
    await t.http.post(`/api/v1/partners/${acme.partner.id}/api-keys`).set(key).send({ name: 'k' }).expect(403);
  });

  it('answers 401 without a valid token, 404 for an unknown tenant', async () => {
    await t.http.get(`/api/v1/partners/${acme.partner.id}`).expect(401);
    await t.http.get(`/api/v1/partners/${acme.partner.id}`).set(bearer('sk_not-a-key')).expect(401);
    await t.http.get(`/api/v1/partners/${acme.partner.id}`).set({ Authorization: 'Basic abc' }).expect(401);
    await t.http.get(`/api/v1/partners/${randomUUID()}`).set(t.platform).expect(404);
    await t.http.get(`/api/v1/organizations/not-a-uuid`).set(t.platform).expect(404);
    await t.http.get(`/api/v1/organizations/${randomUUID()}`).set(bearer(acme.partnerKey)).expect(404);
    await t.http.get(`/api/v1/widgets/${acme.partner.id}/api-keys`).set(t.platform).expect(404);
  });

  it('shows a key once, stores only its hash, records its use and revokes it', async () => {
    const created = await t.http
      .post(`/api/v1/organizations/${acme.organization.id}/api-keys`)
      .set(t.platform)
      .send({ name: 'ci' })
      .expect(201);
    expect(Object.keys(created.body).sort()).toEqual(['createdAt', 'id', 'key', 'name']);
    const key: string = created.body.key;
    const rows = await t.app.get(
      (await import('../../src/database/database.service')).Database,
    ).manager.query('SELECT key_hash FROM api_keys WHERE id = $1', [created.body.id]);
    expect(rows[0].key_hash).not.toContain(key);
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);

    await t.http.get(`/api/v1/organizations/${acme.organization.id}`).set(bearer(key)).expect(200);
    const listed = await t.http.get(`/api/v1/organizations/${acme.organization.id}/api-keys`).set(t.platform).expect(200);
    const entry = listed.body.find((k: { id: string }) => k.id === created.body.id);
    expect(entry.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(key);

    await t.http.delete(`/api/v1/organizations/${acme.organization.id}/api-keys/${created.body.id}`).set(t.platform).expect(204);
    await t.http.get(`/api/v1/organizations/${acme.organization.id}`).set(bearer(key)).expect(401);
    await t.http.delete(`/api/v1/organizations/${acme.organization.id}/api-keys/${created.body.id}`).set(t.platform).expect(404);
    await t.http.delete(`/api/v1/organizations/${acme.organization.id}/api-keys/nope`).set(t.platform).expect(404);
  });

  it('does not let one tenant revoke another tenant\'s key', async () => {
    const created = await t.http.post(`/api/v1/organizations/${globex.organization.id}/api-keys`).set(t.platform).send({ name: 'g' });
    await t.http
      .delete(`/api/v1/organizations/${acme.organization.id}/api-keys/${created.body.id}`)
      .set(bearer(acme.organizationKey))
      .expect(404);
    await t.http.get(`/api/v1/organizations/${globex.organization.id}`).set(bearer(created.body.key)).expect(200);
  });

  it('serves health, readiness and the OpenAPI document', async () => {
    await t.http.get('/health').expect(200, { status: 'ok' });
    await t.http.get('/health/ready').expect(200, { status: 'ready' });
    const doc = await t.http.get('/api/docs-json').expect(200);
    expect(doc.body.paths['/api/v1/partners']).toBeDefined();
    await t.http.get('/api/docs').redirects(1).expect(200);
  });
});
