import type { Element } from '@xmldom/xmldom';
import { assertBeforeNotOnOrAfter, assertNotBefore, instantAttribute, type Clock } from './time';

/** Conditions' validity window, within the clock skew. Returns its NotOnOrAfter, if any. */
export function assertConditionsTime(conditions: Element, clock: Clock): Date | null {
  const notBefore = instantAttribute(conditions, 'NotBefore', 'not_yet_valid');
  if (notBefore !== null) {
    assertNotBefore(notBefore, clock, 'the assertion');
  }
  const notOnOrAfter = instantAttribute(conditions, 'NotOnOrAfter', 'expired');
  if (notOnOrAfter !== null) {
    assertBeforeNotOnOrAfter(notOnOrAfter, clock, 'the assertion');
  }
  return notOnOrAfter;
}
