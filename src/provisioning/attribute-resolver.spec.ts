import { DEFAULT_ATTRIBUTE_MAPPING } from '../sso-config/sso-config.types';
import { resolveIdentity } from './attribute-resolver';
import type { AssertedIdentity } from './identity';
import { ProvisioningError } from './provisioning.error';

const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
const attribute = (name: string, values: string[], friendlyName: string | null = null) => ({ name, friendlyName, values });
const ONELOGIN_ISSUER = 'https://app.onelogin.com/saml/metadata/3f9a1c2e-5b7d-4e8f-a0b1-c2d3e4f5a6b7';
const ADFS_ISSUER = 'http://adfs.corp.example/adfs/services/trust';
const resolve = (asserted: Partial<AssertedIdentity>, mapping = DEFAULT_ATTRIBUTE_MAPPING) =>
  resolveIdentity(
    { issuer: 'https://idp.example.test/metadata', nameId: 'opaque-id', nameIdFormat: UNSPECIFIED, attributes: [], ...asserted },
    mapping,
  );

describe('resolveIdentity', () => {
  it('reads an Okta-style assertion with the User.* attribute statements', () => {
    expect(
      resolve({
        nameId: 'ann@acme.com',
        nameIdFormat: EMAIL_FORMAT,
        attributes: [
          attribute('User.Email', ['ann@acme.com']),
          attribute('User.FirstName', ['Ann']),
          attribute('User.LastName', ['Lee']),
          attribute('User.groups', ['Everyone', 'cloud-admins']),
        ],
      }),
    ).toEqual({ email: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', groups: ['Everyone', 'cloud-admins'] });
  });

  it("reads Entra ID's claim URIs, with groups as object ids", () => {
    expect(
      resolve({
        nameId: 'ZmFrZS1wYWlyd2lzZS1pZA',
        nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
        attributes: [
          attribute('http://schemas.microsoft.com/identity/claims/tenantid', ['5f3e6a1e-0000-4000-8000-000000000000']),
          attribute('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', ['bo@contoso.com']),
          attribute('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname', ['Bo']),
          attribute('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname', ['Chen']),
          attribute('http://schemas.microsoft.com/ws/2008/06/identity/claims/groups', [
            '9a0c7b8e-1111-4e2f-9c55-0a1b2c3d4e5f',
            'f1e2d3c4-2222-4b6a-8d77-9e8f7a6b5c4d',
          ]),
        ],
      }),
    ).toEqual({
      email: 'bo@contoso.com',
      firstName: 'Bo',
      lastName: 'Chen',
      groups: ['9a0c7b8e-1111-4e2f-9c55-0a1b2c3d4e5f', 'f1e2d3c4-2222-4b6a-8d77-9e8f7a6b5c4d'],
    });
  });

  it("reads OneLogin's User.* parameters with groups as one semicolon-separated value", () => {
    expect(
      resolve({
        issuer: ONELOGIN_ISSUER,
        attributes: [
          attribute('User.Email', ['cy@globex.com']),
          attribute('User.FirstName', ['Cy']),
          attribute('User.LastName', ['Diaz']),
          attribute('User.groups', ['Finance;Cloud Admins; ']),
        ],
      }),
    ).toEqual({ email: 'cy@globex.com', firstName: 'Cy', lastName: 'Diaz', groups: ['Finance', 'Cloud Admins'] });
  });

  it("reads Google Workspace's plain names, and the NameID as email", () => {
    expect(
      resolve({
        nameId: 'dee@initech.com',
        nameIdFormat: EMAIL_FORMAT,
        attributes: [attribute('firstName', ['Dee']), attribute('lastName', ['Eve']), attribute('groups', ['eng@initech.com', 'ops@initech.com'])],
      }),
    ).toEqual({ email: 'dee@initech.com', firstName: 'Dee', lastName: 'Eve', groups: ['eng@initech.com', 'ops@initech.com'] });
  });

  it('keeps every AttributeValue whole: distinguished names with commas and semicolons stay one group each', () => {
    const email = attribute('User.Email', ['kim@corp.example']);
    const dns = ['cn=eng,ou=groups,dc=corp,dc=example', 'cn=all,ou=groups,dc=corp,dc=example', 'cn=R\\;D,ou=groups'];
    expect(resolve({ issuer: ADFS_ISSUER, attributes: [email, attribute('memberOf', dns)] }).groups).toEqual(dns);
    expect(resolve({ attributes: [email, attribute('groups', ['eng,ops', 'a;b'])] }).groups).toEqual(['eng,ops', 'a;b']);
  });

  it('splits on semicolons only for OneLogin, never on commas', () => {
    const attributes = [attribute('User.Email', ['lu@globex.com']), attribute('User.groups', ['Sales, EMEA;Admins'])];
    const groups = (issuer: string) => resolve({ issuer, attributes }).groups;
    expect(groups(ONELOGIN_ISSUER)).toEqual(['Sales, EMEA', 'Admins']);
    expect(groups('https://acme.eu.onelogin.com/saml/metadata/2718281')).toEqual(['Sales, EMEA', 'Admins']);
    expect(groups('https://onelogin.com.evil.example/saml/metadata')).toEqual(['Sales, EMEA;Admins']);
    expect(groups('urn:onelogin.com')).toEqual(['Sales, EMEA;Admins']);
  });

  it('collects the values of every Attribute of the group name (Keycloak sends one Attribute per group)', () => {
    const mapping = { ...DEFAULT_ATTRIBUTE_MAPPING, groups: 'member' };
    const attributes = [
      attribute('User.Email', ['mo@example.com']),
      attribute('member', ['/eng']),
      attribute('member', ['/eng/platform']),
    ];
    expect(resolve({ attributes }, mapping).groups).toEqual(['/eng', '/eng/platform']);
  });

  it("reads ADFS's claim URIs and its Group claim", () => {
    expect(
      resolve({
        attributes: [
          attribute('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', ['fay@corp.local.example']),
          attribute('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname', ['Fay']),
          attribute('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname', ['Gu']),
          attribute('http://schemas.xmlsoap.org/claims/Group', ['Domain Users', 'SSO-Admins']),
        ],
      }),
    ).toEqual({ email: 'fay@corp.local.example', firstName: 'Fay', lastName: 'Gu', groups: ['Domain Users', 'SSO-Admins'] });
  });

  it('prefers a custom mapping, matched case-insensitively on Name and FriendlyName', () => {
    const mapping = { email: 'mail', firstName: 'given', lastName: 'family', groups: 'roles' };
    expect(
      resolve(
        {
          attributes: [
            attribute('email', ['fallback@example.com']),
            attribute('urn:oid:0.9.2342.19200300.100.1.3', ['gil@example.com'], 'MAIL'),
            attribute('GIVEN', ['Gil']),
            attribute('Family', ['Ho']),
            attribute('Roles', ['a', 'b', 'a']),
          ],
        },
        mapping,
      ),
    ).toEqual({ email: 'gil@example.com', firstName: 'Gil', lastName: 'Ho', groups: ['a', 'b'] });
  });

  it('refuses an assertion without email (email_missing) and one with a bad email (email_invalid)', () => {
    expect(() => resolve({ attributes: [attribute('User.FirstName', ['No'])] })).toThrow(
      expect.objectContaining({ reason: 'email_missing' }),
    );
    expect(() => resolve({ attributes: [attribute('User.Email', ['not-an-email'])] })).toThrow(ProvisioningError);
    expect(() => resolve({ attributes: [attribute('User.Email', ['not-an-email'])] })).toThrow(
      expect.objectContaining({ reason: 'email_invalid', email: 'not-an-email' }),
    );
  });
});
