import type { FilterAttribute, FilterAttributes } from './scim-filter';

const column = (type: FilterAttribute['type'], expression: string, equals?: FilterAttribute['equals']): FilterAttribute => ({
  type,
  where: (condition) => condition(expression),
  equals,
});

const EMAIL_VALUES = `jsonb_array_elements(CASE WHEN jsonb_typeof(u.scim_document->'emails') = 'array' THEN u.scim_document->'emails' ELSE '[]'::jsonb END)`;

/**
 * The users' filterable attributes over the users table (alias `u`). A user that only SAML logins
 * created has no userName of its own: its email stands in, as the SCIM rendering shows it.
 */
export const USER_FILTER_ATTRIBUTES: FilterAttributes = new Map([
  [
    'username',
    column('text', 'coalesce(u.scim_user_name, u.email)', (parameter) =>
      // The expression of users_tenant_scim_login_idx: a directory looks every user up by userName.
      `coalesce(lower(u.scim_user_name), u.email_normalized) = ${parameter}`,
    ),
  ],
  ['externalid', column('textExact', 'u.scim_external_id')],
  ['id', column('uuid', 'u.id')],
  ['displayname', column('text', 'u.display_name')],
  ['active', column('boolean', 'u.active')],
  ['name.givenname', column('text', 'u.first_name')],
  ['name.familyname', column('text', 'u.last_name')],
  ['meta.created', column('timestamp', 'u.created_at')],
  ['meta.lastmodified', column('timestamp', 'u.updated_at')],
  [
    'emails.value',
    {
      type: 'text',
      where: (condition) => `(${condition('u.email')} OR EXISTS (SELECT 1 FROM ${EMAIL_VALUES} e WHERE ${condition(`(e->>'value')`)}))`,
    },
  ],
  ['emails.type', { type: 'text', where: (condition) => `EXISTS (SELECT 1 FROM ${EMAIL_VALUES} e WHERE ${condition(`(e->>'type')`)})` }],
]);
USER_FILTER_ATTRIBUTES.set('emails', USER_FILTER_ATTRIBUTES.get('emails.value')!);

const MEMBER: FilterAttribute = {
  type: 'uuid',
  where: (condition) => `EXISTS (SELECT 1 FROM scim_group_members m WHERE m.group_id = g.id AND ${condition('m.user_id')})`,
};

/** The groups' filterable attributes over scim_groups (alias `g`). */
export const GROUP_FILTER_ATTRIBUTES: FilterAttributes = new Map([
  ['displayname', column('text', 'g.display_name', (parameter) => `lower(g.display_name) = ${parameter}`)],
  ['externalid', column('textExact', 'g.external_id')],
  ['id', column('uuid', 'g.id')],
  ['members', MEMBER],
  ['members.value', MEMBER],
  ['meta.created', column('timestamp', 'g.created_at')],
  ['meta.lastmodified', column('timestamp', 'g.updated_at')],
]);
