import { createHash, randomUUID, sign, type KeyObject } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { parseHardenedXml } from '../../common/xml/hardened-xml';
import { ENVELOPED_SIGNATURE } from '../crypto/algorithms';
import { canonicalizeExclusive } from '../crypto/exclusive-canonicalization';
import { EXC_C14N_NS, SAML_ASSERTION_NS, SAML_PROTOCOL_NS, XMLDSIG_NS } from '../xml/namespaces';
import { BINDING, NAME_ID_FORMATS, RSA_SHA256 } from './samlify-entities';

/** The NameID format the AuthnRequest asks for: the first one the SP metadata lists, as samlify did. */
const REQUESTED_NAME_ID_FORMAT = NAME_ID_FORMATS[0];
const SHA256_DIGEST = 'http://www.w3.org/2001/04/xmlenc#sha256';

export interface AuthnRequestContent {
  id: string;
  issueInstant: Date;
  /** The IdP's SSO URL, exactly as configured (a query string included). */
  destination: string;
  acsUrl: string;
  issuer: string;
  /** ForceAuthn="true": the IdP authenticates the user afresh, even within a session of its own (OpenID Connect's `prompt=login`). */
  forceAuthn?: boolean;
  /** IsPassive="true": the IdP must not take control of the user interface, and answers NoPassive when it would have to. */
  isPassive?: boolean;
}

export interface SigningCredential {
  privateKey: KeyObject;
  /** The certificate's base64 DER, sent in KeyInfo as samlify did; IdPs verify with their own copy. */
  certificateBase64: string;
}

export const newAuthnRequestId = (): string => `_${randomUUID()}`;

/**
 * The AuthnRequest (saml-core 3.4.1) with the elements and attributes samlify's template emitted,
 * plus ForceAuthn and IsPassive when asked for (absent means false).
 * Built by hand, as a string, because the login start is a hot path: samlify's createLoginRequest
 * cost 1.2–2.0 ms of CPU per Redirect request (templating, node-rsa re-reading the PEM key every
 * time) and 2.2–3.0 ms per POST request (xml-crypto's signer), against 0.33–0.41 ms here, most of it
 * the RSA signature (`npm run bench` prints both, docs/performance.md). samlify still writes the
 * SP metadata, where speed does not matter. Every interpolated value is escaped.
 */
export function authnRequestXml(content: AuthnRequestContent, signature = ''): string {
  return (
    `<samlp:AuthnRequest xmlns:samlp="${SAML_PROTOCOL_NS}" xmlns:saml="${SAML_ASSERTION_NS}"` +
    ` ID="${escapeAttribute(content.id)}" Version="2.0" IssueInstant="${content.issueInstant.toISOString()}"` +
    ` Destination="${escapeAttribute(content.destination)}" ProtocolBinding="${BINDING.post}"` +
    ` AssertionConsumerServiceURL="${escapeAttribute(content.acsUrl)}"` +
    `${content.forceAuthn ? ' ForceAuthn="true"' : ''}${content.isPassive ? ' IsPassive="true"' : ''}>` +
    `<saml:Issuer>${escapeText(content.issuer)}</saml:Issuer>${signature}` +
    `<samlp:NameIDPolicy Format="${REQUESTED_NAME_ID_FORMAT}" AllowCreate="false"/></samlp:AuthnRequest>`
  );
}

/**
 * The HTTP-Redirect binding (saml-bindings 3.4.4.1): deflated, base64 and URL-encoded, and signed
 * over the query octets `SAMLRequest=…&RelayState=…&SigAlg=…` exactly as they appear in the URL.
 */
export function redirectAuthnRequestUrl(content: AuthnRequestContent, relayState: string, privateKey: KeyObject): string {
  const message = encodeURIComponent(deflateRawSync(authnRequestXml(content)).toString('base64'));
  const signedOctets = `SAMLRequest=${message}&RelayState=${encodeURIComponent(relayState)}&SigAlg=${encodeURIComponent(RSA_SHA256)}`;
  const signature = sign('sha256', Buffer.from(signedOctets, 'utf8'), privateKey).toString('base64');
  const separator = content.destination.includes('?') ? '&' : '?';
  return `${content.destination}${separator}${signedOctets}&Signature=${encodeURIComponent(signature)}`;
}

/**
 * The HTTP-POST binding's AuthnRequest, base64: an enveloped XML signature (RSA-SHA256, exclusive
 * c14n) placed after the Issuer as the schema orders it. The digest is over the exclusive c14n of
 * the unsigned request by the same canonicalizer the ACS verifies with; SignedInfo is written in
 * its canonical form, so the octets signed are the ones a verifier canonicalizes.
 */
export function postAuthnRequest(content: AuthnRequestContent, credential: SigningCredential): string {
  const unsigned = parseHardenedXml(authnRequestXml(content)).documentElement!;
  const digest = createHash('sha256')
    .update(canonicalizeExclusive(unsigned, { inclusivePrefixes: [], withComments: false }), 'utf8')
    .digest('base64');
  const signedInfo =
    `<ds:SignedInfo xmlns:ds="${XMLDSIG_NS}">` +
    `<ds:CanonicalizationMethod Algorithm="${EXC_C14N_NS}"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="${RSA_SHA256}"></ds:SignatureMethod>` +
    `<ds:Reference URI="#${escapeCanonicalAttribute(content.id)}"><ds:Transforms>` +
    `<ds:Transform Algorithm="${ENVELOPED_SIGNATURE}"></ds:Transform>` +
    `<ds:Transform Algorithm="${EXC_C14N_NS}"></ds:Transform></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${SHA256_DIGEST}"></ds:DigestMethod>` +
    `<ds:DigestValue>${digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>`;
  const signatureValue = sign('sha256', Buffer.from(signedInfo, 'utf8'), credential.privateKey).toString('base64');
  const signature =
    `<ds:Signature xmlns:ds="${XMLDSIG_NS}">${signedInfo}<ds:SignatureValue>${signatureValue}</ds:SignatureValue>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${credential.certificateBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>`;
  return Buffer.from(authnRequestXml(content, signature), 'utf8').toString('base64');
}

function escapeText(value: string): string {
  return value.replace(/[&<>]/g, (character) => TEXT_ESCAPES[character]);
}

/** Quotes, and the whitespace a parser would otherwise normalize to spaces (XML 1.0 §3.3.3). */
function escapeAttribute(value: string): string {
  return value.replace(/[&<>"'\t\n\r]/g, (character) => ATTRIBUTE_ESCAPES[character]);
}

/** An attribute value as exclusive c14n renders it, so that SignedInfo is already canonical. */
function escapeCanonicalAttribute(value: string): string {
  return value.replace(/[&<"\t\n\r]/g, (character) => ATTRIBUTE_ESCAPES[character]);
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTRIBUTE_ESCAPES: Record<string, string> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};
