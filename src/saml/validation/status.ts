import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { attributeOf, childElements, textOf } from '../xml/dom';
import { SAML_PROTOCOL_NS, STATUS_SUCCESS } from '../xml/namespaces';

/** A non-Success status refuses the login even when a valid signed assertion comes with it. */
export function assertSuccessStatus(response: Element): void {
  const statuses = childElements(response, SAML_PROTOCOL_NS, 'Status');
  const status = statuses.length === 1 ? statuses[0] : null;
  const code = status === null ? null : onlyStatusCode(status);
  if (code !== null && attributeOf(code, 'Value') === STATUS_SUCCESS) {
    return;
  }
  throw new SamlValidationError('status_not_success', `the IdP did not report success: ${describe(status, code)}`);
}

function onlyStatusCode(parent: Element): Element | null {
  const codes = childElements(parent, SAML_PROTOCOL_NS, 'StatusCode');
  return codes.length === 1 ? codes[0] : null;
}

function describe(status: Element | null, code: Element | null): string {
  if (status === null || code === null) {
    return 'no single Status with a single StatusCode';
  }
  const nested = onlyStatusCode(code);
  const messages = childElements(status, SAML_PROTOCOL_NS, 'StatusMessage').map(textOf);
  return [attributeOf(code, 'Value'), nested && attributeOf(nested, 'Value'), ...messages]
    .filter((part) => part)
    .join(' ');
}
