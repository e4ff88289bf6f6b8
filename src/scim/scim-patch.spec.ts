import { parseScimJson } from './scim-body';
import { ScimError } from './scim-error';
import { applyPatch, memberListAfter, normalise } from './scim-patch';
import { ENTERPRISE_USER_SCHEMA, GROUP_RESOURCE, PATCH_OP_SCHEMA, USER_RESOURCE } from './scim-schema';

const USER_ID = '2819c223-7f76-453a-919d-413861904646';
const OTHER_ID = '902c246b-6245-4190-8e05-00816be7344a';
const user = { resource: USER_RESOURCE, resourceId: USER_ID };
const group = { resource: GROUP_RESOURCE, resourceId: USER_ID };
const body = (...Operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations });

function refusal(run: () => unknown): { status: number; scimType: string | null } {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return { status: error.status, scimType: error.scimType };
    throw error;
  }
  throw new Error('expected a SCIM error');
}

describe('PATCH dialect normaliser', () => {
  describe('Entra ID', () => {
    it('takes capitalised operation names', () => {
      expect(normalise(body({ op: 'Replace', path: 'displayName', value: 'A' }, { op: 'Add', path: 'title', value: 'B' }, { op: 'Remove', path: 'nickName' }), user)).toEqual([
        { op: 'replace', path: 'displayName', value: 'A' },
        { op: 'add', path: 'title', value: 'B' },
        { op: 'remove', path: 'nickName' },
      ]);
    });

    it('turns "True"/"False" into booleans where the schema says boolean, and only there', () => {
      expect(normalise(body({ op: 'Replace', path: 'active', value: 'False' }), user)).toEqual([{ op: 'replace', path: 'active', value: false }]);
      expect(normalise(body({ op: 'Replace', value: { active: 'True' } }), user)).toEqual([{ op: 'replace', path: 'active', value: true }]);
      expect(normalise(body({ op: 'Add', path: 'emails', value: [{ value: 'a@b.test', primary: 'True' }] }), user)).toEqual([
        { op: 'add', path: 'emails', value: [{ value: 'a@b.test', primary: true }] },
      ]);
      expect(normalise(body({ op: 'Replace', path: 'title', value: 'True' }), user)).toEqual([{ op: 'replace', path: 'title', value: 'True' }]);
      expect(refusal(() => normalise(body({ op: 'Replace', path: 'active', value: 'yes' }), user))).toEqual({ status: 400, scimType: 'invalidValue' });
    });

    it('splits a path-less value with dotted keys into one operation per attribute, in the schema spelling', () => {
      expect(normalise(body({ op: 'Replace', value: { 'name.givenName': 'Ada', 'NAME.FAMILYNAME': 'Lovelace', displayName: 'Ada L' } }), user)).toEqual([
        { op: 'replace', path: 'name.givenName', value: 'Ada' },
        { op: 'replace', path: 'name.familyName', value: 'Lovelace' },
        { op: 'replace', path: 'displayName', value: 'Ada L' },
      ]);
    });

    it('adds emails[type eq "work"].value, creating the email when absent', () => {
      const operation = { op: 'Add', path: 'emails[type eq "work"].value', value: 'ada@acme.test' };
      expect(normalise(body(operation), user)).toEqual([{ op: 'add', path: 'emails[type eq "work"].value', value: 'ada@acme.test' }]);
      expect(applyPatch({ userName: 'ada' }, body(operation), user).emails).toEqual([{ type: 'work', value: 'ada@acme.test' }]);
      const present = { userName: 'ada', emails: [{ type: 'work', value: 'old@acme.test' }, { type: 'home', value: 'h@home.test' }] };
      expect(applyPatch(present, body(operation), user).emails).toEqual([{ type: 'work', value: 'ada@acme.test' }, { type: 'home', value: 'h@home.test' }]);
    });

    it('reduces members [{"$ref": null, "value": …}] to their value, in lower case', () => {
      expect(normalise(body({ op: 'Add', path: 'members', value: [{ $ref: null, value: USER_ID.toUpperCase() }] }), group)).toEqual([
        { op: 'add', path: 'members', value: [{ value: USER_ID }] },
      ]);
      expect(refusal(() => normalise(body({ op: 'Add', path: 'members', value: [{ $ref: null }] }), group))).toEqual({ status: 400, scimType: 'invalidValue' });
    });

    it('takes the enterprise extension as a path-less object, and the manager as a bare id', () => {
      expect(normalise(body({ op: 'Add', value: { [ENTERPRISE_USER_SCHEMA]: { department: 'R&D' } } }), user)).toEqual([
        { op: 'add', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: 'R&D' },
      ]);
      expect(normalise(body({ op: 'Replace', path: `${ENTERPRISE_USER_SCHEMA}:manager`, value: OTHER_ID }), user)).toEqual([
        { op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:manager`, value: { value: OTHER_ID } },
      ]);
    });
  });

  describe('Okta', () => {
    it('takes the path-less {"op":"replace","value":{"active":false}}, skipping schemas and its own id', () => {
      expect(normalise(body({ op: 'replace', value: { schemas: ['x'], id: USER_ID, active: false } }), user)).toEqual([{ op: 'replace', path: 'active', value: false }]);
      expect(refusal(() => normalise(body({ op: 'replace', value: { id: OTHER_ID } }), user))).toEqual({ status: 400, scimType: 'mutability' });
    });

    it('pushes groups: rename, remove members[value eq "…"], add members, full replace', () => {
      expect(
        normalise(
          body(
            { op: 'replace', value: { displayName: 'Renamed' } },
            { op: 'remove', path: `members[value eq "${USER_ID.toUpperCase()}"]` },
            { op: 'add', path: 'members', value: [{ value: OTHER_ID, display: 'x' }] },
            { op: 'replace', path: 'members', value: [{ value: USER_ID }] },
          ),
          group,
        ),
      ).toEqual([
        { op: 'replace', path: 'displayName', value: 'Renamed' },
        { op: 'remove', path: `members[value eq "${USER_ID}"]` },
        { op: 'add', path: 'members', value: [{ value: OTHER_ID }] },
        { op: 'replace', path: 'members', value: [{ value: USER_ID }] },
      ]);
    });

    it('applies member additions and removals as set arithmetic, and leaves any other PATCH to the library', () => {
      const after = memberListAfter(
        [USER_ID],
        body({ op: 'add', path: 'members', value: [{ value: OTHER_ID }] }, { op: 'remove', path: `members[value eq "${USER_ID}"]` }),
        group,
      );
      expect(after).toEqual({ after: [OTHER_ID], named: [OTHER_ID, USER_ID] });
      expect(memberListAfter([USER_ID], body({ op: 'remove', path: 'members', value: [{ value: USER_ID }] }), group)).toEqual({ after: [], named: [USER_ID] });
      expect(memberListAfter([USER_ID], body({ op: 'add', path: 'members', value: [{ value: USER_ID }] }), group)).toEqual({ after: [USER_ID], named: [USER_ID] });
      expect(memberListAfter([USER_ID], body({ op: 'replace', path: 'members', value: [] }), group)).toBeNull();
      expect(memberListAfter([USER_ID], body({ op: 'replace', path: 'displayName', value: 'x' }), group)).toBeNull();
    });
  });

  describe('refusals', () => {
    it('refuses unknown attributes, read-only ones, bad value filters and unknown operations', () => {
      expect(refusal(() => normalise(body({ op: 'replace', path: 'shoeSize', value: 1 }), user))).toEqual({ status: 400, scimType: 'invalidPath' });
      expect(refusal(() => normalise(body({ op: 'replace', path: 'groups', value: [] }), user))).toEqual({ status: 400, scimType: 'mutability' });
      expect(refusal(() => normalise(body({ op: 'replace', path: 'meta.created', value: 'x' }), user))).toEqual({ status: 400, scimType: 'mutability' });
      expect(refusal(() => normalise(body({ op: 'replace', path: 'emails[shoe eq "x"].value', value: 'x' }), user))).toEqual({ status: 400, scimType: 'invalidPath' });
      expect(refusal(() => normalise(body({ op: 'replace', path: 'displayName[value eq "x"]', value: 'x' }), user))).toEqual({ status: 400, scimType: 'invalidPath' });
      expect(refusal(() => normalise(body({ op: 'merge', path: 'displayName', value: 'x' }), user))).toEqual({ status: 400, scimType: 'invalidSyntax' });
      expect(refusal(() => normalise(body({ op: 'remove' }), user))).toEqual({ status: 400, scimType: 'noTarget' });
      expect(refusal(() => normalise({ Operations: [{ op: 'add', path: 'title', value: 'x' }] }, user))).toEqual({ status: 400, scimType: 'invalidSyntax' });
    });

    it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s anywhere in an operation, and in the request body', (key) => {
      const nested = JSON.parse(`{"op":"replace","path":"name","value":{"${key}":{"polluted":true}}}`);
      const pathless = JSON.parse(`{"op":"replace","value":{"${key}":{"polluted":true}}}`);
      const member = JSON.parse(`{"op":"add","path":"members","value":[{"value":"${USER_ID}","${key}":{"polluted":true}}]}`);
      expect(refusal(() => normalise(body(nested), user))).toEqual({ status: 400, scimType: 'invalidSyntax' });
      expect(refusal(() => normalise(body(pathless), user))).toEqual({ status: 400, scimType: 'invalidSyntax' });
      expect(refusal(() => memberListAfter([], body(member), group))).toEqual({ status: 400, scimType: 'invalidSyntax' });
      expect(refusal(() => normalise(body({ op: 'replace', path: key, value: 1 }), user))).toEqual({ status: 400, scimType: 'invalidPath' });
      expect(refusal(() => normalise(body({ op: 'replace', path: `name.${key}`, value: 1 }), user))).toEqual({ status: 400, scimType: 'invalidPath' });
      const parsed = parseScimJson(JSON.stringify({ schemas: [PATCH_OP_SCHEMA], Operations: [nested] }));
      expect('error' in parsed && parsed.error.scimType).toBe('invalidSyntax');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
});
