// @ts-check
import { callApi } from './api.js';

/**
 * The credential the settings pages (/admin, /admin/guide, /setup) share within one browser tab:
 * an API key typed into the sign-in form, or the access token of a setup link. Both live in
 * sessionStorage, so they end with the tab and never reach another tab or a later visit.
 */

/** @typedef {import('./api.js').TenantKind} TenantKind */
/** @typedef {{ type: TenantKind, id: string }} Tenant */
/** @typedef {{ user: { email: string, role: string }, tenant: Tenant }} Me */
/** @typedef {{ kind: TenantKind, id: string, apiKey: string }} StoredSignIn */
/** @typedef {{ tenant: Tenant, accessToken: string, expiresAt: string }} StoredSetupLink */

const STORED_SIGN_IN = 'sso-settings.sign-in';
const STORED_SETUP_LINK = 'sso-settings.setup-link';

/** @returns {StoredSignIn | null} */
export function storedSignIn() {
  const stored = readStored(STORED_SIGN_IN);
  return stored && typeof stored.apiKey === 'string' && typeof stored.id === 'string' ? stored : null;
}

/**
 * @param {Tenant} tenant
 * @param {string} apiKey
 */
export function rememberSignIn(tenant, apiKey) {
  sessionStorage.setItem(STORED_SIGN_IN, JSON.stringify({ kind: tenant.type, id: tenant.id, apiKey }));
}

export function forgetSignIn() {
  sessionStorage.removeItem(STORED_SIGN_IN);
}

/** @returns {StoredSetupLink | null} */
export function storedSetupLink() {
  const stored = readStored(STORED_SETUP_LINK);
  return stored && typeof stored.accessToken === 'string' && typeof stored.tenant?.id === 'string' ? stored : null;
}

/** @param {StoredSetupLink} link */
export function rememberSetupLink(link) {
  sessionStorage.setItem(STORED_SETUP_LINK, JSON.stringify(link));
}

export function forgetSetupLink() {
  sessionStorage.removeItem(STORED_SETUP_LINK);
}

/** @param {string} name */
function readStored(name) {
  try {
    return JSON.parse(sessionStorage.getItem(name) ?? 'null');
  } catch {
    // A value these pages did not write: ignore it, the administrator signs in again.
    return null;
  }
}

/** The signed-in SSO user, if any (`sso_session` cookie). @returns {Promise<Me | null>} */
export async function currentUser() {
  try {
    return (await callApi({ type: 'session' }, 'GET', '/api/v1/me')).body;
  } catch {
    // Not signed in through SSO (401), or sessions are not available: sign in with an API key.
    return null;
  }
}

/** `?kind=organization&id=…` picks the tenant, such as a partner administrator's organization. @returns {Tenant | null} */
export function tenantFromAddress() {
  const parameters = new URLSearchParams(window.location.search);
  const kind = parameters.get('kind');
  const id = parameters.get('id');
  return (kind === 'organization' || kind === 'partner') && id ? { type: kind, id } : null;
}

/** The address of a page for one tenant, such as `/admin/guide?kind=organization&id=…`. @param {string} path @param {Tenant} tenant */
export function tenantAddress(path, tenant) {
  return `${path}?${new URLSearchParams({ kind: tenant.type, id: tenant.id })}`;
}

/**
 * Ends this browser's single sign-on session. Where the identity provider takes part in single
 * logout, the browser goes on there.
 * @returns {Promise<boolean>} whether the browser is on its way to the identity provider
 */
export async function endSsoSession() {
  const { body } = await callApi({ type: 'session' }, 'POST', '/api/v1/logout');
  if (!body?.redirectTo) return false;
  window.location.assign(body.redirectTo);
  return true;
}
