/** A person the dev IdP can sign in as, with the attributes an Okta SAML app sends by default. */
export interface DevUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  groups: string[];
  /** What the user is for, shown on the login form. */
  purpose: string;
}

export const DEFAULT_EMAIL_DOMAIN = 'example.com';

export function devUsers(emailDomain: string): DevUser[] {
  return [
    {
      id: 'ada',
      email: `ada.admin@${emailDomain}`,
      firstName: 'Ada',
      lastName: 'Admin',
      groups: ['sso-admins', 'engineering'],
      purpose: 'an administrator once "sso-admins" is mapped to the admin role',
    },
    {
      id: 'max',
      email: `max.member@${emailDomain}`,
      firstName: 'Max',
      lastName: 'Member',
      groups: ['engineering'],
      purpose: 'gets the default role (member)',
    },
    {
      id: 'vera',
      email: `vera.viewer@${emailDomain}`,
      firstName: 'Vera',
      lastName: 'Viewer',
      groups: ['contractors'],
      purpose: 'a viewer once "contractors" is mapped to the viewer role',
    },
  ];
}
