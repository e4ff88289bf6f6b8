const MAX_LENGTH = 2048;

/**
 * Where to send the browser after login: a path on this service, or a URL on an origin the operator
 * allowed. Anything else (other hosts, `//evil`, `javascript:`, control characters) becomes `/`.
 */
export function safeReturnTo(raw: unknown, publicBaseUrl: string, allowedOrigins: string[]): string {
  if (typeof raw !== 'string' || raw === '' || raw.length > MAX_LENGTH || /[\u0000-\u001f\u007f\\]/.test(raw)) return '/';
  const own = new URL(publicBaseUrl);
  let url: URL;
  try {
    url = new URL(raw, own);
  } catch {
    return '/';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return '/';
  if (raw.startsWith('/') && !raw.startsWith('//') && url.origin === own.origin) return `${url.pathname}${url.search}${url.hash}`;
  if (url.origin === own.origin || allowedOrigins.includes(url.origin)) return url.toString();
  return '/';
}

/**
 * The returnTo of the OpenID provider's interactions (`/oidc/interaction/{uid}`): a login that fails
 * goes back there, so that the interaction ends with `access_denied` at the app, rather than on the
 * failure page.
 */
export const LOGIN_FAILURE_RETURN_PREFIX = '/oidc/interaction/';

export function failureReturnOf(returnTo: string | null): string | null {
  return returnTo?.startsWith(LOGIN_FAILURE_RETURN_PREFIX) && !/[?#]/.test(returnTo) ? returnTo : null;
}
