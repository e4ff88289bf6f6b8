import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { parse as parseHost } from 'tldts';
import { PUBLIC_EMAIL_DOMAINS } from './public-email-domains';
import { DomainError } from './domain.errors';

const MAX_NAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * The one spelling of a domain the service compares and stores: lower case, no trailing dot, an
 * IDN as its A-label. Refuses what cannot be an organization's mail domain: IPs, single labels such
 * as `localhost`, URLs, public suffixes (`co.uk`) and non-ICANN names (`corp.local`), and the
 * consumer mail providers.
 */
export function normalizeDomain(input: string): string {
  const trimmed = input.trim().toLowerCase().replace(/\.$/, '');
  if (trimmed === '' || /[\s/:@?#\\]/.test(trimmed) || isIP(trimmed) !== 0) throw invalid(input);
  // domainToASCII answers '' for a name it cannot convert; it also lower-cases and applies UTS #46.
  const ascii = domainToASCII(trimmed);
  if (ascii === '' || ascii.length > MAX_NAME_LENGTH) throw invalid(input);
  const labels = ascii.split('.');
  if (labels.length < 2 || labels.some((label) => label.length > MAX_LABEL_LENGTH || !LABEL.test(label))) {
    throw invalid(input);
  }
  const parsed = parseHost(ascii, { allowPrivateDomains: false });
  if (parsed.isIp || !parsed.isIcann || parsed.domain === null || /^\d+$/.test(labels[labels.length - 1])) {
    throw invalid(input);
  }
  if (PUBLIC_EMAIL_DOMAINS.has(ascii) || PUBLIC_EMAIL_DOMAINS.has(parsed.domain)) {
    throw new DomainError('public_email_domain', `${ascii} is a public email provider; only an organization's own domain can be claimed`);
  }
  return ascii;
}

/**
 * Only the spelling of normalizeDomain (lower case, no trailing dot, an IDN as its A-label), for
 * names compared without its other rules (an assertion's email domain, an allowed-domains list);
 * a name it cannot convert is kept as given, for the caller's own check to refuse.
 */
export function domainSpelling(input: string): string {
  const trimmed = input.trim().toLowerCase().replace(/\.$/, '');
  return domainToASCII(trimmed) || trimmed;
}

/** The stored spelling of a name to look up (an email's domain), or null for a name no claim can have. */
export function lookupSpelling(input: string): string | null {
  try {
    return normalizeDomain(input);
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}

function invalid(input: string): DomainError {
  return new DomainError('invalid_domain', `"${input.slice(0, 100)}" is not a domain name such as example.com`);
}
