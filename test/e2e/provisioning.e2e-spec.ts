import { randomUUID } from 'node:crypto';
import { Database } from '../../src/database/database.service';
import { bearer, startTestApp, TestApp } from '../helpers/test-app';
import { createTestResponse } from '../helpers/test-idp';
import { createSsoTenant, lastAttempt, postToAcs, sessionCookieOf, SsoTenant } from '../helpers/sso-tenant';

describe('just-in-time provisioning and the users API', () => {
  let t: TestApp;
  let tenant: SsoTenant;
  let other: SsoTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createSsoTenant(t, 'organization');
    other = await createSsoTenant(t, 'partner');
    await t.http
      .patch(tenant.settingsPath)
      .set(t.platform)
      .send({ roleMapping: [{ group: 'sso-admins', role: 'admin' }, { group: 'auditors', role: 'viewer' }], defaultRole: 'member' })
      .expect(200);
  });
  afterAll(() => t.close());

  function login(target: SsoTenant, email: string, attributes: Record<string, string | string[]> = {}) {
    return createTestResponse({
      audiences: [[target.spEntityId]],
      recipient: target.acsUrl,
      destination: target.acsUrl,
      nameId: email,
      attributes: { 'User.Email': email, 'User.FirstName': 'Pat', 'User.LastName': 'Kim', ...attributes },
    }).then((response) => postToAcs(t, target, response.base64));
  }

  async function userByEmail(target: SsoTenant, email: string) {
    const page = await t.http.get(`/api/v1/${target.type}s/${target.id}/users?limit=100`).set(t.platform).expect(200);
    return page.body.items.find((user: { email: string }) => user.email === email);
  }

  it('creates exactly one user for twenty concurrent first logins, with twenty sessions', async () => {
    const email = `new-${randomUUID().slice(0, 8)}@example.com`;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        createTestResponse({
          audiences: [[tenant.spEntityId]],
          recipient: tenant.acsUrl,
          destination: tenant.acsUrl,
          attributes: { 'User.Email': email },
        }),
      ),
    );
    const results = await Promise.all(responses.map((response) => postToAcs(t, tenant, response.base64)));
    expect(results.map((result) => result.status)).toEqual(Array(20).fill(302));
    const rows = await t.app
      .get(Database)
      .manager.query(
        `SELECT u.id, (SELECT count(*)::int FROM sessions s WHERE s.user_id = u.id) AS sessions FROM users u WHERE email_normalized = $1`,
        [email],
      );
    expect(rows).toEqual([{ id: expect.any(String), sessions: 20 }]);
  });

  it('creates the user on first login with names, groups and role, and keeps it in step with the IdP', async () => {
    const email = 'Mixed.Case@Example.com';
    await login(tenant, email, { 'User.groups': ['sso-admins', 'eng'] }).then((r) => expect(r.status).toBe(302));
    let user = await userByEmail(tenant, email);
    expect(user).toMatchObject({ email, firstName: 'Pat', lastName: 'Kim', groups: ['sso-admins', 'eng'], role: 'admin', active: true });
    expect(user.lastLoginAt).not.toBeNull();

    await login(tenant, 'mixed.case@example.com', { 'User.groups': ['auditors'], 'User.FirstName': 'Patricia' }).then((r) =>
      expect(r.status).toBe(302),
    );
    const page = await t.http.get(`/api/v1/organizations/${tenant.id}/users?limit=100`).set(t.platform);
    expect(page.body.items.filter((u: { email: string }) => u.email.toLowerCase() === 'mixed.case@example.com')).toHaveLength(1);
    user = await userByEmail(tenant, 'mixed.case@example.com');
    expect(user).toMatchObject({ firstName: 'Patricia', groups: ['auditors'], role: 'viewer' });
  });

  it('keeps distinguished-name groups whole, and maps a role to a whole DN only', async () => {
    const adfs = await createSsoTenant(t, 'organization');
    const ssoAdmins = 'CN=SSO Admins,OU=Groups,DC=corp,DC=example';
    await t.http
      .patch(adfs.settingsPath)
      .set(t.platform)
      .send({ roleMapping: [{ group: ssoAdmins, role: 'admin' }, { group: 'admins', role: 'admin' }], defaultRole: 'viewer' })
      .expect(200);
    const me = async (email: string, groups: string[]) => {
      const cookie = sessionCookieOf(await login(adfs, email, { 'http://schemas.xmlsoap.org/claims/Group': groups }))!;
      return (await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200)).body.user;
    };

    const staffGroups = ['cn=eng,ou=groups,dc=corp,dc=example', 'cn=all,ou=groups,dc=corp,dc=example', 'cn=former,admins'];
    expect(await me('dn-staff@corp.example', staffGroups)).toMatchObject({ groups: staffGroups, role: 'viewer' });
    expect(await me('dn-admin@corp.example', [ssoAdmins, 'cn=all,ou=groups,dc=corp,dc=example'])).toMatchObject({
      groups: [ssoAdmins, 'cn=all,ou=groups,dc=corp,dc=example'],
      role: 'admin',
    });
  });

  it('without groupsOverrideRole, groups set the role only at creation and admins change it', async () => {
    await t.http.patch(tenant.settingsPath).set(t.platform).send({ groupsOverrideRole: false }).expect(200);
    try {
      const email = `sticky-${randomUUID().slice(0, 8)}@example.com`;
      await login(tenant, email, { 'User.groups': ['auditors'] });
      const created = await userByEmail(tenant, email);
      expect(created.role).toBe('viewer');
      await t.http.patch(`/api/v1/organizations/${tenant.id}/users/${created.id}`).set(t.platform).send({ role: 'admin' }).expect(200);
      await login(tenant, email, { 'User.groups': ['auditors'] });
      expect((await userByEmail(tenant, email)).role).toBe('admin');
    } finally {
      await t.http.patch(tenant.settingsPath).set(t.platform).send({ groupsOverrideRole: true }).expect(200);
    }
  });

  it('refuses unknown users when just-in-time provisioning is off, and admits known ones', async () => {
    const known = `known-${randomUUID().slice(0, 8)}@example.com`;
    await login(tenant, known);
    await t.http.patch(tenant.settingsPath).set(t.platform).send({ justInTimeProvisioning: false }).expect(200);
    try {
      const refused = await login(tenant, `stranger-${randomUUID().slice(0, 8)}@example.com`);
      expect(refused.status).toBe(403);
      expect((await lastAttempt(t, tenant)).reason).toBe('user_not_provisioned');
      expect((await login(tenant, known)).status).toBe(302);
    } finally {
      await t.http.patch(tenant.settingsPath).set(t.platform).send({ justInTimeProvisioning: true }).expect(200);
    }
  });

  it('refuses emails outside allowedEmailDomains', async () => {
    await t.http.patch(tenant.settingsPath).set(t.platform).send({ allowedEmailDomains: ['example.com'] }).expect(200);
    try {
      const refused = await login(tenant, 'someone@elsewhere.org');
      expect(refused.status).toBe(403);
      expect(await lastAttempt(t, tenant)).toMatchObject({ reason: 'email_domain_not_allowed', email: 'someone@elsewhere.org' });
      expect(await userByEmail(tenant, 'someone@elsewhere.org')).toBeUndefined();
      expect((await login(tenant, 'someone@example.com')).status).toBe(302);
    } finally {
      await t.http.patch(tenant.settingsPath).set(t.platform).send({ allowedEmailDomains: [] }).expect(200);
    }
  });

  it('compares an IDN email domain with allowedEmailDomains by its A-label, however either is written', async () => {
    const patched = await t.http.patch(tenant.settingsPath).set(t.platform).send({ allowedEmailDomains: ['Bücher.example.', 'example.com'] }).expect(200);
    expect(patched.body.allowedEmailDomains).toEqual(['xn--bcher-kva.example', 'example.com']);
    try {
      expect((await login(tenant, 'jane@bücher.example')).status).toBe(302);
      expect((await login(tenant, 'joe@xn--bcher-kva.example')).status).toBe(302);
      expect((await login(tenant, 'someone@bucher.example')).status).toBe(403);
    } finally {
      await t.http.patch(tenant.settingsPath).set(t.platform).send({ allowedEmailDomains: [] }).expect(200);
    }
  });

  it('refuses an assertion without an email', async () => {
    const response = await createTestResponse({
      audiences: [[tenant.spEntityId]],
      recipient: tenant.acsUrl,
      destination: tenant.acsUrl,
      nameId: 'opaque-123',
      nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      attributes: { 'User.FirstName': 'No' },
    });
    await postToAcs(t, tenant, response.base64).expect(400);
    expect((await lastAttempt(t, tenant)).reason).toBe('email_missing');
  });

  it('deactivation ends sessions at once and blocks login until reactivated', async () => {
    const email = `leaver-${randomUUID().slice(0, 8)}@example.com`;
    const cookie = sessionCookieOf(await login(tenant, email))!;
    await t.http.get('/api/v1/me').set('Cookie', cookie).expect(200);
    const user = await userByEmail(tenant, email);
    const deactivated = await t.http.post(`/api/v1/organizations/${tenant.id}/users/${user.id}/deactivate`).set(t.platform).expect(200);
    expect(deactivated.body.active).toBe(false);
    await t.http.get('/api/v1/me').set('Cookie', cookie).expect(401);
    const refused = await login(tenant, email);
    expect(refused.status).toBe(403);
    expect(sessionCookieOf(refused)).toBeNull();
    expect((await lastAttempt(t, tenant)).reason).toBe('user_deactivated');
    await t.http.post(`/api/v1/organizations/${tenant.id}/users/${user.id}/activate`).set(t.platform).expect(200);
    expect((await login(tenant, email)).status).toBe(302);
  });

  it('pages users, validates input, and never shows a user of one tenant from another', async () => {
    const firstPage = await t.http.get(`/api/v1/organizations/${tenant.id}/users?page=1&limit=2`).set(t.platform).expect(200);
    expect(firstPage.body.items).toHaveLength(2);
    expect(firstPage.body.total).toBeGreaterThan(2);
    const secondPage = await t.http.get(`/api/v1/organizations/${tenant.id}/users?page=2&limit=2`).set(t.platform).expect(200);
    expect(secondPage.body.items[0].id).not.toBe(firstPage.body.items[0].id);
    expect(Object.keys(firstPage.body.items[0]).sort()).toEqual(
      ['active', 'createdAt', 'email', 'firstName', 'groups', 'id', 'lastLoginAt', 'lastName', 'role'].sort(),
    );
    await t.http.get(`/api/v1/organizations/${tenant.id}/users?limit=101`).set(t.platform).expect(400);
    await t.http.get(`/api/v1/organizations/${tenant.id}/users?page=0`).set(t.platform).expect(400);
    const someone = firstPage.body.items[0];
    await t.http.patch(`/api/v1/organizations/${tenant.id}/users/${someone.id}`).set(t.platform).send({ role: 'owner' }).expect(400);

    await login(other, 'partner-user@example.com');
    await t.http.get(`/api/v1/partners/${other.id}/users/${someone.id}`).set(t.platform).expect(404);
    await t.http.post(`/api/v1/partners/${other.id}/users/${someone.id}/deactivate`).set(t.platform).expect(404);
    const otherUsers = await t.http.get(`/api/v1/partners/${other.id}/users`).set(t.platform).expect(200);
    expect(otherUsers.body.items.map((u: { email: string }) => u.email)).toEqual(['partner-user@example.com']);
    await t.http.get(`/api/v1/organizations/${tenant.id}/users/not-a-uuid`).set(t.platform).expect(404);
  });

  it("lets an SSO admin manage its tenant's settings with its session, but not a member", async () => {
    const admin = sessionCookieOf(await login(tenant, `boss-${randomUUID().slice(0, 8)}@example.com`, { 'User.groups': ['sso-admins'] }))!;
    const member = sessionCookieOf(await login(tenant, `staff-${randomUUID().slice(0, 8)}@example.com`))!;
    const adminToken = admin.split('=')[1];
    await t.http.get(tenant.settingsPath).set(bearer(adminToken)).expect(200);
    await t.http.patch(tenant.settingsPath).set('Cookie', admin).send({ clockSkewSeconds: 90 }).expect(200);
    await t.http.get(`/api/v1/organizations/${tenant.id}/users`).set(bearer(adminToken)).expect(200);
    await t.http.get(tenant.settingsPath).set('Cookie', member).expect(403);
    await t.http.get(tenant.settingsPath).set(bearer(member.split('=')[1])).expect(403);
    await t.http.get(other.settingsPath).set(bearer(adminToken)).expect(403);
    const log = await t.http.get(`${tenant.settingsPath}/audit-log?limit=1`).set(t.platform);
    expect(log.body[0].actor.type).toBe('user');
  });
});
