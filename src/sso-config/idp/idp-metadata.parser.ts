import type { Document, Element, Node } from '@xmldom/xmldom';
import { parseHardenedXml, XmlRejectedError } from '../../common/xml/hardened-xml';
import { normalizeCertificate } from './certificate';
import { IdpConfigError } from './idp-config.error';
import type { IdpBinding, IdpDescriptor } from './idp-descriptor';
import { validEndpointUrl, validEntityId } from './idp-fields';

/** Largest metadata document accepted, pasted or fetched; real ones stay well under 100 KB. */
export const MAX_METADATA_BYTES = 1_048_576;

const METADATA_NS = 'urn:oasis:names:tc:SAML:2.0:metadata';
const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
// In order of preference.
const SUPPORTED_BINDINGS: ReadonlyArray<readonly [IdpBinding, string]> = [
  ['redirect', 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect'],
  ['post', 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST'],
];

interface Endpoint {
  url: string;
  binding: IdpBinding;
}

/**
 * Reads the IdP's SAML 2.0 metadata: an EntityDescriptor, or an EntitiesDescriptor in which exactly
 * one entity is a SAML 2.0 identity provider. Certificates are checked for form, not for expiry:
 * see `assertCertificateUsable`.
 */
export function parseIdpMetadata(xml: unknown): IdpDescriptor {
  const { entity, idp } = singleIdentityProvider(parseXml(xml).documentElement);
  const entityId = validEntityId(entity.getAttribute('entityID'));
  const sso = preferredEndpoint(idp, 'SingleSignOnService', 'ssoUrl');
  if (sso === null) {
    throw new IdpConfigError(
      'ssoUrl',
      'no_sso_url',
      'The IdP metadata has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding.',
    );
  }
  const slo = preferredEndpoint(idp, 'SingleLogoutService', 'sloUrl');
  return {
    entityId,
    ssoUrl: sso.url,
    ssoBinding: sso.binding,
    sloUrl: slo?.url ?? null,
    sloBinding: slo?.binding ?? null,
    wantAuthnRequestsSigned: isXsdTrue(idp.getAttribute('WantAuthnRequestsSigned')),
    certificates: signingCertificates(idp),
  };
}

function parseXml(xml: unknown): Document {
  if (typeof xml !== 'string') {
    throw new IdpConfigError('metadataXml', 'not_xml', 'The metadata must be an XML document.');
  }
  if (Buffer.byteLength(xml, 'utf8') > MAX_METADATA_BYTES) {
    throw new IdpConfigError('metadataXml', 'too_large', `The metadata is larger than ${MAX_METADATA_BYTES} bytes.`);
  }
  // Copied and downloaded files often begin with a byte-order mark or a blank line, which XML
  // forbids before the declaration.
  const text = xml.replace(/^\uFEFF?\s*/, '');
  try {
    return parseHardenedXml(text);
  } catch (error) {
    if (!(error instanceof XmlRejectedError)) {
      throw error;
    }
    if (error.rejection === 'doctype_not_allowed') {
      throw new IdpConfigError(
        'metadataXml',
        'doctype_not_allowed',
        'The metadata contains a DOCTYPE or entity declaration, which is not allowed.',
      );
    }
    throw new IdpConfigError('metadataXml', 'not_xml', `The metadata is ${error.message}.`);
  }
}

function singleIdentityProvider(root: Element | null): { entity: Element; idp: Element } {
  if (root === null || !isMetadataElement(root, 'EntityDescriptor', 'EntitiesDescriptor')) {
    throw new IdpConfigError(
      'metadataXml',
      'not_metadata',
      'The document is not SAML 2.0 metadata: expected an EntityDescriptor or EntitiesDescriptor.',
    );
  }
  const candidates = entityDescriptors(root).flatMap((entity) =>
    childElements(entity, METADATA_NS, 'IDPSSODescriptor')
      .filter(supportsSaml2)
      .map((idp) => ({ entity, idp })),
  );
  if (candidates.length === 0) {
    throw new IdpConfigError(
      'metadataXml',
      'no_idp_descriptor',
      'The metadata describes no SAML 2.0 identity provider (IDPSSODescriptor). Is it the service provider side?',
    );
  }
  if (candidates.length > 1) {
    throw new IdpConfigError(
      'metadataXml',
      'multiple_idp_descriptors',
      `The metadata describes ${candidates.length} identity providers; provide the metadata of exactly one.`,
    );
  }
  return candidates[0];
}

function entityDescriptors(element: Element): Element[] {
  if (element.localName === 'EntityDescriptor') {
    return [element];
  }
  return childElements(element, METADATA_NS, 'EntityDescriptor', 'EntitiesDescriptor').flatMap(entityDescriptors);
}

function supportsSaml2(roleDescriptor: Element): boolean {
  const protocols = (roleDescriptor.getAttribute('protocolSupportEnumeration') ?? '').split(/\s+/);
  return protocols.includes(SAML2_PROTOCOL);
}

function preferredEndpoint(idp: Element, service: string, field: 'ssoUrl' | 'sloUrl'): Endpoint | null {
  const endpoints = childElements(idp, METADATA_NS, service);
  for (const [binding, bindingUri] of SUPPORTED_BINDINGS) {
    const endpoint = endpoints.find((element) => element.getAttribute('Binding') === bindingUri);
    if (endpoint !== undefined) {
      return { url: validEndpointUrl(endpoint.getAttribute('Location'), field), binding };
    }
  }
  return null;
}

function signingCertificates(idp: Element): string[] {
  const certificates = new Set<string>();
  for (const keyDescriptor of childElements(idp, METADATA_NS, 'KeyDescriptor')) {
    const use = keyDescriptor.getAttribute('use');
    // A KeyDescriptor without `use` serves both purposes.
    if (use !== null && use !== '' && use !== 'signing') {
      continue;
    }
    for (const keyInfo of childElements(keyDescriptor, XMLDSIG_NS, 'KeyInfo')) {
      for (const x509Data of childElements(keyInfo, XMLDSIG_NS, 'X509Data')) {
        for (const x509Certificate of childElements(x509Data, XMLDSIG_NS, 'X509Certificate')) {
          certificates.add(normalizeCertificate(x509Certificate.textContent ?? ''));
        }
      }
    }
  }
  if (certificates.size === 0) {
    throw new IdpConfigError(
      'certificate',
      'no_signing_certificate',
      'The IdP metadata carries no signing certificate (KeyDescriptor with an X509Certificate).',
    );
  }
  return [...certificates];
}

function childElements(parent: Element, namespace: string, ...localNames: string[]): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (isElement(node) && node.namespaceURI === namespace && localNames.includes(node.localName ?? '')) {
      found.push(node);
    }
  }
  return found;
}

function isMetadataElement(element: Element, ...localNames: string[]): boolean {
  return element.namespaceURI === METADATA_NS && localNames.includes(element.localName ?? '');
}

function isElement(node: Node): node is Element {
  return node.nodeType === node.ELEMENT_NODE;
}

function isXsdTrue(value: string | null): boolean {
  const text = value?.trim();
  return text === 'true' || text === '1';
}
