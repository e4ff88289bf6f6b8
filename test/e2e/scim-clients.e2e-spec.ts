import { randomUUID } from 'node:crypto';
import { bearer, startTestApp, TestApp } from '../helpers/test-app';
import { createScimTenant, expectScimError, patchOp, scim, SCIM_ENTERPRISE, SCIM_GROUP, SCIM_USER, ScimTenant } from '../helpers/scim';

/**
 * The request sequences of the two clients most tenants use, as their documentation shows them:
 * Okta's "SCIM 2.0 reference" and its SCIM spec test, Microsoft's SCIM endpoint tutorial and its
 * "Known issues and resolutions with SCIM 2.0 protocol compliance" page.
 */
describe('SCIM as Okta and Entra ID send it', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const apiUser = (tenant: ScimTenant, id: string) => t.http.get(`${tenant.apiPath}/users/${id}`).set(t.platform).expect(200).then((r) => r.body);

  describe('Okta', () => {
    let tenant: ScimTenant;
    beforeAll(async () => {
      tenant = await createScimTenant(t);
    });

    it('passes the spec test: paging, 404 for a random id, empty filter results, 401 with a SCIM body', async () => {
      const firstPage = await scim(t, tenant, 'get', '/Users?count=1&startIndex=1').expect(200);
      expect(firstPage.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], startIndex: 1 });
      expectScimError(await scim(t, tenant, 'get', `/Users/${randomUUID()}`), 404);
      expectScimError(await scim(t, tenant, 'get', '/Users/010101'), 404);
      const random = await scim(t, tenant, 'get', `/Users?filter=${encodeURIComponent(`userName eq "${randomUUID()}@example.com"`)}`).expect(200);
      expect(random.body).toMatchObject({ totalResults: 0, Resources: [] });
      expectScimError(await scim(t, tenant, 'get', '/Users?count=1&startIndex=1', undefined, 'not-a-token'), 401);
    });

    it('provisions, updates by PUT, deactivates, reactivates and imports a user', async () => {
      const userName = 'test.user@okta.local';
      const lookup = await scim(t, tenant, 'get', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`).expect(200);
      expect(lookup.body.totalResults).toBe(0);
      const created = await scim(t, tenant, 'post', '/Users', {
        schemas: [SCIM_USER],
        userName,
        name: { givenName: 'Test', familyName: 'User' },
        emails: [{ primary: true, value: userName, type: 'work' }],
        displayName: 'Test User',
        locale: 'en-US',
        externalId: '00ujl29u0le5T6Aj10h7',
        groups: [],
        password: '1mz050nq',
        active: true,
      }).expect(201);
      const id = created.body.id;
      expect(created.body).toMatchObject({ userName, active: true, externalId: '00ujl29u0le5T6Aj10h7', locale: 'en-US' });
      expect(created.body.password).toBeUndefined();
      const found = await scim(t, tenant, 'get', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`).expect(200);
      expect(found.body.Resources.map((user: { id: string }) => user.id)).toEqual([id]);

      const current = (await scim(t, tenant, 'get', `/Users/${id}`).expect(200)).body;
      const put = await scim(t, tenant, 'put', `/Users/${id}`, { ...current, name: { givenName: 'Another', familyName: 'User' }, password: 'x' }).expect(200);
      expect(put.body.name).toEqual({ givenName: 'Another', familyName: 'User' });
      expect(await apiUser(tenant, id)).toMatchObject({ firstName: 'Another', active: true });

      const deactivated = await scim(t, tenant, 'patch', `/Users/${id}`, patchOp({ op: 'replace', value: { active: false } })).expect(200);
      expect(deactivated.body.active).toBe(false);
      expect(await apiUser(tenant, id)).toMatchObject({ active: false });
      const reactivated = await scim(t, tenant, 'patch', `/Users/${id}`, patchOp({ op: 'replace', value: { active: true } })).expect(200);
      expect(reactivated.body.active).toBe(true);

      const imported = await scim(t, tenant, 'get', '/Users?startIndex=1&count=100').expect(200);
      expect(imported.body.Resources.map((user: { userName: string }) => user.userName)).toContain(userName);
      await scim(t, tenant, 'get', '/Groups?startIndex=1&count=100').expect(200);
    });

    it('pushes a group: create, rename, remove and add members, replace members, delete', async () => {
      const member = async (userName: string) =>
        (await scim(t, tenant, 'post', '/Users', { schemas: [SCIM_USER], userName, emails: [{ primary: true, value: userName, type: 'work' }], active: true }).expect(201)).body.id;
      const first = await member('push.one@okta.local');
      const second = await member('push.two@okta.local');
      const created = await scim(t, tenant, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName: 'Test SCIMv2', members: [] }).expect(201);
      const id = created.body.id;
      await scim(t, tenant, 'get', `/Groups/${id}`).expect(200);
      await scim(t, tenant, 'patch', `/Groups/${id}`, patchOp({ op: 'replace', value: { id, displayName: 'Test SCIMv2 renamed' } })).expect(204);
      await scim(t, tenant, 'patch', `/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: first, display: 'push.one@okta.local' }] })).expect(204);
      await scim(
        t,
        tenant,
        'patch',
        `/Groups/${id}`,
        patchOp({ op: 'remove', path: `members[value eq "${first}"]` }, { op: 'add', path: 'members', value: [{ value: second, display: 'push.two@okta.local' }] }),
      ).expect(204);
      let group = (await scim(t, tenant, 'get', `/Groups/${id}`).expect(200)).body;
      expect(group.displayName).toBe('Test SCIMv2 renamed');
      expect(group.members.map((m: { value: string }) => m.value)).toEqual([second]);
      expect((await apiUser(tenant, second)).groups).toEqual(['Test SCIMv2 renamed']);
      expect((await apiUser(tenant, first)).groups).toEqual([]);

      await scim(
        t,
        tenant,
        'patch',
        `/Groups/${id}`,
        patchOp({ op: 'replace', path: 'members', value: [{ value: first, display: 'push.one@okta.local' }, { value: second }] }),
      ).expect(204);
      group = (await scim(t, tenant, 'get', `/Groups/${id}`).expect(200)).body;
      expect(group.members.map((m: { value: string }) => m.value).sort()).toEqual([first, second].sort());

      await scim(t, tenant, 'delete', `/Groups/${id}`).expect(204);
      expect((await apiUser(tenant, first)).groups).toEqual([]);
      expectScimError(await scim(t, tenant, 'get', `/Groups/${id}`), 404);
    });

    it('pages an import of 250 users with count=100', async () => {
      const importing = await createScimTenant(t);
      for (let index = 0; index < 250; index += 25) {
        await Promise.all(
          Array.from({ length: 25 }, (_, offset) =>
            scim(t, importing, 'post', '/Users', { schemas: [SCIM_USER], userName: `import${index + offset}@okta.local` }).expect(201),
          ),
        );
      }
      const seen: string[] = [];
      for (let startIndex = 1; ; startIndex += 100) {
        const page = await scim(t, importing, 'get', `/Users?startIndex=${startIndex}&count=100`).expect(200);
        expect(page.body.totalResults).toBe(250);
        seen.push(...page.body.Resources.map((user: { id: string }) => user.id));
        if (page.body.Resources.length < 100) break;
      }
      expect(seen).toHaveLength(250);
      expect(new Set(seen).size).toBe(250);
    });
  });

  describe('Entra ID', () => {
    let tenant: ScimTenant;
    beforeAll(async () => {
      tenant = await createScimTenant(t, 'partner');
    });

    it('passes Test Connection: a filter on a random GUID is 200 with an empty list, with and without aadOptscim062020', async () => {
      for (const flag of ['', 'aadOptscim062020&']) {
        const response = await scim(t, tenant, 'get', `/Users?${flag}filter=${encodeURIComponent(`userName eq "${randomUUID()}"`)}`).expect(200);
        expect(response.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
      }
      await scim(t, tenant, 'get', `/Groups?aadOptscim062020&excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${randomUUID()}"`)}`).expect(200);
    });

    it('creates, updates (capitalised operations, string booleans, dotted keys, Add on a value path) and soft-deletes a user', async () => {
      const userName = `Test_User_${randomUUID()}`;
      const lookup = await scim(t, tenant, 'get', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`).expect(200);
      expect(lookup.body.totalResults).toBe(0);
      const created = await scim(t, tenant, 'post', '/Users', {
        schemas: [SCIM_USER, SCIM_ENTERPRISE],
        externalId: randomUUID(),
        userName,
        active: true,
        emails: [{ primary: true, type: 'work', value: `Test_User_${randomUUID()}@testuser.com` }],
        meta: { resourceType: 'User' },
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
        roles: [],
        [SCIM_ENTERPRISE]: { employeeNumber: '7', department: 'Sales' },
      }).expect(201);
      const id = created.body.id;
      await scim(t, tenant, 'get', `/Users/${id}`).expect(200);

      await scim(
        t,
        tenant,
        'patch',
        `/Users/${id}`,
        patchOp(
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
          { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
        ),
      ).expect(200);
      expect(await apiUser(tenant, id)).toMatchObject({ email: 'updatedEmail@microsoft.com', lastName: 'updatedFamilyName' });

      const renamed = `${randomUUID()}@testuser.com`;
      await scim(t, tenant, 'patch', `/Users/${id}`, patchOp({ op: 'Replace', path: 'userName', value: renamed })).expect(200);
      const byNewName = await scim(t, tenant, 'get', `/Users?filter=${encodeURIComponent(`userName eq "${renamed}"`)}`).expect(200);
      expect(byNewName.body.Resources.map((user: { id: string }) => user.id)).toEqual([id]);

      const dotted = await scim(
        t,
        tenant,
        'patch',
        `/Users/${id}`,
        patchOp({ op: 'Replace', value: { 'name.givenName': 'Dotted', displayName: 'Dotted Name', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department': 'Ops' } }),
      ).expect(200);
      expect(dotted.body).toMatchObject({ name: { givenName: 'Dotted', familyName: 'updatedFamilyName' }, displayName: 'Dotted Name' });
      expect(dotted.body[SCIM_ENTERPRISE]).toMatchObject({ department: 'Ops' });

      const managerRemoved = await scim(
        t,
        tenant,
        'patch',
        `/Users/${id}`,
        patchOp(
          { op: 'Add', path: `${SCIM_ENTERPRISE}:manager`, value: [{ $ref: null, value: 'manager-id' }] },
          { op: 'Remove', path: `${SCIM_ENTERPRISE}:manager`, value: [{ $ref: null, value: 'manager-id' }] },
        ),
      ).expect(200);
      expect(managerRemoved.body[SCIM_ENTERPRISE].manager).toBeUndefined();

      const phoneAdded = await scim(t, tenant, 'patch', `/Users/${id}`, patchOp({ op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' })).expect(200);
      expect(phoneAdded.body.phoneNumbers).toEqual([{ type: 'mobile', value: '+1 555 0100' }]);

      const disabled = await scim(t, tenant, 'patch', `/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' })).expect(200);
      expect(disabled.body.active).toBe(false);
      expect(await apiUser(tenant, id)).toMatchObject({ active: false });
      const enabled = await scim(t, tenant, 'patch', `/Users/${id}`, patchOp({ op: 'replace', path: 'active', value: 'True' })).expect(200);
      expect(enabled.body.active).toBe(true);
      await scim(t, tenant, 'patch', `/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: false })).expect(200);

      await scim(t, tenant, 'delete', `/Users/${id}`).expect(204);
      expectScimError(await scim(t, tenant, 'get', `/Users/${id}`), 404);
      await t.http.get(`${tenant.apiPath}/users/${id}`).set(t.platform).expect(404);
    });

    it('adds an email with Add on emails[type eq "work"].value when the user has none', async () => {
      const created = await scim(t, tenant, 'post', '/Users', { schemas: [SCIM_USER], userName: 'no.work@contoso.test', emails: [{ value: 'home@contoso.test', type: 'home' }] }).expect(201);
      const added = await scim(t, tenant, 'patch', `/Users/${created.body.id}`, patchOp({ op: 'Add', path: 'emails[type eq "work"].value', value: 'work@contoso.test' })).expect(200);
      expect(added.body.emails).toEqual([{ value: 'home@contoso.test', type: 'home' }, { type: 'work', value: 'work@contoso.test' }]);
      expect(await apiUser(tenant, created.body.id)).toMatchObject({ email: 'work@contoso.test' });
    });

    it('provisions groups: create, read without members, rename, Add and Remove members as [{"$ref": null, "value"}], membership check, delete', async () => {
      const member = (
        await scim(t, tenant, 'post', '/Users', { schemas: [SCIM_USER], userName: `member_${randomUUID()}@contoso.test`, active: true }).expect(201)
      ).body.id;
      const created = await scim(t, tenant, 'post', '/Groups', {
        schemas: [SCIM_GROUP, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group'],
        externalId: randomUUID(),
        displayName: 'displayName',
        meta: { resourceType: 'Group' },
      }).expect(201);
      const id = created.body.id;
      const read = await scim(t, tenant, 'get', `/Groups/${id}?excludedAttributes=members`).expect(200);
      expect(read.body.members).toBeUndefined();
      const filtered = await scim(t, tenant, 'get', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "displayName"')}`).expect(200);
      expect(filtered.body.Resources.map((group: { id: string }) => group.id)).toEqual([id]);

      await scim(t, tenant, 'patch', `/Groups/${id}`, patchOp({ op: 'Replace', path: 'displayName', value: `${id}updatedDisplayName` })).expect(204);
      await scim(t, tenant, 'patch', `/Groups/${id}`, patchOp({ op: 'Add', path: 'members', value: [{ $ref: null, value: member }] })).expect(204);
      const membership = `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`id eq "${id}" and members eq "${member}"`)}`;
      expect((await scim(t, tenant, 'get', membership).expect(200)).body.totalResults).toBe(1);
      expect((await apiUser(tenant, member)).groups).toEqual([`${id}updatedDisplayName`]);

      await scim(t, tenant, 'patch', `/Groups/${id}`, patchOp({ op: 'Remove', path: 'members', value: [{ $ref: null, value: member }] })).expect(204);
      expect((await scim(t, tenant, 'get', membership).expect(200)).body.totalResults).toBe(0);
      expect((await apiUser(tenant, member)).groups).toEqual([]);
      await scim(t, tenant, 'delete', `/Groups/${id}`).expect(204);
    });

    it('refuses the SCIM token on any other route of the service (401)', async () => {
      await t.http.get(`${tenant.apiPath}/users`).set(bearer(tenant.token)).expect(401);
      await t.http.get(`${tenant.apiPath}/scim/tokens`).set(bearer(tenant.token)).expect(401);
      await t.http.get('/api/v1/me').set(bearer(tenant.token)).expect(401);
    });
  });
});
