import { randomUUID } from 'node:crypto';
import { Database } from '../../src/database/database.service';
import { HousekeepingService } from '../../src/housekeeping/housekeeping.service';
import { basePostgresUrl } from '../helpers/test-database';
import { bearer, startTestApp, TestApp } from '../helpers/test-app';
import { createTestResponse } from '../helpers/test-idp';
import { countSessions, lastAttempt, postToAcs, sessionCookieOf } from '../helpers/sso-tenant';
import { createPartnerWithOrganization } from '../helpers/tenants';
import { createScimTenant, expectScimError, patchOp, scim, SCIM_GROUP, SCIM_USER, ScimTenant } from '../helpers/scim';

/** Who gets in, and what deprovisioning and group changes do to sessions, SAML logins and roles. */
describe('SCIM tokens, access and deprovisioning', () => {
  let t: TestApp;
  let tenant: ScimTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createScimTenant(t);
    await t.http
      .patch(tenant.settingsPath)
      .set(t.platform)
      .send({ justInTimeProvisioning: false, groupsOverrideRole: true, roleMapping: [{ group: 'cloud-admins', role: 'admin' }], defaultRole: 'member' })
      .expect(200);
  });
  afterAll(() => t.close());

  const createUser = async (target: ScimTenant, email: string) =>
    (
      await scim(t, target, 'post', '/Users', {
        schemas: [SCIM_USER],
        userName: email,
        name: { givenName: 'Sam', familyName: 'Scim' },
        emails: [{ value: email, type: 'work', primary: true }],
        active: true,
      }).expect(201)
    ).body.id as string;

  const samlLogin = async (target: ScimTenant, email: string, status: number, groups: string[] = []) => {
    const response = await createTestResponse({
      audiences: [[target.spEntityId]],
      recipient: target.acsUrl,
      destination: target.acsUrl,
      nameId: email,
      attributes: { 'User.Email': email, 'User.FirstName': 'Saml', 'User.LastName': 'Login', 'User.groups': groups },
    });
    return postToAcs(t, target, response.base64).expect(status);
  };

  describe('tokens', () => {
    it('shows a token once with the base URL, lists it without the token, and keeps only its hash', async () => {
      const created = await t.http.post(`${tenant.apiPath}/scim/tokens`).set(t.platform).send({ name: 'Okta' }).expect(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        name: 'Okta',
        token: expect.stringMatching(/^scim_[A-Za-z0-9_-]{43}$/),
        baseUrl: `http://sso.test/scim/v2/organization/${tenant.id}`,
        createdAt: expect.any(String),
      });
      const listed = await t.http.get(`${tenant.apiPath}/scim/tokens`).set(t.platform).expect(200);
      const entry = listed.body.find((token: { id: string }) => token.id === created.body.id);
      expect(entry).toEqual({ id: created.body.id, name: 'Okta', createdAt: created.body.createdAt, lastUsedAt: null });
      expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
      const stored = await t.app.get(Database).manager.query('SELECT * FROM scim_tokens WHERE id = $1', [created.body.id]);
      expect(JSON.stringify(stored)).not.toContain(created.body.token);

      await scim(t, tenant, 'get', '/ServiceProviderConfig', undefined, created.body.token).expect(200);
      const used = await t.http.get(`${tenant.apiPath}/scim/tokens`).set(t.platform).expect(200);
      expect(used.body.find((token: { id: string }) => token.id === created.body.id).lastUsedAt).not.toBeNull();
    });

    it('refuses a revoked token at once; revoking an unknown token is 404', async () => {
      const created = await t.http.post(`${tenant.apiPath}/scim/tokens`).set(t.platform).send({ name: 'short-lived' }).expect(201);
      await scim(t, tenant, 'get', '/Users', undefined, created.body.token).expect(200);
      await t.http.delete(`${tenant.apiPath}/scim/tokens/${created.body.id}`).set(t.platform).expect(204);
      expectScimError(await scim(t, tenant, 'get', '/Users', undefined, created.body.token), 401);
      await t.http.delete(`${tenant.apiPath}/scim/tokens/${created.body.id}`).set(t.platform).expect(404);
      await t.http.delete(`${tenant.apiPath}/scim/tokens/not-a-uuid`).set(t.platform).expect(404);
    });

    it("lets the tenant's API key and its partner manage tokens, and nobody else", async () => {
      const fixture = await createPartnerWithOrganization(t, 'Tokens');
      const organizationTokens = `/api/v1/organizations/${fixture.organization.id}/scim/tokens`;
      await t.http.post(organizationTokens).set(bearer(fixture.organizationKey)).send({ name: 'own key' }).expect(201);
      await t.http.post(organizationTokens).set(bearer(fixture.partnerKey)).send({ name: 'partner key' }).expect(201);
      const other = await createPartnerWithOrganization(t, 'Other');
      await t.http.get(organizationTokens).set(bearer(other.organizationKey)).expect(403);
      await t.http.get(organizationTokens).expect(401);
      await t.http.post(organizationTokens).set(t.platform).send({ name: '' }).expect(400);
    });
  });

  describe('access to the SCIM routes', () => {
    it('accepts only a SCIM token of that tenant: everything else is 401 with a SCIM error body', async () => {
      const fixture = await createPartnerWithOrganization(t, 'Access');
      const other = await createScimTenant(t);
      const orgKey = (await t.http.post(`${tenant.apiPath}/api-keys`).set(t.platform).send({ name: 'k' }).expect(201)).body.key;
      expectScimError(await t.http.get(`${tenant.base}/Users`), 401);
      expectScimError(await t.http.get(`${tenant.base}/Users`).set(t.platform), 401);
      expectScimError(await t.http.get(`${tenant.base}/Users`).set(bearer(orgKey)), 401);
      expectScimError(await t.http.get(`${tenant.base}/Users`).set(bearer(fixture.partnerKey)), 401);
      expectScimError(await t.http.get(`${tenant.base}/Users`).set(bearer(other.token)), 401);
      expectScimError(await t.http.get(`/scim/v2/partner/${tenant.id}/Users`).set(bearer(tenant.token)), 401);
      expectScimError(await t.http.get(`/scim/v2/organization/${randomUUID()}/Users`).set(bearer(tenant.token)), 401);
      expectScimError(await t.http.get(`/scim/v2/organizations/${tenant.id}/Users`).set(bearer(tenant.token)), 401);
      const unauthorized = await t.http.get(`${tenant.base}/Users`);
      expect(unauthorized.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it("records the 401s of a tenant's base URL in its request log, without the credential, and none for made-up tenants", async () => {
      const refused = await createScimTenant(t);
      const revoked = await t.http.post(`${refused.apiPath}/scim/tokens`).set(t.platform).send({ name: 'old' }).expect(201);
      await t.http.delete(`${refused.apiPath}/scim/tokens/${revoked.body.id}`).set(t.platform).expect(204);
      const filter = encodeURIComponent(`userName eq "${randomUUID()}"`);
      expectScimError(await t.http.get(`${refused.base}/Users?filter=${filter}`).set(bearer(revoked.body.token)), 401);
      expectScimError(await t.http.get(`${refused.base}/Users?startIndex=1&count=1&access_token=${revoked.body.token}`), 401);
      const unknown = randomUUID();
      expectScimError(await t.http.get(`/scim/v2/organization/${unknown}/Users`).set(bearer(revoked.body.token)), 401);

      await new Promise((resolve) => setTimeout(resolve, 100));
      const requests = await t.http.get(`${refused.apiPath}/scim/requests?limit=5`).set(t.platform).expect(200);
      expect(requests.body).toHaveLength(2);
      expect(requests.body[0]).toMatchObject({ method: 'GET', status: 401, outcome: 'failure', tokenId: null });
      expect(requests.body[0].path).toContain('/Users?startIndex=1&count=1');
      expect(requests.body[1]).toMatchObject({ method: 'GET', status: 401, outcome: 'failure', tokenId: null });
      expect(requests.body[1].path).toContain(`/Users?filter=${filter}`);
      expect(JSON.stringify(requests.body)).not.toContain(revoked.body.token);
      expect(JSON.stringify(requests.body)).not.toContain(revoked.body.token.slice(5));
      const stray: unknown[] = await t.app.get(Database).manager.query('SELECT 1 FROM scim_requests WHERE tenant_id = $1', [unknown]);
      expect(stray).toEqual([]);
    });

    it('refuses an admin session cookie on the SCIM routes', async () => {
      const email = `admin-${randomUUID().slice(0, 8)}@acme.test`;
      const userId = await createUser(tenant, email);
      const group = await scim(t, tenant, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName: 'cloud-admins', members: [{ value: userId }] }).expect(201);
      const cookie = sessionCookieOf(await samlLogin(tenant, email, 302))!;
      await t.http.get(`${tenant.apiPath}/users`).set('Cookie', cookie).expect(200);
      expectScimError(await t.http.get(`${tenant.base}/Users`).set('Cookie', cookie), 401);
      await scim(t, tenant, 'delete', `/Groups/${group.body.id}`).expect(204);
    });

    it("keeps tenants apart: one tenant's token never reads or writes another tenant's users", async () => {
      const other = await createScimTenant(t, 'partner');
      const theirs = await createUser(other, 'theirs@other.test');
      expectScimError(await scim(t, tenant, 'get', `/Users/${theirs}`), 404);
      expectScimError(await scim(t, tenant, 'patch', `/Users/${theirs}`, patchOp({ op: 'replace', path: 'active', value: false })), 404);
      expectScimError(await scim(t, tenant, 'delete', `/Users/${theirs}`), 404);
      const mine = await scim(t, tenant, 'get', `/Users?filter=${encodeURIComponent('userName eq "theirs@other.test"')}`).expect(200);
      expect(mine.body.totalResults).toBe(0);
      expectScimError(
        await scim(t, tenant, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName: 'steal', members: [{ value: theirs }] }),
        400,
        'invalidValue',
      );
      await createUser(tenant, 'theirs@other.test');
      expect((await scim(t, other, 'get', `/Users/${theirs}`).expect(200)).body.active).toBe(true);
    });
  });

  describe('deprovisioning', () => {
    it('lets a SCIM user sign in by SAML with just-in-time provisioning off, and keeps its SCIM groups', async () => {
      const email = `jit-off-${randomUUID().slice(0, 8)}@acme.test`;
      await samlLogin(tenant, `unknown-${email}`, 403);
      expect((await lastAttempt(t, tenant)).reason).toBe('user_not_provisioned');
      const userId = await createUser(tenant, email);
      const group = await scim(t, tenant, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName: 'engineers', members: [{ value: userId }] }).expect(201);
      const cookie = sessionCookieOf(await samlLogin(tenant, email, 302, ['something-else']))!;
      const me = await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200);
      expect(me.body.user).toMatchObject({ id: userId, email, firstName: 'Sam', lastName: 'Scim', groups: ['engineers'], role: 'member' });
      await scim(t, tenant, 'delete', `/Groups/${group.body.id}`).expect(204);
    });

    it('ends a live SAML session at active: false, refuses the next login with user_deactivated, and restores the user with its groups', async () => {
      const email = `leaver-${randomUUID().slice(0, 8)}@acme.test`;
      const userId = await createUser(tenant, email);
      const group = await scim(t, tenant, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName: 'leavers-team', members: [{ value: userId }] }).expect(201);
      const cookie = sessionCookieOf(await samlLogin(tenant, email, 302))!;
      await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200);

      await scim(t, tenant, 'patch', `/Users/${userId}`, patchOp({ op: 'Replace', path: 'active', value: 'False' })).expect(200);
      await t.http.get('/api/v1/me').set('Cookie', cookie).expect(401);
      const sessions = await t.app.get(Database).manager.query('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [userId]);
      expect(sessions[0].n).toBe(0);
      await samlLogin(tenant, email, 403);
      expect(await lastAttempt(t, tenant)).toMatchObject({ outcome: 'failure', reason: 'user_deactivated' });

      await scim(t, tenant, 'patch', `/Users/${userId}`, patchOp({ op: 'replace', value: { active: true } })).expect(200);
      await t.http.get('/api/v1/me').set('Cookie', cookie).expect(401);
      const again = sessionCookieOf(await samlLogin(tenant, email, 302))!;
      expect((await t.http.get('/api/v1/me').set('Cookie', again).expect(200)).body.user.groups).toEqual(['leavers-team']);
      await scim(t, tenant, 'delete', `/Groups/${group.body.id}`).expect(204);
    });

    it('removes the user and every session of it at DELETE', async () => {
      const email = `deleted-${randomUUID().slice(0, 8)}@acme.test`;
      const userId = await createUser(tenant, email);
      const cookie = sessionCookieOf(await samlLogin(tenant, email, 302))!;
      const before = await countSessions(t, tenant);
      await scim(t, tenant, 'delete', `/Users/${userId}`).expect(204);
      await t.http.get('/api/v1/me').set('Cookie', cookie).expect(401);
      expect(await countSessions(t, tenant)).toBe(before - 1);
      await t.http.get(`${tenant.apiPath}/users/${userId}`).set(t.platform).expect(404);
      await samlLogin(tenant, email, 403);
      expect((await lastAttempt(t, tenant)).reason).toBe('user_not_provisioned');
    });

    it('takes over a user that a SAML login created before the directory was connected', async () => {
      const jit = await createScimTenant(t);
      const email = 'early.bird@acme.test';
      const cookie = sessionCookieOf(await samlLogin(jit, email, 302, ['saml-group']))!;
      const me = await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200);
      const taken = await scim(t, jit, 'post', '/Users', { schemas: [SCIM_USER], userName: 'EARLY.BIRD@acme.test' }).expect(201);
      expect(taken.body.id).toBe(me.body.user.id);
      expect((await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200)).body.user.groups).toEqual([]);
      expectScimError(await scim(t, jit, 'post', '/Users', { schemas: [SCIM_USER], userName: 'early.bird@acme.test' }), 409, 'uniqueness');
    });
  });

  describe('groups drive roles', () => {
    it('recomputes the role at once on every membership change, for the live session too', async () => {
      const email = `role-${randomUUID().slice(0, 8)}@acme.test`;
      const userId = await createUser(tenant, email);
      const cookie = sessionCookieOf(await samlLogin(tenant, email, 302))!;
      await t.http.get(`${tenant.apiPath}/users`).set('Cookie', cookie).expect(403);

      const admins = await scim(t, tenant, 'get', `/Groups?filter=${encodeURIComponent('displayName eq "cloud-admins"')}`).expect(200);
      const groupId =
        admins.body.Resources[0]?.id ?? (await scim(t, tenant, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName: 'cloud-admins' }).expect(201)).body.id;
      await scim(t, tenant, 'patch', `/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: [{ value: userId }] })).expect(204);
      await t.http.get(`${tenant.apiPath}/users`).set('Cookie', cookie).expect(200);
      expect((await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200)).body.user).toMatchObject({ role: 'admin', groups: ['cloud-admins'] });

      await scim(t, tenant, 'patch', `/Groups/${groupId}`, patchOp({ op: 'remove', path: `members[value eq "${userId}"]` })).expect(204);
      await t.http.get(`${tenant.apiPath}/users`).set('Cookie', cookie).expect(403);
      expect((await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200)).body.user.role).toBe('member');

      await scim(t, tenant, 'patch', `/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: [{ value: userId }] })).expect(204);
      await scim(t, tenant, 'patch', `/Groups/${groupId}`, patchOp({ op: 'replace', path: 'displayName', value: 'former-admins' })).expect(204);
      expect((await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200)).body.user).toMatchObject({ role: 'member', groups: ['former-admins'] });
      await scim(t, tenant, 'patch', `/Groups/${groupId}`, patchOp({ op: 'replace', path: 'displayName', value: 'cloud-admins' })).expect(204);
      expect((await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200)).body.user.role).toBe('admin');
      await scim(t, tenant, 'delete', `/Groups/${groupId}`).expect(204);
      expect((await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200)).body.user).toMatchObject({ role: 'member', groups: [] });
    });

    it('keeps every group when one user is added to many groups at the same time', async () => {
      const busy = await createScimTenant(t);
      const userId = await createUser(busy, 'busy@acme.test');
      const names = Array.from({ length: 32 }, (_, index) => `parallel-${String(index).padStart(2, '0')}`);
      const groupIds = await Promise.all(
        names.map(async (displayName) => (await scim(t, busy, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName }).expect(201)).body.id as string),
      );
      await Promise.all(
        groupIds.map((groupId) => scim(t, busy, 'patch', `/Groups/${groupId}`, patchOp({ op: 'Add', path: 'members', value: [{ value: userId }] })).expect(204)),
      );
      expect((await t.http.get(`${busy.apiPath}/users/${userId}`).set(t.platform).expect(200)).body.groups).toEqual(names);
    });

    it('applies a change of roleMapping, defaultRole or groupsOverrideRole at once to directory users, live sessions included', async () => {
      const policy = await createScimTenant(t);
      await t.http.patch(policy.settingsPath).set(t.platform).send({ groupsOverrideRole: true, roleMapping: [], defaultRole: 'member' }).expect(200);
      const email = `policy-${randomUUID().slice(0, 8)}@acme.test`;
      const userId = await createUser(policy, email);
      const bystander = await createUser(policy, `bystander-${randomUUID().slice(0, 8)}@acme.test`);
      await scim(t, policy, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName: 'Engineers', members: [{ value: userId }] }).expect(201);
      const cookie = sessionCookieOf(await samlLogin(policy, email, 302))!;
      const me = async () => (await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200)).body.user.role;
      const roleOf = async (id: string) => (await t.http.get(`${policy.apiPath}/users/${id}`).set(t.platform).expect(200)).body.role;
      expect(await me()).toBe('member');

      await t.http.patch(policy.settingsPath).set(t.platform).send({ roleMapping: [{ group: 'engineers', role: 'admin' }] }).expect(200);
      expect(await me()).toBe('admin');
      await t.http.get(`${policy.apiPath}/users`).set('Cookie', cookie).expect(200);
      expect(await roleOf(bystander)).toBe('member');
      const audit = await t.http.get(`${policy.settingsPath}/audit-log?limit=1`).set(t.platform).expect(200);
      expect(audit.body[0].changes).toEqual(
        expect.arrayContaining([{ field: `users.${userId}.role`, old: 'member', new: 'admin' }]),
      );
      expect(JSON.stringify(audit.body[0].changes)).not.toContain(bystander);

      await t.http.patch(policy.settingsPath).set(t.platform).send({ defaultRole: 'viewer' }).expect(200);
      expect([await me(), await roleOf(bystander)]).toEqual(['admin', 'viewer']);

      await t.http.patch(policy.settingsPath).set(t.platform).send({ groupsOverrideRole: false, roleMapping: [] }).expect(200);
      expect([await me(), await roleOf(bystander)]).toEqual(['admin', 'viewer']);
      await t.http.patch(policy.settingsPath).set(t.platform).send({ groupsOverrideRole: true }).expect(200);
      expect([await me(), await roleOf(bystander)]).toEqual(['viewer', 'viewer']);
    });

    it('takes over a SAML-created user added to a group, whose groups are then its SCIM groups', async () => {
      const taken = await createScimTenant(t);
      const email = `joiner-${randomUUID().slice(0, 8)}@acme.test`;
      const cookie = sessionCookieOf(await samlLogin(taken, email, 302, ['saml-group']))!;
      const found = await scim(t, taken, 'get', `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`).expect(200);
      const userId = found.body.Resources[0].id as string;
      const group = await scim(t, taken, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName: 'Engineering' }).expect(201);
      await scim(t, taken, 'patch', `/Groups/${group.body.id}`, patchOp({ op: 'Add', path: 'members', value: [{ value: userId }] })).expect(204);
      expect((await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200)).body.user.groups).toEqual(['Engineering']);
      expect((await t.http.get(`${taken.apiPath}/users/${userId}`).set(t.platform).expect(200)).body.groups).toEqual(['Engineering']);
    });

    it('keeps the role when groupsOverrideRole is off', async () => {
      const fixed = await createScimTenant(t);
      await t.http.patch(fixed.settingsPath).set(t.platform).send({ groupsOverrideRole: false, roleMapping: [{ group: 'cloud-admins', role: 'admin' }] }).expect(200);
      const userId = await createUser(fixed, 'fixed@acme.test');
      await scim(t, fixed, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName: 'cloud-admins', members: [{ value: userId }] }).expect(201);
      expect((await t.http.get(`${fixed.apiPath}/users/${userId}`).set(t.platform).expect(200)).body).toMatchObject({ role: 'member', groups: ['cloud-admins'] });
    });
  });

  describe('records', () => {
    it("writes every SCIM change to the tenant's audit log as the token, and lists the latest requests with their outcome", async () => {
      const recorded = await createScimTenant(t);
      const userId = await createUser(recorded, 'audited@acme.test');
      await scim(t, recorded, 'patch', `/Users/${userId}`, patchOp({ op: 'replace', path: 'active', value: false })).expect(200);
      await scim(t, recorded, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName: 'audited', members: [{ value: userId }] }).expect(201);
      await scim(t, recorded, 'delete', `/Users/${userId}`).expect(204);
      expectScimError(await scim(t, recorded, 'get', '/Users?filter=bad'), 400, 'invalidFilter');

      const audit = await t.http.get(`${recorded.settingsPath}/audit-log?limit=20`).set(t.platform).expect(200);
      const scimEntries = audit.body.filter((entry: { action: string }) => entry.action.startsWith('scim.') && entry.action !== 'scim.token.created');
      expect(scimEntries.map((entry: { action: string }) => entry.action)).toEqual(['scim.user.deleted', 'scim.group.created', 'scim.user.updated', 'scim.user.created']);
      for (const entry of scimEntries) expect(entry.actor).toEqual({ type: 'scim_token', id: recorded.tokenId });
      expect(scimEntries[2].changes).toEqual([{ field: `users.${userId}.active`, old: true, new: false }]);
      expect(audit.body.find((entry: { action: string }) => entry.action === 'scim.token.created').actor).toEqual({ type: 'platform', id: null });
      expect(JSON.stringify(audit.body)).not.toContain(recorded.token);

      await new Promise((resolve) => setTimeout(resolve, 100));
      const requests = await t.http.get(`${recorded.apiPath}/scim/requests?limit=5`).set(t.platform).expect(200);
      expect(requests.body[0]).toMatchObject({ method: 'GET', status: 400, outcome: 'failure', scimType: 'invalidFilter', tokenId: recorded.tokenId });
      expect(requests.body[0].path).toContain('/Users?filter=bad');
      expect(requests.body[1]).toMatchObject({ method: 'DELETE', status: 204, outcome: 'success', scimType: null });
      await t.http.get(`${recorded.apiPath}/scim/requests?limit=500`).set(t.platform).expect(400);

      const report = await t.app.get(HousekeepingService).runOnce(new Date(Date.now() + (t.config.retentionDays + 1) * 24 * 3600_000));
      expect(report.deleted.scim_requests).toBeGreaterThanOrEqual(5);
      expect((await t.http.get(`${recorded.apiPath}/scim/requests`).set(t.platform).expect(200)).body).toEqual([]);
    });
  });

  const onPostgres = basePostgresUrl() ? describe : describe.skip;
  onPostgres('locks', () => {
    it("changes the members of a group roleMapping does not name without waiting on the members' rows", async () => {
      const userId = await createUser(tenant, `locked-${randomUUID().slice(0, 8)}@acme.test`);
      const group = await scim(t, tenant, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName: `unmapped-${randomUUID().slice(0, 8)}` }).expect(201);
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const lockHeld = new Promise<void>((resolve) => (locked = resolve));
      const holder = t.app.get(Database).transaction(async (manager) => {
        // As a profile update or another change's role recomputation holds it (a member row's foreign key check does not wait for that).
        await manager.query('SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
        locked();
        await released;
      });
      await lockHeld;
      try {
        const patched = scim(t, tenant, 'patch', `/Groups/${group.body.id}`, patchOp({ op: 'Add', path: 'members', value: [{ value: userId }] })).then((r) => r.status);
        const waited = new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), 5000));
        expect(await Promise.race([patched, waited])).toBe(204);
      } finally {
        release();
        await holder;
      }
    });
  });

  onPostgres('two instances', () => {
    it('writes the request log an instance holds in its batch when the instance shuts down', async () => {
      const second = await t.startSibling();
      const filter = encodeURIComponent(`userName eq "${randomUUID()}@shutdown.test"`);
      await scim(second, tenant, 'get', `/Users?filter=${filter}`).expect(200);
      await second.app.close();
      const requests = await t.http.get(`${tenant.apiPath}/scim/requests?limit=20`).set(t.platform).expect(200);
      expect(requests.body.map((request: { path: string }) => request.path)).toContainEqual(expect.stringContaining(filter));
    });


    it('refuses on one instance, at once, a token revoked on the other, and deprovisions across them', async () => {
      const second = await t.startSibling();
      const created = await t.http.post(`${tenant.apiPath}/scim/tokens`).set(t.platform).send({ name: 'two instances' }).expect(201);
      await second.http.get(`${tenant.base}/Users`).set(bearer(created.body.token)).expect(200);
      await t.http.delete(`${tenant.apiPath}/scim/tokens/${created.body.id}`).set(t.platform).expect(204);
      expectScimError(await second.http.get(`${tenant.base}/Users`).set(bearer(created.body.token)), 401);

      const email = `two-${randomUUID().slice(0, 8)}@acme.test`;
      const userId = await createUser(tenant, email);
      const cookie = sessionCookieOf(await samlLogin(tenant, email, 302))!;
      await second.http.get('/api/v1/me').set('Cookie', cookie).expect(200);
      await scim(t, tenant, 'patch', `/Users/${userId}`, patchOp({ op: 'replace', path: 'active', value: false })).expect(200);
      await second.http.get('/api/v1/me').set('Cookie', cookie).expect(401);
    });
  });
});
