import { IdpConfigError } from './idp-config.error';
import { MAX_METADATA_BYTES } from './idp-metadata.parser';

export interface FetchMetadataOptions {
  /** Plain http is for local development only: metadata carries the keys we trust. */
  allowHttp: boolean;
  /** Budget for the whole exchange, redirects and body included. */
  timeoutMs?: number;
  maxBytes?: number;
}

const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ACCEPT = 'application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

/** Downloads IdP metadata within a time and size budget; every failure is an `IdpConfigError` on `metadataUrl`. */
export async function fetchMetadata(
  url: string,
  { allowHttp, timeoutMs = 5000, maxBytes = MAX_METADATA_BYTES }: FetchMetadataOptions,
): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetchFollowingRedirects(checkedUrl(url, allowHttp), allowHttp, controller.signal);
    if (!response.ok) {
      throw fetchFailed(`the server answered HTTP ${response.status}`);
    }
    return await readBody(response, maxBytes);
  } catch (error) {
    if (error instanceof IdpConfigError) {
      throw error;
    }
    if (controller.signal.aborted) {
      throw new IdpConfigError('metadataUrl', 'timeout', `The metadata URL did not answer within ${timeoutMs} ms.`);
    }
    throw fetchFailed(networkReason(error));
  } finally {
    clearTimeout(timer);
    // Releases the connection of any body left unread (error statuses, refused sizes).
    controller.abort();
  }
}

async function fetchFollowingRedirects(start: URL, allowHttp: boolean, signal: AbortSignal): Promise<Response> {
  let url = start;
  for (let redirects = 0; ; redirects += 1) {
    // Followed by hand so that every hop is held to the same scheme rules as the first.
    const response = await fetch(url, { redirect: 'manual', signal, headers: { accept: ACCEPT } });
    if (!REDIRECT_STATUSES.has(response.status)) {
      return response;
    }
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (location === null) {
      throw fetchFailed(`the server answered HTTP ${response.status} without a Location`);
    }
    if (redirects === MAX_REDIRECTS) {
      throw fetchFailed(`the server redirected more than ${MAX_REDIRECTS} times`);
    }
    url = checkedUrl(location, allowHttp, url);
  }
}

function checkedUrl(text: string, allowHttp: boolean, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new IdpConfigError('metadataUrl', 'invalid_url', 'The metadata URL is not a valid absolute URL.');
  }
  if (url.protocol === 'http:' && !allowHttp) {
    throw new IdpConfigError('metadataUrl', 'http_not_allowed', 'The metadata URL must use https.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new IdpConfigError('metadataUrl', 'invalid_url', 'The metadata URL must use https.');
  }
  if (url.username !== '' || url.password !== '') {
    throw new IdpConfigError('metadataUrl', 'invalid_url', 'The metadata URL must not contain credentials.');
  }
  return url;
}

async function readBody(response: Response, maxBytes: number): Promise<string> {
  const declaredLength = Number(response.headers.get('content-length'));
  if (declaredLength > maxBytes) {
    throw tooLarge(maxBytes);
  }
  if (response.body === null) {
    return '';
  }
  // Content-Length may be absent or false, so the stream itself is counted.
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    received += value.byteLength;
    if (received > maxBytes) {
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function networkReason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = cause instanceof Error && 'code' in cause ? String(cause.code) : undefined;
  return code ?? (error instanceof Error ? error.message : 'unknown network error');
}

function tooLarge(maxBytes: number): IdpConfigError {
  return new IdpConfigError('metadataUrl', 'too_large', `The metadata is larger than ${maxBytes} bytes.`);
}

function fetchFailed(reason: string): IdpConfigError {
  return new IdpConfigError('metadataUrl', 'fetch_failed', `The metadata could not be fetched: ${reason}.`);
}
