import { ScimError } from './scim-error';
import { compileFilter } from './scim-filter';
import { GROUP_FILTER_ATTRIBUTES, USER_FILTER_ATTRIBUTES } from './scim-filter-attributes';
import { GROUP_SCHEMA, USER_SCHEMA } from './scim-schema';

const USER_ID = '2819c223-7f76-453a-919d-413861904646';
const users = (filter: string) => compileFilter(filter, USER_FILTER_ATTRIBUTES, USER_SCHEMA, 3);
const groups = (filter: string) => compileFilter(filter, GROUP_FILTER_ATTRIBUTES, GROUP_SCHEMA, 3);

function refusal(run: () => unknown): string | null {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return `${error.status} ${error.scimType}`;
    throw error;
  }
  return null;
}

describe('SCIM filter to SQL', () => {
  it('compiles each comparison operator of a text attribute, case-insensitively, with the value as a parameter', () => {
    expect(users('displayName eq "Ada"')).toEqual({ sql: 'lower(u.display_name) = $3::text', parameters: ['ada'] });
    expect(users('displayName ne "Ada"')).toEqual({ sql: 'lower(u.display_name) <> $3::text', parameters: ['ada'] });
    expect(users('displayName co "Ad"')).toEqual({ sql: 'lower(u.display_name) LIKE $3', parameters: ['%ad%'] });
    expect(users('displayName sw "Ad"')).toEqual({ sql: 'lower(u.display_name) LIKE $3', parameters: ['ad%'] });
    expect(users('displayName ew "Ad"')).toEqual({ sql: 'lower(u.display_name) LIKE $3', parameters: ['%ad'] });
    expect(users('displayName gt "A"')).toEqual({ sql: 'lower(u.display_name) > $3::text', parameters: ['a'] });
    expect(users('displayName ge "A"')).toEqual({ sql: 'lower(u.display_name) >= $3::text', parameters: ['a'] });
    expect(users('displayName lt "A"')).toEqual({ sql: 'lower(u.display_name) < $3::text', parameters: ['a'] });
    expect(users('displayName le "A"')).toEqual({ sql: 'lower(u.display_name) <= $3::text', parameters: ['a'] });
    expect(users('displayName pr')).toEqual({ sql: "(u.display_name IS NOT NULL AND u.display_name <> '')", parameters: [] });
  });

  it('matches userName case-insensitively (RFC 7643 §4.1.1) on its index, the email standing in for SAML-made users', () => {
    expect(users('userName eq "Ada@Acme.TEST"')).toEqual({
      sql: 'coalesce(lower(u.scim_user_name), u.email_normalized) = $3',
      parameters: ['ada@acme.test'],
    });
    expect(users('USERNAME sw "ADA"')).toEqual({ sql: 'lower(coalesce(u.scim_user_name, u.email)) LIKE $3', parameters: ['ada%'] });
  });

  it('keeps externalId case-exact', () => {
    expect(users('externalId eq "AbC"')).toEqual({ sql: 'u.scim_external_id = $3::text', parameters: ['AbC'] });
    expect(users('externalId co "AbC"')).toEqual({ sql: 'u.scim_external_id LIKE $3', parameters: ['%AbC%'] });
  });

  it('compiles and, or and not with their precedence, numbering parameters in order', () => {
    expect(users('userName eq "a" or displayName eq "b" and active eq true')).toEqual({
      sql: '(coalesce(lower(u.scim_user_name), u.email_normalized) = $3 OR (lower(u.display_name) = $4::text AND u.active = $5::boolean))',
      parameters: ['a', 'b', true],
    });
    expect(users('not (displayName eq "b")')).toEqual({ sql: 'NOT (lower(u.display_name) = $3::text)', parameters: ['b'] });
    expect(compileFilter('displayName eq "b"', USER_FILTER_ATTRIBUTES, USER_SCHEMA, 7).sql).toBe('lower(u.display_name) = $7::text');
  });

  it('compiles value paths and sub-attributes of multi-valued attributes as EXISTS over the stored values', () => {
    const { sql, parameters } = users('emails[type eq "work" and value co "@Acme"]');
    expect(sql).toBe(
      "(EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(u.scim_document->'emails') = 'array' THEN u.scim_document->'emails' ELSE '[]'::jsonb END) e WHERE lower((e->>'type')) = $3::text) AND (lower(u.email) LIKE $4 OR EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(u.scim_document->'emails') = 'array' THEN u.scim_document->'emails' ELSE '[]'::jsonb END) e WHERE lower((e->>'value')) LIKE $5)))",
    );
    expect(parameters).toEqual(['work', '%@acme%', '%@acme%']);
    expect(users('emails.value eq "a@b.test"').sql).toContain("lower((e->>'value')) = $3::text");
    expect(groups(`members[value eq "${USER_ID.toUpperCase()}"]`)).toEqual({
      sql: 'EXISTS (SELECT 1 FROM scim_group_members m WHERE m.group_id = g.id AND m.user_id = $3::uuid)',
      parameters: [USER_ID],
    });
  });

  it('takes attributes with the schema URN, ids, booleans, timestamps and null', () => {
    expect(users(`${USER_SCHEMA}:userName sw "a"`).sql).toBe('lower(coalesce(u.scim_user_name, u.email)) LIKE $3');
    expect(users(`id eq "${USER_ID.toUpperCase()}"`)).toEqual({ sql: 'u.id = $3::uuid', parameters: [USER_ID] });
    expect(users('id eq "not-a-uuid"')).toEqual({ sql: 'false', parameters: [] });
    expect(users('id ne "not-a-uuid"')).toEqual({ sql: 'true', parameters: [] });
    expect(users('active ne false')).toEqual({ sql: 'u.active IS DISTINCT FROM $3::boolean', parameters: [false] });
    expect(users('meta.lastModified gt "2026-01-01T00:00:00Z"')).toEqual({ sql: 'u.updated_at > $3::timestamptz', parameters: ['2026-01-01T00:00:00.000Z'] });
    expect(users('displayName eq null')).toEqual({ sql: 'NOT (u.display_name IS NOT NULL)', parameters: [] });
    expect(groups('displayName eq "Admins"')).toEqual({ sql: 'lower(g.display_name) = $3', parameters: ['admins'] });
  });

  it('keeps every compared value a parameter: quotes, comments and LIKE wildcards never reach the SQL text', () => {
    const attempts = [`x' OR '1'='1`, `x"; DROP TABLE users; --`, `') OR 1=1 --`, `$1`, `x' || pg_sleep(10) || '`];
    for (const attempt of attempts) {
      const filter = `userName eq ${JSON.stringify(attempt)} or displayName co ${JSON.stringify(attempt)}`;
      const { sql, parameters } = users(filter);
      expect(sql).not.toContain(attempt.toLowerCase());
      expect(sql).not.toMatch(/DROP|1=1|'1'|pg_sleep|\$1\b/);
      expect(parameters[0]).toBe(attempt.toLowerCase());
    }
    expect(users('displayName co "50%_off"').parameters).toEqual(['%50\\%\\_off%']);
  });

  it('refuses what does not parse, unknown attributes, wrong types and what is too long or deep, as 400 invalidFilter', () => {
    expect(refusal(() => users('userName eq'))).toBe('400 invalidFilter');
    expect(refusal(() => users('userName eq "a" and'))).toBe('400 invalidFilter');
    expect(refusal(() => users('password eq "x"'))).toBe('400 invalidFilter');
    expect(refusal(() => users('u.role eq "admin"'))).toBe('400 invalidFilter');
    expect(refusal(() => users('active eq "yes"'))).toBe('400 invalidFilter');
    expect(refusal(() => users('active co true'))).toBe('400 invalidFilter');
    expect(refusal(() => users('id gt "a"'))).toBe('400 invalidFilter');
    expect(refusal(() => users('meta.created gt "yesterday"'))).toBe('400 invalidFilter');
    expect(refusal(() => users('displayName gt null'))).toBe('400 invalidFilter');
    expect(refusal(() => users('displayName eq 1'))).toBe('400 invalidFilter');
    expect(refusal(() => users(`displayName eq "${'a'.repeat(5000)}"`))).toBe('400 invalidFilter');
    expect(refusal(() => users(`${'not ('.repeat(40)}displayName pr${')'.repeat(40)}`))).toBe('400 invalidFilter');
    expect(refusal(() => groups('members.display eq "x"'))).toBe('400 invalidFilter');
  });
});
