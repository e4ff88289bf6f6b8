// @ts-check

/**
 * How the pages authenticate: a tenant API key (or the platform token) as a bearer token, the
 * `sso_session` cookie of a signed-in administrator, or the access token a setup link was exchanged for.
 * @typedef {{ type: 'apiKey', key: string } | { type: 'session' } | { type: 'setupLink', key: string }} Credential
 */

/** @typedef {{ field: string, code?: string, message: string }} FieldProblem */

const STATUS_MESSAGES = /** @type {Record<number, string>} */ ({
  0: 'Could not reach the service. Check your connection and try again.',
  401: 'Your sign-in is not valid any more. Sign in again.',
  403: 'You may not do this with the credential you signed in with.',
  404: 'Not found.',
  412: 'Someone else changed these settings since you loaded them.',
  413: 'That is too large to send.',
  429: 'Too many requests. Wait a minute and try again.',
  503: 'The service is temporarily unavailable. Try again in a moment.',
});

/** An error answer of the API: `{statusCode, message, field?, code?, errors?}`. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {any} body
   */
  constructor(status, body) {
    super(messageOf(status, body));
    this.status = status;
    /** @type {string | undefined} */
    this.field = typeof body?.field === 'string' ? body.field : undefined;
    /** @type {string | undefined} */
    this.code = typeof body?.code === 'string' ? body.code : undefined;
    /** @type {FieldProblem[]} */
    this.errors = Array.isArray(body?.errors) ? body.errors.filter(isFieldProblem) : [];
    /** The whole answer, for the routes whose refusal carries a resource (a domain not verified: 422). */
    this.body = body;
  }
}

/**
 * @param {number} status
 * @param {any} body
 */
function messageOf(status, body) {
  if (typeof body?.message === 'string' && body.message) return body.message;
  return STATUS_MESSAGES[status] ?? `The service answered with an error (${status}).`;
}

/** @param {any} problem @returns {problem is FieldProblem} */
function isFieldProblem(problem) {
  return typeof problem?.field === 'string' && typeof problem?.message === 'string';
}

/**
 * Calls the JSON API. Resolves with the body and ETag of a 2xx answer; rejects with ApiError.
 * @param {Credential | null} credential null for the public routes
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, ifMatch?: string | null }} [options]
 * @returns {Promise<{ body: any, etag: string | null }>}
 */
export async function callApi(credential, method, path, options = {}) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  if (credential?.type === 'apiKey' || credential?.type === 'setupLink') headers.Authorization = `Bearer ${credential.key}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, null);
  }
  const text = await response.text();
  const body = parseJson(text);
  if (!response.ok) throw new ApiError(response.status, body);
  return { body, etag: response.headers.get('ETag') };
}

/** @param {string} text */
function parseJson(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    // A proxy's HTML error page: the status alone describes it.
    return null;
  }
}

/** @typedef {'organization' | 'partner'} TenantKind */

/** @param {TenantKind} kind */
export function pluralOf(kind) {
  return kind === 'organization' ? 'organizations' : 'partners';
}
