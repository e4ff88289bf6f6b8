import { createHash, createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { generateSpIdentity } from '../../src/sso-config/sp/sp-identity';

const SAML_PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML_ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const XML_SCHEMA_NS = 'http://www.w3.org/2001/XMLSchema';
const XML_SCHEMA_INSTANCE_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const ENTITY_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const UNSPECIFIED_ATTRIBUTE_FORMAT = 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified';
const PASSWORD_PROTECTED_TRANSPORT = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';
const DEFAULT_VALIDITY_SECONDS = 300;

/** Where a response is sent: the tenant's SP as its settings name it. */
export interface ServiceProviderTarget {
  entityId: string;
  acsUrl: string;
}

export interface BenchUser {
  email: string;
  firstName: string;
  lastName: string;
  groups: string[];
}

/** A signed SAMLResponse (base64) and the email of the user it logs in. */
export interface SignedLogin {
  samlResponse: string;
  email: string;
}

export interface ResponseOptions {
  /** The AuthnRequest ID for an SP-initiated login; absent for IdP-initiated. */
  inResponseTo?: string;
  /** How long the assertion stays acceptable from now. */
  validForSeconds?: number;
}

/**
 * A stand-in for Okta: an RSA-2048 key with a self-signed certificate, and responses laid out as
 * Okta lays them out (saml2p/saml2 prefixes, only the assertion signed, enveloped + exclusive c14n
 * keeping the `xs` prefix, RSA-SHA256, SHA-256 digest, the certificate in KeyInfo, User.*
 * attributes), about 5.8 KB each.
 *
 * xml-crypto's signer costs ~12 ms a response (it parses, runs XPath and re-serializes), which
 * would make generating 20,000 responses take minutes. The assertion and SignedInfo are therefore
 * written directly in their exclusive-c14n form, so the digest and signature are computed over the
 * very text sent; `assertSignaturesVerifyWithXmlCrypto` proves a response valid to xml-crypto's
 * verifier before any is used.
 */
export class OktaLikeIdp {
  readonly entityId = `http://www.okta.com/exk${randomBytes(10).toString('hex')}`;
  readonly ssoUrl = 'https://bench-idp.example.test/app/bench/sso/saml';
  readonly certificatePem: string;
  private readonly certificateBase64: string;
  private readonly privateKey: KeyObject;

  constructor() {
    const credential = generateSpIdentity('bench-idp.example.test');
    this.certificatePem = credential.certificatePem;
    this.certificateBase64 = credential.certificatePem.replace(/-----[A-Z ]+-----|\s/g, '');
    this.privateKey = createPrivateKey(credential.privateKeyPem);
  }

  /** This IdP's metadata, taking AuthnRequests on the HTTP-POST binding only. */
  postOnlyMetadataXml(): string {
    return (
      `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${escapeAttribute(this.entityId)}">` +
      `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="true">` +
      `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>` +
      `${this.certificateBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
      `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escapeAttribute(this.ssoUrl)}"/>` +
      `</md:IDPSSODescriptor></md:EntityDescriptor>`
    );
  }

  /** A signed SAMLResponse, base64 as the HTTP-POST binding carries it. */
  signedResponse(sp: ServiceProviderTarget, user: BenchUser, options: ResponseOptions = {}): string {
    return Buffer.from(this.signedResponseXml(sp, user, options), 'utf8').toString('base64');
  }

  signedResponseXml(sp: ServiceProviderTarget, user: BenchUser, options: ResponseOptions = {}): string {
    const now = new Date();
    const assertionId = oktaId();
    const { head, afterIssuer } = canonicalAssertionParts(assertionId, this.entityId, sp, user, now, options);
    const digest = createHash('sha256').update(head).update(afterIssuer).digest('base64');
    const signedInfo = signedInfoXml(assertionId, digest);
    const signatureValue = sign('sha256', Buffer.from(canonicalSignedInfo(signedInfo), 'utf8'), this.privateKey).toString('base64');
    const signature =
      `<ds:Signature xmlns:ds="${XMLDSIG_NS}">${signedInfo}<ds:SignatureValue>${signatureValue}</ds:SignatureValue>` +
      `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${this.certificateBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>`;
    const inResponseTo = options.inResponseTo === undefined ? '' : ` InResponseTo="${escapeAttribute(options.inResponseTo)}"`;
    return (
      `<?xml version="1.0" encoding="UTF-8"?><saml2p:Response xmlns:saml2p="${SAML_PROTOCOL_NS}" Destination="${escapeAttribute(sp.acsUrl)}"` +
      ` ID="${oktaId()}"${inResponseTo} IssueInstant="${now.toISOString()}" Version="2.0" xmlns:xs="${XML_SCHEMA_NS}">` +
      `<saml2:Issuer xmlns:saml2="${SAML_ASSERTION_NS}" Format="${ENTITY_FORMAT}">${escapeText(this.entityId)}</saml2:Issuer>` +
      `<saml2p:Status xmlns:saml2p="${SAML_PROTOCOL_NS}"><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status>` +
      `${head}${signature}${afterIssuer}</saml2p:Response>`
    );
  }

  /** Throws unless xml-crypto's own verifier accepts the assertion signature of a fresh response. */
  assertSignaturesVerifyWithXmlCrypto(sp: ServiceProviderTarget): void {
    const xml = this.signedResponseXml(sp, benchUser('self-check', 0), { inResponseTo: 'id-self-check' });
    const signature = xml.slice(xml.indexOf('<ds:Signature '), xml.indexOf('</ds:Signature>') + '</ds:Signature>'.length);
    const verifier = new SignedXml({ publicCert: this.certificatePem, getCertFromKeyInfo: () => null });
    verifier.loadSignature(signature);
    if (!verifier.checkSignature(xml)) {
      throw new Error('the bench IdP signer produced a signature that xml-crypto does not verify');
    }
  }
}

/** The user number `index` of a run: distinct emails, and groups as a directory sends them. */
export function benchUser(runId: string, index: number): BenchUser {
  return {
    email: `user${index}.${runId}@bench.example.com`,
    firstName: `First${index}`,
    lastName: `Last${index}`,
    groups: ['Everyone', `Department-${index % 12}`, `Project-${index % 40}`, 'VPN-Users', 'Office-Paris'],
  };
}

/**
 * The assertion in exclusive-c14n form (namespace declarations first, attributes in order, no
 * empty-element tags), split where the Signature goes: right after the Issuer.
 */
function canonicalAssertionParts(
  assertionId: string,
  issuer: string,
  sp: ServiceProviderTarget,
  user: BenchUser,
  now: Date,
  options: ResponseOptions,
): { head: string; afterIssuer: string } {
  const validForMs = (options.validForSeconds ?? DEFAULT_VALIDITY_SECONDS) * 1000;
  const notBefore = new Date(now.getTime() - 60_000).toISOString();
  const notOnOrAfter = new Date(now.getTime() + validForMs).toISOString();
  const inResponseTo = options.inResponseTo === undefined ? '' : ` InResponseTo="${escapeAttribute(options.inResponseTo)}"`;
  const attributes: [string, string[]][] = [
    ['User.Email', [user.email]],
    ['User.FirstName', [user.firstName]],
    ['User.LastName', [user.lastName]],
    ['User.groups', user.groups],
  ];
  const head =
    `<saml2:Assertion xmlns:saml2="${SAML_ASSERTION_NS}" xmlns:xs="${XML_SCHEMA_NS}" ID="${assertionId}" IssueInstant="${now.toISOString()}" Version="2.0">` +
    `<saml2:Issuer Format="${ENTITY_FORMAT}">${escapeText(issuer)}</saml2:Issuer>`;
  const afterIssuer =
    `<saml2:Subject><saml2:NameID Format="${EMAIL_FORMAT}">${escapeText(user.email)}</saml2:NameID>` +
    `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData${inResponseTo}` +
    ` NotOnOrAfter="${notOnOrAfter}" Recipient="${escapeAttribute(sp.acsUrl)}"></saml2:SubjectConfirmationData></saml2:SubjectConfirmation></saml2:Subject>` +
    `<saml2:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}"><saml2:AudienceRestriction>` +
    `<saml2:Audience>${escapeText(sp.entityId)}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>` +
    `<saml2:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${oktaId()}"><saml2:AuthnContext>` +
    `<saml2:AuthnContextClassRef>${PASSWORD_PROTECTED_TRANSPORT}</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>` +
    `<saml2:AttributeStatement>${attributes.map(([name, values]) => attributeXml(name, values)).join('')}</saml2:AttributeStatement>` +
    '</saml2:Assertion>';
  return { head, afterIssuer };
}

function attributeXml(name: string, values: string[]): string {
  const valueXml = values
    .map(
      (value) =>
        `<saml2:AttributeValue xmlns:xsi="${XML_SCHEMA_INSTANCE_NS}" xsi:type="xs:string">${escapeText(value)}</saml2:AttributeValue>`,
    )
    .join('');
  return `<saml2:Attribute Name="${escapeAttribute(name)}" NameFormat="${UNSPECIFIED_ATTRIBUTE_FORMAT}">${valueXml}</saml2:Attribute>`;
}

/** SignedInfo as it sits inside ds:Signature, which declares the ds prefix. */
function signedInfoXml(assertionId: string, digest: string): string {
  return (
    `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${EXC_C14N}"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="${RSA_SHA256}"></ds:SignatureMethod><ds:Reference URI="#${assertionId}"><ds:Transforms>` +
    `<ds:Transform Algorithm="${ENVELOPED_SIGNATURE}"></ds:Transform><ds:Transform Algorithm="${EXC_C14N}">` +
    `<ec:InclusiveNamespaces xmlns:ec="${EXC_C14N}" PrefixList="xs"></ec:InclusiveNamespaces></ds:Transform></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${SHA256}"></ds:DigestMethod><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>`
  );
}

// Canonicalized on its own, SignedInfo is the apex and so declares the ds prefix it uses.
function canonicalSignedInfo(signedInfo: string): string {
  return `<ds:SignedInfo xmlns:ds="${XMLDSIG_NS}">${signedInfo.slice('<ds:SignedInfo>'.length)}`;
}

// Okta's IDs: "id" followed by digits.
function oktaId(): string {
  const random = randomBytes(12);
  return `id${random.readBigUInt64BE()}${random.readUInt32BE(8)}`;
}

// The escapes of canonical XML, so that the text sent is its own canonical form.
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

function escapeAttribute(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
}
