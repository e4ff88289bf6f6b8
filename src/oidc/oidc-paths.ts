/** Where oidc-provider's endpoints are; discovery is at the issuer's root, as the issuer has no path. */
export const OIDC_PREFIX = '/oidc';
export const DISCOVERY_PATH = '/.well-known/openid-configuration';
export const OIDC_ROUTES = {
  authorization: `${OIDC_PREFIX}/auth`,
  token: `${OIDC_PREFIX}/token`,
  userinfo: `${OIDC_PREFIX}/me`,
  jwks: `${OIDC_PREFIX}/jwks`,
  introspection: `${OIDC_PREFIX}/token/introspection`,
  revocation: `${OIDC_PREFIX}/token/revocation`,
  end_session: `${OIDC_PREFIX}/session/end`,
  // Routes of features left off; set under /oidc so that none can appear elsewhere.
  code_verification: `${OIDC_PREFIX}/device`,
  device_authorization: `${OIDC_PREFIX}/device/auth`,
  pushed_authorization_request: `${OIDC_PREFIX}/request`,
  registration: `${OIDC_PREFIX}/reg`,
  backchannel_authentication: `${OIDC_PREFIX}/backchannel`,
  challenge: `${OIDC_PREFIX}/challenge`,
  credential: `${OIDC_PREFIX}/credential`,
} as const;

export const INTERACTION_PREFIX = `${OIDC_PREFIX}/interaction/`;
export const interactionPath = (uid: string): string => `${INTERACTION_PREFIX}${encodeURIComponent(uid)}`;

/** The audience (resource) of the access tokens: the platform's APIs, one resource server. */
export const accessTokenAudience = (publicBaseUrl: string): string => `${publicBaseUrl}/api`;

export function isOidcPath(url: string): boolean {
  const path = url.split('?')[0];
  return path === DISCOVERY_PATH || path === OIDC_PREFIX || path.startsWith(`${OIDC_PREFIX}/`);
}
