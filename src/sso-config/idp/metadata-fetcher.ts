import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, fetch, type Response } from 'undici';
import { IdpConfigError } from './idp-config.error';
import { MAX_METADATA_BYTES } from './idp-metadata.parser';
import { isPrivateAddress } from './private-address';

/** Resolves a host name to every address it has (as `dns.lookup` with `all: true`). */
export type HostResolver = (hostname: string) => Promise<LookupAddress[]>;

export interface FetchMetadataOptions {
  /** Plain http is for local development only: metadata carries the keys we trust. */
  allowHttp: boolean;
  /**
   * Lets the URL, and every redirect, lead to loopback, private, link-local (cloud metadata) and
   * other non-public addresses. Off, such hosts are refused before any connection is made.
   */
  allowPrivateHosts?: boolean;
  /**
   * Private addresses let through even without `allowPrivateHosts`, compared exactly. Not an
   * operator setting: tests use it to serve the first hop from loopback and show later hops are checked.
   */
  allowedPrivateAddresses?: readonly string[];
  /** How host names are resolved; the system resolver (`dns.lookup`) unless given. */
  resolveHost?: HostResolver;
  /** Budget for the whole exchange, redirects and body included. */
  timeoutMs?: number;
  maxBytes?: number;
}

const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ACCEPT = 'application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

const systemResolver: HostResolver = (hostname) => dnsLookup(hostname, { all: true });

/** Downloads IdP metadata within a time and size budget; every failure is an `IdpConfigError` on `metadataUrl`. */
export async function fetchMetadata(
  url: string,
  {
    allowHttp,
    allowPrivateHosts = false,
    allowedPrivateAddresses = [],
    resolveHost = systemResolver,
    timeoutMs = 5000,
    maxBytes = MAX_METADATA_BYTES,
  }: FetchMetadataOptions,
): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const permits = (address: string) =>
    allowPrivateHosts || allowedPrivateAddresses.includes(address) || !isPrivateAddress(address);
  const dispatcher = guardedAgent(permits, resolveHost);
  try {
    const start = checkedUrl(url, allowHttp);
    const response = await fetchFollowingRedirects(start, allowHttp, dispatcher, controller.signal);
    if (!response.ok) {
      throw fetchFailed(`the IdP's server answered with the error HTTP ${response.status} instead of the metadata`);
    }
    return await readBody(response, maxBytes);
  } catch (error) {
    // The guard refuses inside the connection attempt, so its error arrives as the fetch error's cause.
    const configError = configErrorIn(error);
    if (configError !== null) {
      throw configError;
    }
    if (controller.signal.aborted) {
      throw new IdpConfigError('metadataUrl', 'timeout', `The metadata URL did not answer within ${timeoutMs} ms.`);
    }
    throw fetchFailed(networkReason(error));
  } finally {
    clearTimeout(timer);
    // Releases the connection of any body left unread (error statuses, refused sizes).
    controller.abort();
    await dispatcher.destroy().catch(() => undefined);
  }
}

/**
 * A connection pool of its own for one download, where every connection, first request and
 * redirects alike, goes to an address that was checked: IP literals before connecting, host names
 * in the lookup whose answer the socket then connects to, so a name cannot resolve to a public
 * address for the check and to a private one for the connection (DNS rebinding).
 */
function guardedAgent(permits: (address: string) => boolean, resolveHost: HostResolver): Agent {
  const connect = buildConnector({ lookup: guardedLookup(permits, resolveHost) });
  return new Agent({
    connect: (options, callback) => {
      const host = options.hostname.replace(/^\[(.*)\]$/, '$1');
      // Sockets look up only names; an IP literal is connected to as it is, so it is checked here.
      if (isIP(host) !== 0 && !permits(host)) {
        callback(privateAddress(options.hostname), null);
        return;
      }
      connect(options, callback);
    },
  });
}

function guardedLookup(permits: (address: string) => boolean, resolveHost: HostResolver): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : null;
    resolveHost(hostname)
      .then((found) => {
        const addresses = family === null ? found : found.filter((address) => address.family === family);
        if (addresses.length === 0) {
          throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
        }
        // Every address counts: a name with one private address among public ones is refused.
        if (!addresses.every(({ address }) => permits(address))) {
          throw privateAddress(hostname);
        }
        return addresses;
      })
      .then(
        (addresses) => {
          if (options.all === true) {
            callback(null, addresses);
          } else {
            callback(null, addresses[0].address, addresses[0].family);
          }
        },
        (error: NodeJS.ErrnoException) => callback(error, ''),
      );
  };
}

async function fetchFollowingRedirects(
  start: URL,
  allowHttp: boolean,
  dispatcher: Agent,
  signal: AbortSignal,
): Promise<Response> {
  let url = start;
  for (let redirects = 0; ; redirects += 1) {
    // Followed by hand so that every hop is held to the same scheme rules as the first, and goes
    // through the same guarded connections.
    const response = await fetch(url, { redirect: 'manual', signal, dispatcher, headers: { accept: ACCEPT } });
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

function configErrorIn(error: unknown): IdpConfigError | null {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    if (current instanceof IdpConfigError) {
      return current;
    }
  }
  return null;
}

/** What the network said, in words an IdP admin acts on (the system's code, such as ECONNREFUSED, means nothing to them). */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: "the IdP's metadata URL did not answer: its server refused the connection",
  ECONNRESET: "the IdP's metadata URL did not answer: its server closed the connection",
  ETIMEDOUT: "the IdP's metadata URL did not answer in time",
  EHOSTUNREACH: "the IdP's metadata URL did not answer: its server cannot be reached from here",
  ENETUNREACH: "the IdP's metadata URL did not answer: its network cannot be reached from here",
  ENOTFOUND: "the host name of the metadata URL does not exist (check its spelling)",
  EAI_AGAIN: 'the host name of the metadata URL could not be looked up right now',
  CERT_HAS_EXPIRED: "the HTTPS certificate of the metadata URL's server has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the HTTPS certificate of the metadata URL's server is self-signed, so it is not trusted",
  SELF_SIGNED_CERT_IN_CHAIN: "the HTTPS certificate of the metadata URL's server is not trusted (self-signed chain)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the HTTPS certificate of the metadata URL's server is not trusted",
  ERR_TLS_CERT_ALTNAME_INVALID: "the HTTPS certificate of the metadata URL's server is for another host name",
};

function networkReason(error: unknown): string {
  const code = networkCodeIn(error);
  if (code === undefined) return error instanceof Error ? error.message : 'unknown network error';
  return NETWORK_REASONS[code] ?? `the connection to the metadata URL failed (${code})`;
}

/**
 * The system's code (ECONNREFUSED…) under undici's "fetch failed", also inside the AggregateError of
 * a host with several addresses. Read by shape: the errors may come from another realm than `Error`.
 */
function networkCodeIn(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && !code.startsWith('UND_ERR')) return code;
  if (Array.isArray(errors)) {
    const inner = networkCodeIn(errors[0], depth + 1);
    if (inner !== undefined) return inner;
  }
  return networkCodeIn(cause, depth + 1);
}

function tooLarge(maxBytes: number): IdpConfigError {
  return new IdpConfigError('metadataUrl', 'too_large', `The metadata is larger than ${maxBytes} bytes.`);
}

function privateAddress(host: string): IdpConfigError {
  return new IdpConfigError(
    'metadataUrl',
    'private_address_not_allowed',
    `The metadata URL leads to ${host}, a private or internal network address, which this service does not fetch from. ` +
      "Use the identity provider's public metadata URL, or paste the metadata XML instead.",
  );
}

function fetchFailed(reason: string): IdpConfigError {
  return new IdpConfigError('metadataUrl', 'fetch_failed', `The metadata could not be fetched: ${reason}.`);
}
