import type { TenantRef } from '../tenancy/tenant';
import type { CertificateSummary } from './idp/certificate';
import type { IdpBinding, IdpDescriptor } from './idp/idp-descriptor';
import type { SsoOptions } from './sso-options';

export type { SsoOptions } from './sso-options';

export const ROLES = ['admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Higher wins when several groups map to roles. */
export const ROLE_RANK: Record<Role, number> = { viewer: 1, member: 2, admin: 3 };

export interface AttributeMapping {
  email: string;
  firstName: string;
  lastName: string;
  groups: string;
}

export const DEFAULT_ATTRIBUTE_MAPPING: AttributeMapping = {
  email: 'User.Email',
  firstName: 'User.FirstName',
  lastName: 'User.LastName',
  groups: 'User.groups',
};

export interface RoleMappingEntry {
  group: string;
  role: Role;
}

export type IdpSource = 'metadataXml' | 'metadataUrl' | 'manual';

/** The IdP as stored: what was parsed, and where it came from. */
export interface StoredIdp extends IdpDescriptor {
  source: IdpSource;
}

export type SsoStatus = 'awaiting_idp' | 'active' | 'disabled';


export interface ServiceProviderView {
  entityId: string;
  acsUrl: string;
  metadataUrl: string;
  loginUrl: string;
  sloUrl: string;
  certificate: string;
}

export interface IdentityProviderView {
  entityId: string;
  ssoUrl: string;
  ssoBinding: IdpBinding;
  sloUrl: string | null;
  metadataUrl: string | null;
  wantAuthnRequestsSigned: boolean;
  source: IdpSource;
  certificates: CertificateSummary[];
  lastRefreshedAt: string | null;
  refreshError: string | null;
  /** Why the last refresh failed, as an IdpConfigError code (`fetch_failed`, `timeout`, `not_metadata`…); null when it did not. */
  refreshErrorCode: string | null;
}

/** The contract's `Settings`. */
export interface SsoSettings extends SsoOptions {
  tenant: TenantRef;
  enabled: boolean;
  status: SsoStatus;
  serviceProvider: ServiceProviderView;
  identityProvider: IdentityProviderView | null;
  /** The last successful sign-in, test or real, since the IdP was last configured. */
  lastSuccessfulSignInAt: string | null;
  /** Accepted but likely wrong: each with a code and a sentence for the admin. */
  warnings: { code: string; message: string }[];
  updatedAt: string;
  /** Not part of the JSON body: sent as the ETag header. */
  version: number;
}
