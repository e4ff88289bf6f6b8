import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { attributeOf } from '../xml/dom';

export interface Clock {
  now: Date;
  skewSeconds: number;
}

// xs:dateTime with a mandatory zone: a SAML instant without one would be read as local time.
const XS_DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An instant attribute, or null when absent. An unreadable instant fails with the reason its
 * bound would fail with, since nothing can be proven valid by it.
 */
export function instantAttribute(
  element: Element,
  name: string,
  reasonIfUnreadable: 'expired' | 'not_yet_valid',
): Date | null {
  const text = attributeOf(element, name);
  if (text === null) {
    return null;
  }
  const parts = XS_DATE_TIME.exec(text.trim());
  const millis = parts === null ? NaN : Date.parse(`${parts[1]}.${(parts[2] ?? '').padEnd(3, '0').slice(0, 3)}${parts[3]}`);
  if (Number.isNaN(millis)) {
    throw new SamlValidationError(reasonIfUnreadable, `${element.localName}/@${name} is not an xs:dateTime: ${text}`);
  }
  return new Date(millis);
}

export function assertNotBefore(notBefore: Date, clock: Clock, what: string): void {
  if (clock.now.getTime() + clock.skewSeconds * 1000 < notBefore.getTime()) {
    throw new SamlValidationError(
      'not_yet_valid',
      `${what} is not valid before ${notBefore.toISOString()} (now ${clock.now.toISOString()})`,
    );
  }
}

export function assertBeforeNotOnOrAfter(notOnOrAfter: Date, clock: Clock, what: string): void {
  if (clock.now.getTime() - clock.skewSeconds * 1000 >= notOnOrAfter.getTime()) {
    throw new SamlValidationError(
      'expired',
      `${what} expired at ${notOnOrAfter.toISOString()} (now ${clock.now.toISOString()})`,
    );
  }
}
