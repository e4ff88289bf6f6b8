import { isIP } from 'node:net';

/**
 * The bench and load tools send floods of logins and drop databases: they only ever talk to this
 * machine. Throws for any URL whose host is not a loopback name or address.
 */
export function loopbackUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${what} is not a URL: ${raw}`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback =
    host === 'localhost' || (isIP(host) === 4 && host.startsWith('127.')) || (isIP(host) === 6 && host === '::1');
  if (!loopback) {
    throw new Error(`${what} must point at this machine (localhost, 127.0.0.0/8 or ::1), got ${url.host}`);
  }
  return url;
}
