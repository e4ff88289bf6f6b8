import { DOMImplementation, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { SAML_ASSERTION_NS, SAML_PROTOCOL_NS } from '../xml/namespaces';

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
/** saml-core 3.7.3: the principal asked to be signed out. */
const LOGOUT_REASON_USER = 'urn:oasis:names:tc:SAML:2.0:logout:user';

/** The principal exactly as the assertion named it; null leaves an attribute out. */
export interface LogoutNameId {
  value: string;
  format: string | null;
  nameQualifier: string | null;
  spNameQualifier: string | null;
  spProvidedId: string | null;
}

export interface LogoutRequestContent {
  id: string;
  issueInstant: Date;
  notOnOrAfter: Date;
  destination: string;
  issuer: string;
  nameId: LogoutNameId;
  sessionIndex: string | null;
}

/**
 * The LogoutRequest an SP sends (saml-core 3.7.1). samlify's template carries only the NameID's value
 * and Format, so the message is built here as a DOM and serialized by xmldom, which escapes
 * attribute values and text (line breaks and tabs in attributes included) so that the IdP reads back
 * exactly the identifier its assertion carried.
 */
export function logoutRequestXml(content: LogoutRequestContent): string {
  const document = new DOMImplementation().createDocument(SAML_PROTOCOL_NS, 'samlp:LogoutRequest', null);
  const root = document.documentElement as Element;
  root.setAttributeNS(XMLNS_NS, 'xmlns:saml', SAML_ASSERTION_NS);
  setAttributes(root, {
    ID: content.id,
    Version: '2.0',
    IssueInstant: content.issueInstant.toISOString(),
    NotOnOrAfter: content.notOnOrAfter.toISOString(),
    Destination: content.destination,
    Reason: LOGOUT_REASON_USER,
  });
  root.appendChild(textElement(document, SAML_ASSERTION_NS, 'saml:Issuer', content.issuer));
  const nameId = textElement(document, SAML_ASSERTION_NS, 'saml:NameID', content.nameId.value);
  setAttributes(nameId, {
    NameQualifier: content.nameId.nameQualifier,
    SPNameQualifier: content.nameId.spNameQualifier,
    Format: content.nameId.format,
    SPProvidedID: content.nameId.spProvidedId,
  });
  root.appendChild(nameId);
  if (content.sessionIndex !== null) {
    root.appendChild(textElement(document, SAML_PROTOCOL_NS, 'samlp:SessionIndex', content.sessionIndex));
  }
  return new XMLSerializer().serializeToString(document);
}

function textElement(document: Document, namespace: string, qualifiedName: string, text: string): Element {
  const element = document.createElementNS(namespace, qualifiedName);
  element.appendChild(document.createTextNode(text));
  return element;
}

function setAttributes(element: Element, attributes: Record<string, string | null>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null) element.setAttribute(name, value);
  }
}
