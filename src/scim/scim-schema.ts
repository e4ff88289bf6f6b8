/**
 * The resources this service offers, described once in RFC 7643's schema vocabulary: the Schemas
 * endpoint publishes these definitions and the validator, the PATCH paths and the filters read them.
 */
export type AttributeType = 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime';

export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'default' | 'never' | 'request';
  uniqueness: 'none' | 'server';
  description: string;
  subAttributes?: AttributeDefinition[];
  referenceTypes?: string[];
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

type Options = Partial<Omit<AttributeDefinition, 'name' | 'type'>>;

function attribute(name: string, type: AttributeType, description: string, options: Options = {}): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    description,
    ...options,
  };
}

const text = (name: string, description: string, options: Options = {}) => attribute(name, 'string', description, options);

/** The value/display/type/primary quadruple RFC 7643 uses for emails, phone numbers, ims, photos, ... */
function plural(name: string, description: string, valueType: AttributeType = 'string'): AttributeDefinition {
  return attribute(name, 'complex', description, {
    multiValued: true,
    subAttributes: [
      attribute('value', valueType, `The ${name} value`),
      text('display', 'A human-readable name'),
      text('type', 'A label such as "work" or "home"'),
      attribute('primary', 'boolean', 'The primary value of the attribute'),
    ],
  });
}

export const USER_ATTRIBUTES: AttributeDefinition[] = [
  text('userName', 'Unique identifier for the user, case-insensitive', { required: true, uniqueness: 'server' }),
  attribute('name', 'complex', "The components of the user's name", {
    subAttributes: [
      text('formatted', 'The full name'),
      text('familyName', 'The family name (the last name of the user in the Users API)'),
      text('givenName', 'The given name (the first name of the user in the Users API)'),
      text('middleName', 'The middle name'),
      text('honorificPrefix', 'The honorific prefix'),
      text('honorificSuffix', 'The honorific suffix'),
    ],
  }),
  text('displayName', 'The name of the user, suitable for display'),
  text('nickName', 'The casual name'),
  attribute('profileUrl', 'reference', 'The online profile', { referenceTypes: ['external'] }),
  text('title', 'The job title'),
  text('userType', 'The relationship to the organization'),
  text('preferredLanguage', 'The preferred language'),
  text('locale', 'The default location'),
  text('timezone', 'The time zone'),
  attribute('active', 'boolean', 'false deactivates the user: sessions end and sign-in is refused'),
  text('password', 'Accepted and ignored: this service never stores passwords', { mutability: 'writeOnly', returned: 'never' }),
  plural('emails', 'Email addresses; the primary (else the work, else the first) is the user\'s email'),
  plural('phoneNumbers', 'Phone numbers'),
  plural('ims', 'Instant messaging addresses'),
  plural('photos', 'Photos', 'reference'),
  attribute('addresses', 'complex', 'Physical mailing addresses', {
    multiValued: true,
    subAttributes: [
      text('formatted', 'The full address'),
      text('streetAddress', 'The street'),
      text('locality', 'The city'),
      text('region', 'The state or region'),
      text('postalCode', 'The postal code'),
      text('country', 'The country'),
      text('type', 'A label such as "work"'),
      attribute('primary', 'boolean', 'The primary address'),
    ],
  }),
  attribute('groups', 'complex', 'The SCIM groups the user belongs to', {
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [
      text('value', 'The group id', { mutability: 'readOnly' }),
      attribute('$ref', 'reference', 'The group URI', { mutability: 'readOnly', referenceTypes: ['Group'] }),
      text('display', 'The group display name', { mutability: 'readOnly' }),
      text('type', 'direct', { mutability: 'readOnly' }),
    ],
  }),
  plural('entitlements', 'Entitlements'),
  plural('roles', 'Roles as the directory names them (the service role follows groups, not these)'),
  plural('x509Certificates', 'Certificates'),
];

export const ENTERPRISE_USER_ATTRIBUTES: AttributeDefinition[] = [
  text('employeeNumber', 'The employee number'),
  text('costCenter', 'The cost center'),
  text('organization', 'The organization'),
  text('division', 'The division'),
  text('department', 'The department'),
  attribute('manager', 'complex', "The user's manager", {
    subAttributes: [
      text('value', 'The manager id'),
      attribute('$ref', 'reference', 'The manager URI', { referenceTypes: ['User'] }),
      text('displayName', 'The manager name', { mutability: 'readOnly' }),
    ],
  }),
];

export const GROUP_ATTRIBUTES: AttributeDefinition[] = [
  text('displayName', 'The group name, unique per tenant; the user groups that roleMapping maps', { required: true, uniqueness: 'server' }),
  attribute('members', 'complex', 'The users in the group', {
    multiValued: true,
    subAttributes: [
      text('value', 'The user id', { mutability: 'immutable' }),
      attribute('$ref', 'reference', 'The user URI', { mutability: 'immutable', referenceTypes: ['User'] }),
      text('display', 'The user display name', { mutability: 'readOnly' }),
      text('type', 'User', { mutability: 'immutable' }),
    ],
  }),
];

/** Common attributes (RFC 7643 §3.1): on every resource, outside the schemas. */
export const READ_ONLY_COMMON = new Set(['id', 'meta']);

/** What the validator and the PATCH paths know of one resource type. */
export interface ResourceDescription {
  name: 'User' | 'Group';
  schema: string;
  attributes: Map<string, AttributeDefinition>;
  /** The extension schemas, by lower-case URN. */
  extensions: Map<string, { urn: string; attributes: Map<string, AttributeDefinition> }>;
}

const byLowerName = (definitions: AttributeDefinition[]) => new Map(definitions.map((definition) => [definition.name.toLowerCase(), definition]));

export const USER_RESOURCE: ResourceDescription = {
  name: 'User',
  schema: USER_SCHEMA,
  attributes: byLowerName(USER_ATTRIBUTES),
  extensions: new Map([[ENTERPRISE_USER_SCHEMA.toLowerCase(), { urn: ENTERPRISE_USER_SCHEMA, attributes: byLowerName(ENTERPRISE_USER_ATTRIBUTES) }]]),
};

export const GROUP_RESOURCE: ResourceDescription = {
  name: 'Group',
  schema: GROUP_SCHEMA,
  attributes: byLowerName(GROUP_ATTRIBUTES),
  extensions: new Map(),
};

export function subAttributeOf(definition: AttributeDefinition, name: string): AttributeDefinition | undefined {
  const wanted = name.toLowerCase();
  return definition.subAttributes?.find((candidate) => candidate.name.toLowerCase() === wanted);
}
