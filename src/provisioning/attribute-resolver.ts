import type { AttributeMapping } from '../sso-config/sso-config.types';
import type { AssertedIdentity, ResolvedIdentity } from './identity';
import { ProvisioningError } from './provisioning.error';

const EMAIL_ADDRESS_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const MAX_GROUPS = 1000;
const MAX_VALUE_LENGTH = 512;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/**
 * Names IdPs send by default, tried after the tenant's mapping: Entra ID's claim URIs, the plain
 * names of Okta and Google, ADFS's group claim, and the LDAP/eduPerson OIDs of Shibboleth.
 */
const FALLBACK_NAMES: Record<keyof AttributeMapping, string[]> = {
  email: [
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
    'email',
    'emailAddress',
    'mail',
    'urn:oid:0.9.2342.19200300.100.1.3',
  ],
  firstName: ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname', 'firstName', 'givenName', 'urn:oid:2.5.4.42'],
  lastName: [
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
    'lastName',
    'surname',
    'sn',
    'urn:oid:2.5.4.4',
  ],
  groups: [
    'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
    'groups',
    'http://schemas.xmlsoap.org/claims/Group',
    'memberOf',
    'urn:oid:1.3.6.1.4.1.5923.1.5.1.1',
  ],
};

type Attributes = AssertedIdentity['attributes'];

/**
 * The values of the first name that any Attribute carries. Every Attribute of that name counts:
 * Keycloak's group mapper, with "Single Group Attribute" off, sends one Attribute per group.
 */
function valuesOf(attributes: Attributes, names: string[]): string[] | null {
  for (const name of names) {
    const wanted = name.toLowerCase();
    const matching = attributes.filter(
      (candidate) => candidate.name.toLowerCase() === wanted || candidate.friendlyName?.toLowerCase() === wanted,
    );
    if (matching.length > 0) {
      return matching.flatMap((attribute) => attribute.values).map((value) => value.trim()).filter(Boolean);
    }
  }
  return null;
}

function firstValue(attributes: Attributes, mapping: AttributeMapping, field: keyof AttributeMapping): string | null {
  const value = valuesOf(attributes, [mapping[field], ...FALLBACK_NAMES[field]])?.[0];
  return value ? value.slice(0, MAX_VALUE_LENGTH) : null;
}

/**
 * OneLogin keeps User Roles and MemberOf as semicolon-separated lists, and sends such a parameter
 * as one value unless the admin marks it "Multi-value". Every other IdP the service knows sends one
 * AttributeValue per group, and there a value is one group even when it holds commas or semicolons
 * (an LDAP or AD distinguished name such as `cn=eng,ou=groups,dc=corp`).
 */
function packsGroupsWithSemicolons(issuer: string): boolean {
  const host = URL.canParse(issuer) ? new URL(issuer).hostname.toLowerCase() : '';
  return host === 'onelogin.com' || host.endsWith('.onelogin.com');
}

/** One group per AttributeValue, except for an IdP known to pack several into one value. */
function groupsOf(attributes: Attributes, mapping: AttributeMapping, issuer: string): string[] {
  const values = valuesOf(attributes, [mapping.groups, ...FALLBACK_NAMES.groups]) ?? [];
  const groups = packsGroupsWithSemicolons(issuer) ? values.flatMap((value) => value.split(';')) : values;
  return [...new Set(groups.map((group) => group.trim().slice(0, MAX_VALUE_LENGTH)).filter(Boolean))].slice(0, MAX_GROUPS);
}

export function isEmail(value: string): boolean {
  return value.length <= 320 && EMAIL.test(value);
}

export function resolveIdentity(asserted: AssertedIdentity, mapping: AttributeMapping): ResolvedIdentity {
  const { attributes, nameId, nameIdFormat, issuer } = asserted;
  const nameIdIsEmail = nameIdFormat === EMAIL_ADDRESS_FORMAT || isEmail(nameId.trim());
  const email = firstValue(attributes, mapping, 'email') ?? (nameIdIsEmail && nameId.trim() ? nameId.trim() : null);
  if (!email) throw new ProvisioningError('email_missing', 'The assertion carries no email address');
  if (!isEmail(email)) throw new ProvisioningError('email_invalid', 'The email address in the assertion is not valid', email);
  return {
    email,
    firstName: firstValue(attributes, mapping, 'firstName'),
    lastName: firstValue(attributes, mapping, 'lastName'),
    groups: groupsOf(attributes, mapping, issuer),
  };
}
