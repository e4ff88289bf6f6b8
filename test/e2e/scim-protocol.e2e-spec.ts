import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createScimTenant, expectScimError, patchOp, scim, SCIM_ENTERPRISE, SCIM_GROUP, SCIM_USER, ScimTenant } from '../helpers/scim';

/** RFC 7643/7644 as the service implements them: discovery, list, filter, paging, attributes, PUT, PATCH, ETags, errors. */
describe('SCIM 2.0 protocol', () => {
  let t: TestApp;
  let tenant: ScimTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createScimTenant(t);
  });
  afterAll(() => t.close());

  const newUser = (userName: string, extra: Record<string, unknown> = {}) =>
    scim(t, tenant, 'post', '/Users', {
      schemas: [SCIM_USER],
      userName,
      name: { givenName: 'Given', familyName: 'Family' },
      emails: [{ value: userName, type: 'work', primary: true }],
      active: true,
      ...extra,
    }).expect(201);

  describe('discovery', () => {
    it('publishes what it supports: patch and filter (maxResults), etag, no bulk, no sort', async () => {
      const config = await scim(t, tenant, 'get', '/ServiceProviderConfig').expect(200);
      expect(config.headers['content-type']).toBe('application/scim+json; charset=utf-8');
      expect(config.body).toMatchObject({
        patch: { supported: true },
        bulk: { supported: false },
        filter: { supported: true, maxResults: 1000 },
        etag: { supported: true },
        sort: { supported: false },
        changePassword: { supported: false },
        authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' })],
      });
    });

    it('lists the User and Group resource types and their schemas', async () => {
      const types = await scim(t, tenant, 'get', '/ResourceTypes').expect(200);
      expect(types.body.Resources.map((type: { endpoint: string }) => type.endpoint)).toEqual(['/Users', '/Groups']);
      await scim(t, tenant, 'get', '/ResourceTypes/User').expect(200);
      const schemas = await scim(t, tenant, 'get', '/Schemas').expect(200);
      expect(schemas.body.Resources.map((schema: { id: string }) => schema.id)).toEqual([SCIM_USER, SCIM_GROUP, SCIM_ENTERPRISE]);
      const user = await scim(t, tenant, 'get', `/Schemas/${SCIM_USER}`).expect(200);
      expect(user.body.attributes.find((attribute: { name: string }) => attribute.name === 'userName')).toMatchObject({ required: true, uniqueness: 'server' });
      expect(user.body.attributes.find((attribute: { name: string }) => attribute.name === 'groups')).toMatchObject({ mutability: 'readOnly' });
    });
  });

  describe('users', () => {
    it('creates a user with meta (location, ETag version) and reads it back; the Users API sees the same user', async () => {
      const created = await newUser('ada@acme.test', { externalId: 'ext-ada', displayName: 'Ada L', title: 'Engineer' });
      const { id } = created.body;
      expect(created.headers.location).toBe(`http://sso.test${tenant.base}/Users/${id}`);
      expect(created.headers.etag).toBe(created.body.meta.version);
      expect(created.body).toMatchObject({
        schemas: [SCIM_USER],
        userName: 'ada@acme.test',
        externalId: 'ext-ada',
        displayName: 'Ada L',
        title: 'Engineer',
        active: true,
        groups: [],
        meta: { resourceType: 'User', location: `http://sso.test${tenant.base}/Users/${id}` },
      });
      const read = await scim(t, tenant, 'get', `/Users/${id}`).expect(200);
      expect(read.body).toEqual(created.body);
      const viaApi = await t.http.get(`${tenant.apiPath}/users/${id}`).set(t.platform).expect(200);
      expect(viaApi.body).toMatchObject({ email: 'ada@acme.test', firstName: 'Given', lastName: 'Family', active: true, role: 'member', groups: [] });
    });

    it('never stores or returns a password', async () => {
      const created = await newUser('pw@acme.test', { password: 'Hunter2!' });
      expect(JSON.stringify(created.body)).not.toContain('Hunter2');
      const stored = await t.app.get((await import('../../src/database/database.service')).Database).manager.query(
        'SELECT scim_document::text AS doc FROM users WHERE id = $1',
        [created.body.id],
      );
      expect(stored[0].doc).not.toContain('Hunter2');
    });

    it('takes the email from the primary, else the work, else the first email, else the userName', async () => {
      const email = async (body: Record<string, unknown>) => {
        const created = await scim(t, tenant, 'post', '/Users', { schemas: [SCIM_USER], ...body }).expect(201);
        return (await t.http.get(`${tenant.apiPath}/users/${created.body.id}`).set(t.platform).expect(200)).body.email;
      };
      expect(await email({ userName: 'u1', emails: [{ value: 'home1@x.test', type: 'home' }, { value: 'Prim1@x.test', type: 'other', primary: true }] })).toBe('Prim1@x.test');
      expect(await email({ userName: 'u2', emails: [{ value: 'home2@x.test', type: 'home' }, { value: 'work2@x.test', type: 'work' }] })).toBe('work2@x.test');
      expect(await email({ userName: 'u3', emails: [{ value: 'first3@x.test', type: 'home' }, { value: 'second3@x.test' }] })).toBe('first3@x.test');
      expect(await email({ userName: 'only-name@x.test' })).toBe('only-name@x.test');
      const missing = await scim(t, tenant, 'post', '/Users', { schemas: [SCIM_USER], userName: 'no-email' });
      expectScimError(missing, 400, 'invalidValue');
    });

    it('refuses a userName or an email taken in the tenant, case-insensitively: 409 uniqueness', async () => {
      await newUser('taken@acme.test');
      expectScimError(await scim(t, tenant, 'post', '/Users', { schemas: [SCIM_USER], userName: 'TAKEN@acme.test' }), 409, 'uniqueness');
      expectScimError(
        await scim(t, tenant, 'post', '/Users', { schemas: [SCIM_USER], userName: 'other-name', emails: [{ value: 'Taken@Acme.test', primary: true }] }),
        409,
        'uniqueness',
      );
      const second = await newUser('second@acme.test');
      const renamed = await scim(t, tenant, 'patch', `/Users/${second.body.id}`, patchOp({ op: 'replace', path: 'userName', value: 'taken@ACME.test' }));
      expectScimError(renamed, 409, 'uniqueness');
    });

    it('PUT replaces: attributes left out are cleared, read-only ones ignored', async () => {
      const created = await newUser('put@acme.test', { displayName: 'Before', title: 'Old title', nickName: 'nick' });
      const replaced = await scim(t, tenant, 'put', `/Users/${created.body.id}`, {
        schemas: [SCIM_USER],
        id: created.body.id,
        userName: 'put@acme.test',
        name: { givenName: 'New', familyName: 'Name' },
        emails: [{ value: 'put@acme.test', primary: true }],
        displayName: 'After',
        groups: [{ value: randomUUID() }],
        meta: { resourceType: 'User' },
        active: true,
      }).expect(200);
      expect(replaced.body).toMatchObject({ displayName: 'After', name: { givenName: 'New', familyName: 'Name' }, groups: [] });
      expect(replaced.body.title).toBeUndefined();
      expect(replaced.body.nickName).toBeUndefined();
    });

    it('keeps the enterprise extension and lists its schema', async () => {
      const created = await newUser('ent@acme.test', { schemas: [SCIM_USER, SCIM_ENTERPRISE], [SCIM_ENTERPRISE]: { employeeNumber: '42', department: 'R&D' } });
      expect(created.body.schemas).toEqual([SCIM_USER, SCIM_ENTERPRISE]);
      expect(created.body[SCIM_ENTERPRISE]).toEqual({ employeeNumber: '42', department: 'R&D' });
      const patched = await scim(
        t,
        tenant,
        'patch',
        `/Users/${created.body.id}`,
        patchOp({ op: 'Add', path: `${SCIM_ENTERPRISE}:manager`, value: 'boss-id' }, { op: 'replace', path: `${SCIM_ENTERPRISE}:department`, value: 'Ops' }),
      ).expect(200);
      expect(patched.body[SCIM_ENTERPRISE]).toEqual({ employeeNumber: '42', department: 'Ops', manager: { value: 'boss-id' } });
    });
  });

  describe('list, filter, paging, attributes', () => {
    let listed: ScimTenant;
    const ids: string[] = [];

    beforeAll(async () => {
      listed = await createScimTenant(t);
      for (const [index, name] of ['amy', 'bob', 'bea', 'cat', 'dan'].entries()) {
        const created = await scim(t, listed, 'post', '/Users', {
          schemas: [SCIM_USER],
          userName: `${name}@list.test`,
          externalId: `EXT-${name}`,
          displayName: `${name.toUpperCase()} ${index}`,
          emails: [{ value: `${name}@list.test`, type: 'work', primary: true }, { value: `${name}@home.test`, type: 'home' }],
          active: index !== 4,
        }).expect(201);
        ids.push(created.body.id);
      }
    });

    const names = (response: { body: { Resources: { userName: string }[] } }) => response.body.Resources.map((user) => user.userName);
    const list = (query: string) => scim(t, listed, 'get', `/Users?${query}`);

    it('answers a ListResponse in a stable order (creation), with startIndex and count paging', async () => {
      const all = await list('').expect(200);
      expect(all.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 5, startIndex: 1, itemsPerPage: 5 });
      expect(names(all)).toEqual(['amy', 'bob', 'bea', 'cat', 'dan'].map((name) => `${name}@list.test`));
      const second = await list('startIndex=2&count=2').expect(200);
      expect(second.body).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
      expect(names(second)).toEqual(['bob@list.test', 'bea@list.test']);
      const past = await list('startIndex=10&count=2').expect(200);
      expect(past.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
      const countOnly = await list('count=0').expect(200);
      expect(countOnly.body).toMatchObject({ totalResults: 5, itemsPerPage: 0 });
      const clamped = await list('startIndex=0&count=-3').expect(200);
      expect(clamped.body).toMatchObject({ startIndex: 1, itemsPerPage: 0 });
      expectScimError(await list('count=many'), 400, 'invalidValue');
    });

    it('pages a filtered list the same way: its count, a page past its end, count=0', async () => {
      const filter = `filter=${encodeURIComponent('emails.value co "@list.test"')}`;
      const second = await list(`${filter}&startIndex=2&count=2`).expect(200);
      expect(second.body).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
      expect(names(second)).toEqual(['bob@list.test', 'bea@list.test']);
      const past = await list(`${filter}&startIndex=10&count=2`).expect(200);
      expect(past.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
      const countOnly = await list(`${filter}&count=0`).expect(200);
      expect(countOnly.body).toMatchObject({ totalResults: 5, itemsPerPage: 0 });
      const none = await list(`filter=${encodeURIComponent('userName eq "nobody@list.test"')}`).expect(200);
      expect(none.body).toMatchObject({ totalResults: 0, itemsPerPage: 0, Resources: [] });
    });

    it('filters with eq (case-insensitive on userName, exact on externalId), and, or, not, pr, sw, co, ew', async () => {
      expect(names(await list(`filter=${encodeURIComponent('userName eq "BOB@list.test"')}`).expect(200))).toEqual(['bob@list.test']);
      expect(names(await list(`filter=${encodeURIComponent('externalId eq "EXT-amy"')}`).expect(200))).toEqual(['amy@list.test']);
      expect(names(await list(`filter=${encodeURIComponent('externalId eq "ext-amy"')}`).expect(200))).toEqual([]);
      expect(names(await list(`filter=${encodeURIComponent('userName sw "b"')}`).expect(200))).toEqual(['bob@list.test', 'bea@list.test']);
      expect(names(await list(`filter=${encodeURIComponent('displayName co "A"')}`).expect(200))).toEqual(['amy@list.test', 'bea@list.test', 'cat@list.test', 'dan@list.test']);
      expect(names(await list(`filter=${encodeURIComponent('userName ew "t@list.test"')}`).expect(200))).toEqual(['cat@list.test']);
      expect(names(await list(`filter=${encodeURIComponent('userName sw "b" and not (displayName co "E")')}`).expect(200))).toEqual(['bob@list.test']);
      expect(names(await list(`filter=${encodeURIComponent('userName eq "amy@list.test" or externalId eq "EXT-cat"')}`).expect(200))).toEqual([
        'amy@list.test',
        'cat@list.test',
      ]);
      expect(names(await list(`filter=${encodeURIComponent('active eq false')}`).expect(200))).toEqual(['dan@list.test']);
      expect((await list(`filter=${encodeURIComponent('externalId pr')}`).expect(200)).body.totalResults).toBe(5);
    });

    it('filters on emails.value (any email) and on a value path, and on id', async () => {
      expect(names(await list(`filter=${encodeURIComponent('emails.value eq "cat@home.test"')}`).expect(200))).toEqual(['cat@list.test']);
      expect(names(await list(`filter=${encodeURIComponent('emails[type eq "home" and value sw "bea"]')}`).expect(200))).toEqual(['bea@list.test']);
      expect(names(await list(`filter=${encodeURIComponent(`id eq "${ids[1]}"`)}`).expect(200))).toEqual(['bob@list.test']);
      expect(names(await list(`filter=${encodeURIComponent('id eq "not-a-uuid"')}`).expect(200))).toEqual([]);
    });

    it('treats filter values as data, never as SQL', async () => {
      const injected = await list(`filter=${encodeURIComponent(`userName eq "x' OR '1'='1"`)}`).expect(200);
      expect(injected.body.totalResults).toBe(0);
      const wildcard = await list(`filter=${encodeURIComponent('userName co "%"')}`).expect(200);
      expect(wildcard.body.totalResults).toBe(0);
    });

    it('refuses a filter that does not parse, or names an attribute it cannot filter on: 400 invalidFilter', async () => {
      expectScimError(await list(`filter=${encodeURIComponent('userName eq')}`), 400, 'invalidFilter');
      expectScimError(await list(`filter=${encodeURIComponent('userName xx "a"')}`), 400, 'invalidFilter');
      expectScimError(await list(`filter=${encodeURIComponent('password eq "a"')}`), 400, 'invalidFilter');
      expectScimError(await list(`filter=${encodeURIComponent('active eq "yes"')}`), 400, 'invalidFilter');
      expectScimError(await list(`filter=${encodeURIComponent('('.repeat(5000))}`), 400, 'invalidFilter');
    });

    it('returns only the attributes asked for (id and schemas always), or all but the excluded ones', async () => {
      const some = await list(`filter=${encodeURIComponent('userName eq "amy@list.test"')}&attributes=userName,emails.value`).expect(200);
      expect(some.body.Resources[0]).toEqual({
        schemas: [SCIM_USER],
        id: ids[0],
        userName: 'amy@list.test',
        emails: [{ value: 'amy@list.test' }, { value: 'amy@home.test' }],
      });
      const without = await scim(t, listed, 'get', `/Users/${ids[0]}?excludedAttributes=emails,groups,meta`).expect(200);
      expect(without.body.emails).toBeUndefined();
      expect(without.body.groups).toBeUndefined();
      expect(without.body.meta).toBeUndefined();
      expect(without.body.userName).toBe('amy@list.test');
    });

    it('ignores unknown query parameters', async () => {
      expect((await list('aadOptscim062020&foo=bar').expect(200)).body.totalResults).toBe(5);
    });
  });

  describe('PATCH (RFC 7644 §3.5.2)', () => {
    it('adds, replaces and removes, with value filters, and answers the resource', async () => {
      const created = await newUser('patch@acme.test');
      const id = created.body.id;
      const patched = await scim(
        t,
        tenant,
        'patch',
        `/Users/${id}`,
        patchOp(
          { op: 'add', path: 'phoneNumbers', value: [{ value: '555-1', type: 'work' }] },
          { op: 'add', path: 'emails', value: [{ value: 'second@acme.test', type: 'home' }] },
          { op: 'replace', path: 'emails[type eq "work"].value', value: 'patched@acme.test' },
          { op: 'replace', path: 'name.familyName', value: 'Patched' },
          { op: 'remove', path: 'emails[type eq "home"]' },
        ),
      ).expect(200);
      expect(patched.body).toMatchObject({
        emails: [{ value: 'patched@acme.test', type: 'work', primary: true }],
        phoneNumbers: [{ value: '555-1', type: 'work' }],
        name: { givenName: 'Given', familyName: 'Patched' },
      });
      const viaApi = await t.http.get(`${tenant.apiPath}/users/${id}`).set(t.platform).expect(200);
      expect(viaApi.body).toMatchObject({ email: 'patched@acme.test', lastName: 'Patched' });
      const removed = await scim(t, tenant, 'patch', `/Users/${id}`, patchOp({ op: 'remove', path: 'phoneNumbers' })).expect(200);
      expect(removed.body.phoneNumbers).toBeUndefined();
    });

    it('answers the RFC errors: invalidPath, mutability, noTarget, invalidValue, invalidSyntax', async () => {
      const { body: user } = await newUser('errors@acme.test');
      const patch = (...operations: Record<string, unknown>[]) => scim(t, tenant, 'patch', `/Users/${user.id}`, patchOp(...operations));
      expectScimError(await patch({ op: 'replace', path: 'favouriteColour', value: 'blue' }), 400, 'invalidPath');
      expectScimError(await patch({ op: 'replace', path: 'name.nickname', value: 'x' }), 400, 'invalidPath');
      expectScimError(await patch({ op: 'replace', path: 'emails[type eq', value: 'x' }), 400, 'invalidPath');
      expectScimError(await patch({ op: 'replace', path: '__proto__.polluted', value: 'x' }), 400, 'invalidPath');
      expectScimError(await patch({ op: 'replace', path: 'constructor', value: 'x' }), 400, 'invalidPath');
      expectScimError(await patch({ op: 'replace', path: 'id', value: randomUUID() }), 400, 'mutability');
      expectScimError(await patch({ op: 'replace', path: 'meta.created', value: 'x' }), 400, 'mutability');
      expectScimError(await patch({ op: 'add', path: 'groups', value: [{ value: randomUUID() }] }), 400, 'mutability');
      expectScimError(await patch({ op: 'replace', value: { id: randomUUID() } }), 400, 'mutability');
      expectScimError(await patch({ op: 'remove' }), 400, 'noTarget');
      expectScimError(await patch({ op: 'replace', path: 'emails[type co "fax"].display', value: 'x' }), 400, 'noTarget');
      expectScimError(await patch({ op: 'replace', path: 'active', value: 'perhaps' }), 400, 'invalidValue');
      expectScimError(await patch({ op: 'replace', path: 'userName', value: 7 }), 400, 'invalidValue');
      expectScimError(await patch({ op: 'move', path: 'userName', value: 'x' }), 400, 'invalidSyntax');
      expectScimError(await scim(t, tenant, 'patch', `/Users/${user.id}`, { Operations: [{ op: 'add', path: 'title', value: 'x' }] }), 400, 'invalidSyntax');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const unchanged = await scim(t, tenant, 'get', `/Users/${user.id}`).expect(200);
      expect(unchanged.body.meta.version).toBe(user.meta.version);
    });
  });

  describe('ETags', () => {
    it('honours If-Match (412 on a stale version) but never requires it', async () => {
      const { body: user } = await newUser('etag@acme.test');
      const stale = user.meta.version;
      const changed = await scim(t, tenant, 'patch', `/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'CTO' }))
        .set('If-Match', stale)
        .expect(200);
      expect(changed.body.meta.version).not.toBe(stale);
      const refused = await scim(t, tenant, 'patch', `/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'CEO' })).set('If-Match', stale);
      expectScimError(refused, 412);
      expectScimError(await scim(t, tenant, 'delete', `/Users/${user.id}`).set('If-Match', stale), 412);
      await scim(t, tenant, 'delete', `/Users/${user.id}`).set('If-Match', changed.body.meta.version).expect(204);
    });

    it('gives groups a version that changes with every change, members included', async () => {
      const { body: member } = await newUser('etag-member@acme.test');
      const group = await scim(t, tenant, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName: 'etag-group' }).expect(201);
      const patched = await scim(t, tenant, 'patch', `/Groups/${group.body.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: member.id }] }))
        .set('If-Match', group.body.meta.version)
        .expect(204);
      expect(patched.headers.etag).not.toBe(group.body.meta.version);
      expectScimError(
        await scim(t, tenant, 'put', `/Groups/${group.body.id}`, { schemas: [SCIM_GROUP], displayName: 'x' }).set('If-Match', group.body.meta.version),
        412,
      );
      const read = await scim(t, tenant, 'get', `/Groups/${group.body.id}`).expect(200);
      expect(read.headers.etag).toBe(patched.headers.etag);
    });
  });

  describe('groups', () => {
    it('creates, renames, replaces members and deletes; displayName is unique per tenant', async () => {
      const { body: one } = await newUser('g-one@acme.test', { displayName: 'One' });
      const { body: two } = await newUser('g-two@acme.test');
      const created = await scim(t, tenant, 'post', '/Groups', {
        schemas: [SCIM_GROUP],
        displayName: 'Engineering',
        externalId: 'grp-1',
        members: [{ value: one.id, display: 'One' }],
      }).expect(201);
      expect(created.headers.location).toBe(`http://sso.test${tenant.base}/Groups/${created.body.id}`);
      expect(created.body).toMatchObject({
        schemas: [SCIM_GROUP],
        displayName: 'Engineering',
        externalId: 'grp-1',
        members: [{ value: one.id, display: 'One', type: 'User', $ref: `http://sso.test${tenant.base}/Users/${one.id}` }],
        meta: { resourceType: 'Group', version: 'W/"1"' },
      });
      expectScimError(await scim(t, tenant, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName: 'ENGINEERING' }), 409, 'uniqueness');
      const replaced = await scim(t, tenant, 'put', `/Groups/${created.body.id}`, {
        schemas: [SCIM_GROUP],
        displayName: 'Engineering (all)',
        members: [{ value: two.id }],
      }).expect(200);
      expect(replaced.body.members.map((member: { value: string }) => member.value)).toEqual([two.id]);
      expect(replaced.body.externalId).toBeUndefined();
      const userTwo = await scim(t, tenant, 'get', `/Users/${two.id}`).expect(200);
      expect(userTwo.body.groups).toEqual([
        { value: created.body.id, display: 'Engineering (all)', type: 'direct', $ref: `http://sso.test${tenant.base}/Groups/${created.body.id}` },
      ]);
      const withoutMembers = await scim(t, tenant, 'get', `/Groups/${created.body.id}?excludedAttributes=members`).expect(200);
      expect(withoutMembers.body.members).toBeUndefined();
      expect(withoutMembers.body.displayName).toBe('Engineering (all)');
      const filtered = await scim(t, tenant, 'get', `/Groups?filter=${encodeURIComponent(`displayName eq "engineering (all)" and members eq "${two.id}"`)}`).expect(200);
      expect(filtered.body.totalResults).toBe(1);
      await scim(t, tenant, 'delete', `/Groups/${created.body.id}`).expect(204);
      expectScimError(await scim(t, tenant, 'get', `/Groups/${created.body.id}`), 404);
      expect((await scim(t, tenant, 'get', `/Users/${two.id}`).expect(200)).body.groups).toEqual([]);
    });

    it('refuses members that are no user of the tenant: 400 invalidValue', async () => {
      expectScimError(
        await scim(t, tenant, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName: 'ghosts', members: [{ value: randomUUID() }] }),
        400,
        'invalidValue',
      );
      expectScimError(await scim(t, tenant, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName: 'ghosts', members: [{ value: 'nope' }] }), 400, 'invalidValue');
      const empty = await scim(t, tenant, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName: 'no ghosts' }).expect(201);
      for (const value of ['nope', randomUUID()]) {
        const added = await scim(t, tenant, 'patch', `/Groups/${empty.body.id}`, patchOp({ op: 'add', path: 'members', value: [{ value }] }));
        expectScimError(added, 400, 'invalidValue');
      }
      expect((await scim(t, tenant, 'get', `/Groups/${empty.body.id}`).expect(200)).body.members).toEqual([]);
      const written = await scim(t, tenant, 'get', `/Groups?filter=${encodeURIComponent('displayName eq "ghosts"')}`).expect(200);
      expect(written.body.totalResults).toBe(0);
    });
  });

  describe('errors at the edge', () => {
    it('answers 404 for unknown ids, UUID-shaped or not, and unknown endpoints', async () => {
      for (const path of [`/Users/${randomUUID()}`, '/Users/not-a-uuid', `/Groups/${randomUUID()}`, '/Groups/123', '/Bulk', '/Me']) {
        expectScimError(await scim(t, tenant, 'get', path), 404);
      }
      expectScimError(await scim(t, tenant, 'delete', '/Users/not-a-uuid'), 404);
      expectScimError(await scim(t, tenant, 'patch', `/Groups/${randomUUID()}`, patchOp({ op: 'add', path: 'members', value: [] })), 404);
    });

    it('refuses invalid JSON (400 invalidSyntax), bodies over 1 MB (413), deep nesting and prototype keys (400 invalidSyntax)', async () => {
      const raw = (body: string, type = 'application/scim+json') =>
        t.http.post(`${tenant.base}/Users`).set('Authorization', `Bearer ${tenant.token}`).set('Content-Type', type).send(body);
      expectScimError(await raw('{"schemas": ['), 400, 'invalidSyntax');
      expectScimError(await raw('{"schemas": [}', 'application/json'), 400, 'invalidSyntax');
      expectScimError(await raw(JSON.stringify({ schemas: [SCIM_USER], userName: 'big@acme.test', title: 'x'.repeat(1024 * 1024) })), 413);
      expectScimError(await raw(`${'['.repeat(10_000)}${']'.repeat(10_000)}`), 400, 'invalidSyntax');
      expectScimError(await raw(`{"schemas":["${SCIM_USER}"],"userName":"p@acme.test","__proto__":{"admin":true}}`), 400, 'invalidSyntax');
      expectScimError(await raw(`{"schemas":["${SCIM_USER}"],"userName":"p@acme.test","name":{"constructor":{"prototype":1}}}`), 400, 'invalidSyntax');
      expectScimError(await raw('userName=x', 'application/x-www-form-urlencoded'), 415);
      expectScimError(await t.http.post(`${tenant.base}/Users`).set('Authorization', `Bearer ${tenant.token}`), 400, 'invalidSyntax');
    });

    it('accepts application/json with or without charset, like application/scim+json', async () => {
      const body = (userName: string) => JSON.stringify({ schemas: [SCIM_USER], userName });
      for (const [index, type] of ['application/json', 'application/json; charset=utf-8', 'application/scim+json', 'APPLICATION/SCIM+JSON;charset=UTF-8'].entries()) {
        await t.http.post(`${tenant.base}/Users`).set('Authorization', `Bearer ${tenant.token}`).set('Content-Type', type).send(body(`type${index}@acme.test`)).expect(201);
      }
    });

    it('refuses unknown attributes (400 invalidSyntax), wrong types (400 invalidValue), missing schemas or userName', async () => {
      expectScimError(await scim(t, tenant, 'post', '/Users', { schemas: [SCIM_USER], userName: 'u@acme.test', shoeSize: 44 }), 400, 'invalidSyntax');
      expectScimError(await scim(t, tenant, 'post', '/Users', { schemas: [SCIM_USER], userName: 'u@acme.test', name: { nick: 'x' } }), 400, 'invalidSyntax');
      expectScimError(await scim(t, tenant, 'post', '/Users', { schemas: [SCIM_USER], userName: 'u@acme.test', active: 'maybe' }), 400, 'invalidValue');
      expectScimError(await scim(t, tenant, 'post', '/Users', { schemas: [SCIM_USER], userName: ['u@acme.test'] }), 400, 'invalidValue');
      expectScimError(await scim(t, tenant, 'post', '/Users', { userName: 'u@acme.test' }), 400, 'invalidSyntax');
      expectScimError(await scim(t, tenant, 'post', '/Users', { schemas: [SCIM_USER] }), 400, 'invalidValue');
      expectScimError(await scim(t, tenant, 'post', '/Users', [{ schemas: [SCIM_USER] }]), 400, 'invalidSyntax');
      expectScimError(await scim(t, tenant, 'post', '/Groups', { schemas: [SCIM_GROUP], displayName: '' }), 400, 'invalidValue');
    });
  });
});
