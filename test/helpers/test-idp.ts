import { randomUUID, sign } from 'node:crypto';
import { Saml20 } from 'saml';
import { SignedXml, type SignatureAlgorithm } from 'xml-crypto';
import * as xmlEncryption from 'xml-encryption';
import type { LoginResponseExpectations } from '../../src/saml/validate-login-response';
import { testCredential, type TestCredential } from './test-credentials';

export const IDP_ENTITY_ID = 'https://idp.example.test/metadata';
export const SP_ENTITY_ID = 'https://sso.example.test/saml/organization/org-1/metadata';
export const ACS_URL = 'https://sso.example.test/saml/organization/org-1/acs';
export const DEFAULT_NAME_ID = 'jane.doe@example.com';
export const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
export const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

const SAMLP_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';

const SIGNATURE_ALGORITHMS = {
  'rsa-sha1': 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  'rsa-sha256': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'rsa-sha512': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'ecdsa-sha256': 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  'ecdsa-sha384': 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384',
  'ecdsa-sha512': 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512',
} as const;

const DIGEST_ALGORITHMS = {
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
} as const;

const BLOCK_ALGORITHMS = {
  'aes128-gcm': 'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  'aes256-gcm': 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  'aes128-cbc': 'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
  'aes256-cbc': 'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
} as const;

const KEY_TRANSPORTS = {
  'rsa-oaep-mgf1p': 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
  'rsa-1_5': 'http://www.w3.org/2001/04/xmlenc#rsa-1_5',
} as const;

export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

export type SignatureAlgorithmName = keyof typeof SIGNATURE_ALGORITHMS;
export type DigestAlgorithmName = keyof typeof DIGEST_ALGORITHMS;
export type SignedParts = 'assertion' | 'response' | 'both' | 'none';

export interface EncryptionOptions {
  blockAlgorithm?: keyof typeof BLOCK_ALGORITHMS;
  keyTransport?: keyof typeof KEY_TRANSPORTS;
  /** The OAEP digest; MGF1 stays SHA-1 as rsa-oaep-mgf1p fixes it. */
  oaepDigest?: 'sha1' | 'sha256';
  /** The SP's encryption certificate; the `sp` test credential by default. */
  credential?: TestCredential;
}

export interface SigningOptions {
  credential?: TestCredential;
  signatureAlgorithm?: SignatureAlgorithmName;
  digestAlgorithm?: DigestAlgorithmName;
}

/** Content of the assertion; every field has a default that passes validation. */
export interface TestAssertionOptions {
  assertionId?: string;
  /** null leaves the Issuer out. */
  issuer?: string | null;
  /** null leaves the Subject out. */
  nameId?: string | null;
  nameIdFormat?: string;
  /** More attributes of the NameID (NameQualifier, SPNameQualifier, SPProvidedID), escaped here. */
  nameIdAttributes?: Record<string, string>;
  confirmationMethod?: string;
  /** null leaves the attribute out. */
  recipient?: string | null;
  /** Defaults to the Response's inResponseTo. */
  subjectInResponseTo?: string | null;
  subjectNotBefore?: Date | null;
  subjectNotOnOrAfter?: Date | null;
  /** false leaves Conditions out altogether. */
  conditions?: boolean;
  notBefore?: Date | null;
  notOnOrAfter?: Date | null;
  /** null leaves AudienceRestriction out; several lists make several restrictions. */
  audiences?: string[][] | null;
  sessionIndex?: string | null;
  sessionNotOnOrAfter?: Date | null;
  attributes?: Record<string, string | string[]>;
}

export interface TestResponseOptions extends TestAssertionOptions, SigningOptions {
  /** The IdP's clock; validation should use the same `now`. */
  now?: Date;
  responseId?: string;
  /** Defaults to the assertion's issuer; null leaves it out. */
  responseIssuer?: string | null;
  /** null leaves it out. */
  destination?: string | null;
  inResponseTo?: string | null;
  statusCode?: string;
  sign?: SignedParts;
  encrypt?: boolean | EncryptionOptions;
  /** Edits the unsigned Response XML (the encrypted assertion already inside it) before signing. */
  beforeSigning?: (responseXml: string) => string;
}

export interface TestResponse {
  xml: string;
  base64: string;
}

export function toBase64(xml: string): TestResponse {
  return { xml, base64: Buffer.from(xml, 'utf8').toString('base64') };
}

/** What a tenant configured with the test IdP and test SP expects. */
export function expectationsFor(overrides: Partial<LoginResponseExpectations> = {}): LoginResponseExpectations {
  return {
    idpEntityId: IDP_ENTITY_ID,
    idpKeys: [testCredential('idp').publicKey],
    spEntityId: SP_ENTITY_ID,
    acsUrl: ACS_URL,
    spDecryptionKey: testCredential('sp').privateKey,
    clockSkewSeconds: 120,
    allowSha1Signatures: false,
    allowCbcEncryption: false,
    now: new Date(),
    ...overrides,
  };
}

/**
 * A Response whose assertion is built here, field by field, and signed by xml-crypto's SignedXml
 * in place inside the Response, as IdPs do (the assertion inherits the Response's namespace
 * declarations). Encrypted assertions are signed on their own first, then encrypted.
 */
export async function createTestResponse(options: TestResponseOptions = {}): Promise<TestResponse> {
  const now = options.now ?? new Date();
  const sign = options.sign ?? 'assertion';
  const signsAssertion = sign === 'assertion' || sign === 'both';
  let assertionXml: string;
  if (options.encrypt) {
    const standalone = buildAssertionXml(options, now, true);
    const signed = signsAssertion ? signElement(standalone, 'Assertion', options) : standalone;
    assertionXml = await encryptAssertionXml(signed, options.encrypt === true ? {} : options.encrypt);
  } else {
    assertionXml = buildAssertionXml(options, now, false);
  }
  let xml = buildResponseXml(assertionXml, options, now);
  if (options.beforeSigning) {
    xml = options.beforeSigning(xml);
  }
  if (signsAssertion && !options.encrypt) {
    xml = signElement(xml, 'Assertion', options);
  }
  if (sign === 'response' || sign === 'both') {
    xml = signElement(xml, 'Response', options);
  }
  return toBase64(xml);
}

/**
 * A Response around an assertion made, signed and optionally encrypted by auth0's `saml` package
 * (its own xml-crypto 2 and xml-encryption 4): an implementation independent of the verifier.
 */
export async function createSamlPackageResponse(
  options: Pick<
    TestResponseOptions,
    | 'issuer'
    | 'nameId'
    | 'nameIdFormat'
    | 'audiences'
    | 'recipient'
    | 'inResponseTo'
    | 'sessionIndex'
    | 'attributes'
    | 'credential'
    | 'signatureAlgorithm'
    | 'digestAlgorithm'
    | 'destination'
    | 'encrypt'
  > & { signResponse?: boolean } = {},
): Promise<TestResponse> {
  const credential = options.credential ?? testCredential('idp');
  const encryption = options.encrypt === true ? {} : options.encrypt || undefined;
  const encryptionCredential = encryption?.credential ?? testCredential('sp');
  const assertionXml = await new Promise<string>((resolve, reject) =>
    Saml20.create(
      {
        key: credential.privateKeyPem,
        cert: credential.certificatePem,
        issuer: options.issuer ?? IDP_ENTITY_ID,
        lifetimeInSeconds: 300,
        audiences: (options.audiences ?? [[SP_ENTITY_ID]]).flat(),
        recipient: options.recipient ?? ACS_URL,
        inResponseTo: options.inResponseTo ?? undefined,
        nameIdentifier: options.nameId ?? DEFAULT_NAME_ID,
        nameIdentifierFormat: options.nameIdFormat ?? EMAIL_FORMAT,
        sessionIndex: options.sessionIndex ?? '_session-1',
        attributes: options.attributes,
        signatureAlgorithm: options.signatureAlgorithm ?? 'rsa-sha256',
        digestAlgorithm: options.digestAlgorithm ?? 'sha256',
        ...(encryption && {
          encryptionCert: encryptionCredential.certificatePem,
          encryptionPublicKey: encryptionCredential.publicKeyPem,
          encryptionAlgorithm: BLOCK_ALGORITHMS[encryption.blockAlgorithm ?? 'aes256-gcm'],
          keyEncryptionAlgorithm: KEY_TRANSPORTS[encryption.keyTransport ?? 'rsa-oaep-mgf1p'],
          disallowEncryptionWithInsecureAlgorithm: false,
          warnOnInsecureEncryptionAlgorithm: false,
        }),
      },
      (error, xml) => (error ? reject(error) : resolve(xml as string)),
    ),
  );
  let xml = buildResponseXml(assertionXml, options, new Date());
  if (options.signResponse) {
    xml = signElement(xml, 'Response', options);
  }
  return toBase64(xml);
}

export function buildAssertionXml(options: TestAssertionOptions, now: Date, standalone: boolean): string {
  const inMinutes = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
  const subjectNotOnOrAfter = valueOr(options.subjectNotOnOrAfter, inMinutes(5));
  const inResponseTo = valueOr(options.subjectInResponseTo, (options as TestResponseOptions).inResponseTo ?? null);
  const issuer = valueOr(options.issuer, IDP_ENTITY_ID);
  const audiences = valueOr(options.audiences, [[SP_ENTITY_ID]]);
  const namespaces = standalone
    ? ` xmlns:saml="${SAML_NS}" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`
    : '';
  const lines = [
    `<saml:Assertion${namespaces} ID="${options.assertionId ?? uniqueId()}" Version="2.0" IssueInstant="${now.toISOString()}">`,
    issuer === null ? '' : `  <saml:Issuer>${escapeXml(issuer)}</saml:Issuer>`,
  ];
  const nameId = valueOr(options.nameId, DEFAULT_NAME_ID);
  if (nameId !== null) {
    lines.push(
      '  <saml:Subject>',
      `    <saml:NameID Format="${options.nameIdFormat ?? EMAIL_FORMAT}"${attributes(options.nameIdAttributes ?? {})}>${escapeXml(nameId)}</saml:NameID>`,
      `    <saml:SubjectConfirmation Method="${options.confirmationMethod ?? BEARER}">`,
      `      <saml:SubjectConfirmationData${attributes({
        InResponseTo: inResponseTo,
        NotBefore: valueOr(options.subjectNotBefore, null)?.toISOString() ?? null,
        NotOnOrAfter: subjectNotOnOrAfter?.toISOString() ?? null,
        Recipient: valueOr(options.recipient, ACS_URL),
      })}/>`,
      '    </saml:SubjectConfirmation>',
      '  </saml:Subject>',
    );
  }
  if (options.conditions !== false) {
    lines.push(
      `  <saml:Conditions${attributes({
        NotBefore: valueOr(options.notBefore, inMinutes(-1))?.toISOString() ?? null,
        NotOnOrAfter: valueOr(options.notOnOrAfter, inMinutes(5))?.toISOString() ?? null,
      })}>`,
      ...(audiences ?? []).map(
        (restriction) =>
          `    <saml:AudienceRestriction>${restriction
            .map((audience) => `<saml:Audience>${escapeXml(audience)}</saml:Audience>`)
            .join('')}</saml:AudienceRestriction>`,
      ),
      '  </saml:Conditions>',
    );
  }
  lines.push(
    `  <saml:AuthnStatement${attributes({
      AuthnInstant: now.toISOString(),
      SessionIndex: valueOr(options.sessionIndex, '_session-1'),
      SessionNotOnOrAfter: valueOr(options.sessionNotOnOrAfter, null)?.toISOString() ?? null,
    })}>`,
    '    <saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>',
    '  </saml:AuthnStatement>',
  );
  if (options.attributes !== undefined) {
    lines.push('  <saml:AttributeStatement>');
    for (const [name, value] of Object.entries(options.attributes)) {
      const values = Array.isArray(value) ? value : [value];
      lines.push(
        `    <saml:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">`,
        ...values.map((item) => `      <saml:AttributeValue xsi:type="xs:string">${escapeXml(item)}</saml:AttributeValue>`),
        '    </saml:Attribute>',
      );
    }
    lines.push('  </saml:AttributeStatement>');
  }
  lines.push('</saml:Assertion>');
  return lines.filter((line) => line !== '').join('\n');
}

export function buildResponseXml(
  assertionXml: string,
  options: Pick<TestResponseOptions, 'responseId' | 'responseIssuer' | 'issuer' | 'destination' | 'inResponseTo' | 'statusCode'>,
  now: Date,
): string {
  const issuer = valueOr(options.responseIssuer, valueOr(options.issuer, IDP_ENTITY_ID));
  return [
    `<samlp:Response xmlns:samlp="${SAMLP_NS}" xmlns:saml="${SAML_NS}" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"${attributes(
      {
        ID: options.responseId ?? uniqueId(),
        Version: '2.0',
        IssueInstant: now.toISOString(),
        Destination: valueOr(options.destination, ACS_URL),
        InResponseTo: valueOr(options.inResponseTo, null),
      },
    )}>`,
    issuer === null ? '' : `  <saml:Issuer>${escapeXml(issuer)}</saml:Issuer>`,
    `  <samlp:Status><samlp:StatusCode Value="${options.statusCode ?? STATUS_SUCCESS}"/></samlp:Status>`,
    assertionXml,
    '</samlp:Response>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

export interface SignElementOptions extends SigningOptions {
  /** InclusiveNamespaces PrefixList of the Reference's exclusive c14n transform. */
  inclusivePrefixes?: string[];
  /** InclusiveNamespaces PrefixList of SignedInfo's CanonicalizationMethod. */
  signedInfoInclusivePrefixes?: string[];
  signedInfoCanonicalization?: string;
  transforms?: string[];
}

/**
 * Signs the first element with this local name with xml-crypto's SignedXml, as IdPs do:
 * enveloped, exclusive c14n, the Signature right after the element's Issuer, the certificate in
 * KeyInfo.
 */
export function signElement(xml: string, localName: 'Assertion' | 'Response', options: SignElementOptions = {}): string {
  const credential = options.credential ?? testCredential('idp');
  const algorithmName = options.signatureAlgorithm ?? 'rsa-sha256';
  const signer = new SignedXml({
    privateKey: credential.privateKeyPem,
    publicCert: credential.certificatePem,
    signatureAlgorithm: SIGNATURE_ALGORITHMS[algorithmName],
    canonicalizationAlgorithm: options.signedInfoCanonicalization ?? EXC_C14N,
    inclusiveNamespacesPrefixList: options.signedInfoInclusivePrefixes,
  });
  if (algorithmName.startsWith('ecdsa-')) {
    signer.SignatureAlgorithms = { ...signer.SignatureAlgorithms, [SIGNATURE_ALGORITHMS[algorithmName]]: ecdsaSigner(algorithmName) };
  }
  const element = `//*[local-name(.)='${localName}']`;
  signer.addReference({
    xpath: element,
    transforms: options.transforms ?? [ENVELOPED_SIGNATURE, EXC_C14N],
    digestAlgorithm: DIGEST_ALGORITHMS[options.digestAlgorithm ?? 'sha256'],
    inclusiveNamespacesPrefixList: options.inclusivePrefixes,
  });
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `(${element})[1]/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return signer.getSignedXml();
}

/**
 * xml-crypto signs with RSA only; node's crypto signs ECDSA, with the r‖s value XML-DSig defines
 * (RFC 4051 §2.3.6), while xml-crypto still canonicalizes and digests.
 */
function ecdsaSigner(algorithmName: SignatureAlgorithmName): new () => SignatureAlgorithm {
  const uri = SIGNATURE_ALGORITHMS[algorithmName];
  const hash = algorithmName.slice('ecdsa-'.length);
  return class EcdsaSignature {
    getSignature(signedInfo: string, privateKey: string | Buffer): string {
      return sign(hash, Buffer.from(signedInfo, 'utf8'), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64');
    }

    verifySignature(): boolean {
      throw new Error('the test IdP only signs');
    }

    getAlgorithmName(): string {
      return uri;
    }
  } as unknown as new () => SignatureAlgorithm;
}

/** An EncryptedAssertion holding any plaintext, encrypted for the SP as xml-encryption does it. */
export async function encryptAssertionXml(
  assertionXml: string,
  encryption: EncryptionOptions = {},
): Promise<string> {
  const credential = encryption.credential ?? testCredential('sp');
  const encrypted = await new Promise<string>((resolve, reject) =>
    xmlEncryption.encrypt(
      assertionXml,
      {
        rsa_pub: credential.publicKeyPem,
        pem: credential.certificatePem,
        encryptionAlgorithm: BLOCK_ALGORITHMS[encryption.blockAlgorithm ?? 'aes256-gcm'],
        keyEncryptionAlgorithm: KEY_TRANSPORTS[encryption.keyTransport ?? 'rsa-oaep-mgf1p'],
        keyEncryptionDigest: encryption.oaepDigest ?? 'sha1',
        disallowEncryptionWithInsecureAlgorithm: false,
        warnInsecureAlgorithm: false,
      } as xmlEncryption.EncryptOptions,
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
  return `<saml:EncryptedAssertion>${encrypted}</saml:EncryptedAssertion>`;
}

export function uniqueId(): string {
  return `_${randomUUID()}`;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function attributes(values: Record<string, string | null>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    // Line breaks and tabs as references: a parser would normalize them to spaces in an attribute.
    .map(([name, value]) => ` ${name}="${escapeXml(value).replace(/\n/g, '&#10;').replace(/\t/g, '&#9;')}"`)
    .join('');
}

function valueOr<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}
