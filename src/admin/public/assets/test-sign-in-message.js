// @ts-check

/**
 * How the test-result window reports to the settings page: a postMessage to its opener (same origin
 * only), or on this BroadcastChannel when the identity provider's pages cut the window off from its
 * opener (Cross-Origin-Opener-Policy).
 */
export const TEST_SIGN_IN_CHANNEL = 'sso-test-sign-in';

/**
 * @typedef {{
 *   type: 'sso-test-sign-in',
 *   ok: boolean,
 *   me?: { user: { email: string, firstName: string, lastName: string, groups: string[], role: string }, tenant: { type: string, id: string, name?: string | null } },
 *   message?: string,
 * }} TestSignInMessage
 */

/** @param {any} data @returns {data is TestSignInMessage} */
export function isTestSignInMessage(data) {
  return data?.type === TEST_SIGN_IN_CHANNEL && typeof data.ok === 'boolean';
}
