import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../saml-error';
import { attributeOf, childElements, textOf } from '../xml/dom';
import { SAML_PROTOCOL_NS, STATUS_SUCCESS } from '../xml/namespaces';

export interface MessageStatus {
  success: boolean;
  /** The status code, its nested code and messages, for the record. */
  description: string;
}

/** A non-Success status refuses the login even when a valid signed assertion comes with it. */
export function assertSuccessStatus(response: Element): void {
  const status = statusOf(response);
  if (!status.success) {
    throw new SamlValidationError('status_not_success', `the IdP did not report success: ${status.description}`);
  }
}

/** The message's single Status; anything but one Status with one Success StatusCode is not success. */
export function statusOf(message: Element): MessageStatus {
  const statuses = childElements(message, SAML_PROTOCOL_NS, 'Status');
  const status = statuses.length === 1 ? statuses[0] : null;
  const code = status === null ? null : onlyStatusCode(status);
  return {
    success: code !== null && attributeOf(code, 'Value') === STATUS_SUCCESS,
    description: describe(status, code),
  };
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
