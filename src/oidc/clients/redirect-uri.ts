import type { FieldProblem } from '../../common/domain-errors';

/** Plain http is for a developer's own machine only; anything reachable by others must be https. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * What is wrong with one redirect (or post-logout redirect) URI, or null. The URI is kept as the
 * caller wrote it: the provider matches redirect URIs as exact strings, so nothing here normalizes.
 */
export function redirectUriProblem(field: string, uri: string): FieldProblem | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { field, code: 'not_absolute_url', message: `${field} must be an absolute URL such as https://app.example.com/callback` };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    return { field, code: 'insecure_scheme', message: `${field} must use https (http only for localhost or 127.0.0.1)` };
  }
  // `new URL` drops an empty fragment ("…/cb#"), so the raw string is checked too.
  if (uri.includes('#')) {
    return { field, code: 'fragment_not_allowed', message: `${field} must not contain a fragment (#)` };
  }
  if (url.username !== '' || url.password !== '') {
    return { field, code: 'credentials_not_allowed', message: `${field} must not contain a user name or password` };
  }
  return null;
}

/** Every problem of a list of URIs named `field` (`redirectUris.0`, …), duplicates included. */
export function redirectUriProblems(field: string, uris: readonly string[]): FieldProblem[] {
  const seen = new Set<string>();
  return uris.flatMap((uri, index) => {
    const at = `${field}.${index}`;
    const problem = redirectUriProblem(at, uri);
    if (problem) return [problem];
    if (seen.has(uri)) return [{ field: at, code: 'duplicate_uri', message: `${at} is listed twice` }];
    seen.add(uri);
    return [];
  });
}
