import type { Element } from '@xmldom/xmldom';
import { SamlValidationError } from '../../../src/saml/saml-error';
import {
  validateLoginResponse,
  type LoginResponseExpectations,
  type ValidatedLogin,
} from '../../../src/saml/validate-login-response';
import { edit, first, resignWithAttackerKey, tamperNameId, withEntityDeclaration } from '../../helpers/saml-attacks';
import { testCredential } from '../../helpers/test-credentials';
import {
  buildAssertionXml,
  buildResponseXml,
  createSamlPackageResponse,
  createTestResponse,
  DEFAULT_NAME_ID,
  EMAIL_FORMAT,
  encryptAssertionXml,
  ENVELOPED_SIGNATURE,
  expectationsFor,
  IDP_ENTITY_ID,
  signElement,
  SP_ENTITY_ID,
  toBase64,
  type SignedParts,
  type TestResponse,
  type TestResponseOptions,
} from '../../helpers/test-idp';

const NOW = new Date('2030-06-01T12:00:00.000Z');
const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const SAMLP_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

function minutesFromNow(minutes: number): Date {
  return new Date(NOW.getTime() + minutes * 60_000);
}

function validate(response: TestResponse, overrides: Partial<LoginResponseExpectations> = {}): ValidatedLogin {
  return validateLoginResponse(response.base64, expectationsFor({ now: NOW, ...overrides }));
}

function reasonOf(response: TestResponse, overrides: Partial<LoginResponseExpectations> = {}): string {
  try {
    validate(response, overrides);
  } catch (error) {
    if (error instanceof SamlValidationError) {
      return error.reason;
    }
    throw error;
  }
  return 'accepted';
}

function respond(options: TestResponseOptions = {}): Promise<TestResponse> {
  return createTestResponse({ now: NOW, ...options });
}

describe('validateLoginResponse accepts', () => {
  describe.each<SignedParts>(['assertion', 'response', 'both'])('a response with the %s signed', (sign) => {
    it('in clear', async () => {
      const login = validate(await respond({ sign }));
      expect(login.nameId).toBe(DEFAULT_NAME_ID);
    });

    it('with the assertion encrypted', async () => {
      const login = validate(await respond({ sign, encrypt: true }));
      expect(login.nameId).toBe(DEFAULT_NAME_ID);
    });
  });

  describe('responses whose assertion the saml package signed', () => {
    it.each([
      ['alone', {}],
      ['under a signed Response', { signResponse: true }],
      ['and encrypted', { encrypt: true }],
      ['and encrypted under a signed Response', { encrypt: true, signResponse: true }],
    ])('%s', async (_name, options) => {
      const login = validateLoginResponse(
        (await createSamlPackageResponse({ inResponseTo: '_request-1', ...options })).base64,
        expectationsFor(),
      );
      expect(login).toMatchObject({ nameId: DEFAULT_NAME_ID, inResponseTo: '_request-1', issuer: IDP_ENTITY_ID });
    });
  });

  it('returns what the assertion says', async () => {
    const response = await respond({
      responseId: '_response-1',
      assertionId: '_assertion-1',
      inResponseTo: '_request-1',
      sessionIndex: '_session-42',
      nameIdAttributes: { NameQualifier: 'https://idp.example.test/?a=1&b="2"', SPProvidedID: 'line\nbreak' },
      sessionNotOnOrAfter: minutesFromNow(480),
      notOnOrAfter: minutesFromNow(4),
      subjectNotOnOrAfter: minutesFromNow(3),
      attributes: { 'User.Email': 'jane.doe@example.com', 'User.groups': ['Admins', 'Engineering'] },
    });
    expect(validate(response)).toEqual({
      responseId: '_response-1',
      assertionId: '_assertion-1',
      inResponseTo: '_request-1',
      issuer: IDP_ENTITY_ID,
      nameId: DEFAULT_NAME_ID,
      nameIdFormat: EMAIL_FORMAT,
      nameQualifier: 'https://idp.example.test/?a=1&b="2"',
      spNameQualifier: null,
      spProvidedId: 'line\nbreak',
      sessionIndex: '_session-42',
      sessionNotOnOrAfter: minutesFromNow(480),
      assertionNotOnOrAfter: minutesFromNow(3),
      attributes: [
        { name: 'User.Email', friendlyName: null, values: ['jane.doe@example.com'] },
        { name: 'User.groups', friendlyName: null, values: ['Admins', 'Engineering'] },
      ],
    });
  });

  it('takes the earlier of the Conditions and confirmation ends as the assertion end', async () => {
    const response = await respond({ notOnOrAfter: minutesFromNow(2), subjectNotOnOrAfter: minutesFromNow(3) });
    expect(validate(response).assertionNotOnOrAfter).toEqual(minutesFromNow(2));
  });

  it('an IdP-initiated response, with no InResponseTo anywhere', async () => {
    expect(validate(await respond({ inResponseTo: null })).inResponseTo).toBeNull();
  });

  it('a response signed by the next certificate of a rollover', async () => {
    const next = testCredential('idp-next');
    const response = await respond({ credential: next });
    expect(reasonOf(response)).toBe('untrusted_certificate');
    expect(reasonOf(response, { idpKeys: [testCredential('idp').publicKey, next.publicKey] })).toBe('accepted');
  });

  it('SHA-1 signatures with the opt-in', async () => {
    const response = await respond({ signatureAlgorithm: 'rsa-sha1', digestAlgorithm: 'sha1' });
    expect(reasonOf(response, { allowSha1Signatures: true })).toBe('accepted');
  });

  it('AES-CBC encryption with the opt-in', async () => {
    const response = await respond({ encrypt: { blockAlgorithm: 'aes256-cbc' } });
    expect(reasonOf(response, { allowCbcEncryption: true })).toBe('accepted');
  });

  it('times just outside their bounds, within the clock skew', async () => {
    const response = await respond({
      notBefore: minutesFromNow(1),
      subjectNotBefore: minutesFromNow(1),
      notOnOrAfter: minutesFromNow(-1),
      subjectNotOnOrAfter: minutesFromNow(-1),
      sessionNotOnOrAfter: minutesFromNow(-1),
    });
    expect(reasonOf(response, { clockSkewSeconds: 90 })).toBe('accepted');
    expect(reasonOf(response, { clockSkewSeconds: 0 })).not.toBe('accepted');
  });

  it('an unsigned Response without Destination or Issuer around a signed assertion', async () => {
    expect(reasonOf(await respond({ destination: null, responseIssuer: null }))).toBe('accepted');
  });

  it('a signed Response whose assertion omits InResponseTo', async () => {
    const response = await respond({ sign: 'response', inResponseTo: '_request-1', subjectInResponseTo: null });
    expect(validate(response).inResponseTo).toBe('_request-1');
  });

  it('a Subject whose second bearer confirmation holds', async () => {
    const response = await respond({
      beforeSigning: (xml) =>
        xml.replace(
          '<saml:SubjectConfirmation ',
          `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData Recipient="https://elsewhere.example/acs" NotOnOrAfter="${minutesFromNow(5).toISOString()}"/></saml:SubjectConfirmation><saml:SubjectConfirmation `,
        ),
    });
    expect(reasonOf(response)).toBe('accepted');
  });
});

describe('validateLoginResponse refuses', () => {
  describe('malformed_request', () => {
    it('for text that is not base64', () => {
      expect(reasonOf({ xml: '', base64: 'PHNhbWxwOlJlc3BvbnNlLz4=!' })).toBe('malformed_request');
    });

    it('for a message over 1 MB', async () => {
      const padded = (await respond()).xml.replace('</samlp:Response>', `<!--${'x'.repeat(1024 * 1024)}--></samlp:Response>`);
      expect(reasonOf(toBase64(padded))).toBe('malformed_request');
    });
  });

  it('doctype_not_allowed for a DTD declaring entities', async () => {
    expect(reasonOf(withEntityDeclaration((await respond()).xml))).toBe('doctype_not_allowed');
  });

  it('invalid_xml for two root elements', async () => {
    const xml = (await respond()).xml;
    expect(reasonOf(toBase64(`${xml}${xml}`))).toBe('invalid_xml');
  });

  describe('not_a_response', () => {
    it('for another protocol message', () => {
      const request = `<samlp:AuthnRequest xmlns:samlp="${SAMLP_NS}" ID="_1" Version="2.0"/>`;
      expect(reasonOf(toBase64(request))).toBe('not_a_response');
    });

    it('for a Response outside the SAML 2.0 protocol namespace', async () => {
      const xml = (await respond()).xml.replace(`xmlns:samlp="${SAMLP_NS}"`, 'xmlns:samlp="urn:oasis:names:tc:SAML:1.0:protocol"');
      expect(reasonOf(toBase64(xml))).toBe('not_a_response');
    });

    it('for a Response of another SAML version', async () => {
      const response = await respond({ sign: 'response', beforeSigning: (xml) => xml.replace(/Version="2.0"/, 'Version="2.1"') });
      expect(reasonOf(response)).toBe('not_a_response');
    });

    it('for a Response without ID', async () => {
      const response = await respond({ beforeSigning: (xml) => xml.replace(/(<samlp:Response[^>]*) ID="[^"]*"/, '$1') });
      expect(reasonOf(response)).toBe('not_a_response');
    });
  });

  describe('duplicate_id', () => {
    it('when another element carries the assertion ID', async () => {
      const response = await respond({
        sign: 'response',
        assertionId: '_assertion-1',
        beforeSigning: (xml) =>
          xml.replace('<samlp:Status>', '<samlp:Extensions><x:Note xmlns:x="urn:example" ID="_assertion-1"/></samlp:Extensions><samlp:Status>'),
      });
      expect(reasonOf(response)).toBe('duplicate_id');
    });

    it('when an element inside a decrypted assertion carries its ID', async () => {
      const assertion = buildAssertionXml({ assertionId: '_assertion-1' }, NOW, true).replace(
        '  <saml:AuthnStatement',
        '  <saml:Advice><x:Note xmlns:x="urn:example" ID="_assertion-1"/></saml:Advice>\n  <saml:AuthnStatement',
      );
      const encrypted = await encryptAssertionXml(signElement(assertion, 'Assertion'));
      expect(reasonOf(toBase64(buildResponseXml(encrypted, {}, NOW)))).toBe('duplicate_id');
    });
  });

  describe('missing_assertion', () => {
    it('for a Response without assertion', async () => {
      const response = await respond({
        sign: 'response',
        beforeSigning: (xml) => edit(xml, (document) => remove(first(document, SAML_NS, 'Assertion'))).xml,
      });
      expect(reasonOf(response)).toBe('missing_assertion');
    });

    it('for an assertion that is not a direct child of the Response', async () => {
      const response = await respond({
        sign: 'response',
        beforeSigning: (xml) =>
          edit(xml, (document) => {
            const assertion = first(document, SAML_NS, 'Assertion');
            const extensions = document.createElementNS(SAMLP_NS, 'samlp:Extensions');
            assertion.parentNode!.replaceChild(extensions, assertion);
            extensions.appendChild(assertion);
          }).xml,
      });
      expect(reasonOf(response)).toBe('missing_assertion');
    });

    it('for an assertion without ID', async () => {
      const response = await respond({
        sign: 'response',
        beforeSigning: (xml) => edit(xml, (document) => first(document, SAML_NS, 'Assertion').removeAttribute('ID')).xml,
      });
      expect(reasonOf(response)).toBe('missing_assertion');
    });
  });

  describe('multiple_assertions', () => {
    it('for a signed Response carrying two assertions', async () => {
      const response = await respond({
        sign: 'response',
        beforeSigning: (xml) =>
          edit(xml, (document) => {
            const assertion = first(document, SAML_NS, 'Assertion');
            const second = assertion.cloneNode(true) as Element;
            second.setAttribute('ID', '_second');
            assertion.parentNode!.appendChild(second);
          }).xml,
      });
      expect(reasonOf(response)).toBe('multiple_assertions');
    });

    it('for a decrypted assertion that holds another one', async () => {
      const inner = buildAssertionXml({ assertionId: '_inner' }, NOW, true);
      const outer = buildAssertionXml({ assertionId: '_outer' }, NOW, true).replace(
        '  <saml:AuthnStatement',
        `  <saml:Advice>${inner}</saml:Advice>\n  <saml:AuthnStatement`,
      );
      const xml = buildResponseXml(await encryptAssertionXml(outer), {}, NOW);
      expect(reasonOf(toBase64(signElement(xml, 'Response')))).toBe('multiple_assertions');
    });
  });

  it('status_not_success for an error status, even with a valid signed assertion', async () => {
    for (const sign of ['assertion', 'both'] as const) {
      const response = await respond({ sign, statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Requester' });
      expect(reasonOf(response)).toBe('status_not_success');
    }
  });

  describe('unsigned', () => {
    it('for a response signed nowhere', async () => {
      expect(reasonOf(await respond({ sign: 'none' }))).toBe('unsigned');
    });

    it('for an encrypted assertion signed nowhere', async () => {
      expect(reasonOf(await respond({ sign: 'none', encrypt: true }))).toBe('unsigned');
    });
  });

  describe('invalid_signature', () => {
    it('for an assertion changed after signing', async () => {
      expect(reasonOf(tamperNameId((await respond()).xml))).toBe('invalid_signature');
    });

    it('for a Response changed after signing', async () => {
      const response = await respond({ sign: 'response' });
      expect(reasonOf(toBase64(response.xml.replace('<samlp:Status>', '<samlp:Status  >')))).toBe('accepted');
      expect(reasonOf(toBase64(response.xml.replace('Version="2.0"', 'Version="2.0" Consent="urn:x"')))).toBe(
        'invalid_signature',
      );
    });

    it('for a broken assertion signature under a valid Response signature', async () => {
      const assertionSigned = (await respond()).xml;
      const broken = edit(assertionSigned, (document) => {
        const value = first(document, DSIG_NS, 'SignatureValue');
        value.textContent = Buffer.alloc(256, 1).toString('base64');
      }).xml;
      expect(reasonOf(toBase64(signElement(broken, 'Response')))).toBe('invalid_signature');
    });

    it('for a Response carrying a second Signature besides a valid one', async () => {
      const bogus = '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/></ds:Signature>';
      const response = await respond({
        sign: 'response',
        beforeSigning: (xml) => xml.replace('<samlp:Status>', `${bogus}<samlp:Status>`),
      });
      expect(reasonOf(response)).toBe('invalid_signature');
    });
  });

  it('untrusted_certificate for an assertion re-signed with the key in its KeyInfo', async () => {
    expect(reasonOf(resignWithAttackerKey((await respond()).xml))).toBe('untrusted_certificate');
  });

  describe('weak_algorithm', () => {
    it('for an RSA-SHA1 signature without the opt-in', async () => {
      expect(reasonOf(await respond({ signatureAlgorithm: 'rsa-sha1' }))).toBe('weak_algorithm');
    });

    it('for a SHA-1 digest without the opt-in', async () => {
      expect(reasonOf(await respond({ digestAlgorithm: 'sha1', sign: 'response' }))).toBe('weak_algorithm');
    });

    it('for AES-CBC without the opt-in', async () => {
      expect(reasonOf(await respond({ encrypt: { blockAlgorithm: 'aes128-cbc' } }))).toBe('weak_algorithm');
    });

    it('for RSA 1.5 key transport, opt-ins or not', async () => {
      const response = await respond({ encrypt: { keyTransport: 'rsa-1_5' } });
      expect(reasonOf(response, { allowCbcEncryption: true, allowSha1Signatures: true })).toBe('weak_algorithm');
    });
  });

  it('unsupported_algorithm for a transform other than enveloped-signature then exclusive c14n', async () => {
    const xml = signElement((await respond({ sign: 'none' })).xml, 'Assertion', {
      transforms: [ENVELOPED_SIGNATURE, 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315'],
    });
    expect(reasonOf(toBase64(xml))).toBe('unsupported_algorithm');
  });

  describe('decryption_failed', () => {
    it('without an SP decryption key', async () => {
      expect(reasonOf(await respond({ encrypt: true }), { spDecryptionKey: undefined })).toBe('decryption_failed');
    });

    it('for an assertion encrypted for another SP', async () => {
      const response = await respond({ encrypt: { credential: testCredential('attacker') } });
      expect(reasonOf(response)).toBe('decryption_failed');
    });

    it.each([
      ['a DTD', (assertion: string) => `<!DOCTYPE a [<!ENTITY e "x">]>${assertion}`],
      ['malformed XML', (assertion: string) => assertion.replace('</saml:Assertion>', '')],
      ['something other than an Assertion', () => `<samlp:Response xmlns:samlp="${SAMLP_NS}" ID="_x" Version="2.0"/>`],
    ])('for a plaintext that is %s, without telling which', async (_name, plaintext) => {
      const xml = buildResponseXml(await encryptAssertionXml(plaintext(buildAssertionXml({}, NOW, true))), {}, NOW);
      expect(reasonOf(toBase64(signElement(xml, 'Response')))).toBe('decryption_failed');
    });
  });

  describe('issuer_mismatch', () => {
    it('for an assertion from another issuer', async () => {
      expect(reasonOf(await respond({ issuer: 'https://evil.example/idp', responseIssuer: IDP_ENTITY_ID }))).toBe(
        'issuer_mismatch',
      );
    });

    it('for a Response from another issuer', async () => {
      expect(reasonOf(await respond({ responseIssuer: 'https://evil.example/idp' }))).toBe('issuer_mismatch');
    });

    it('for an assertion without Issuer', async () => {
      const response = await respond({ sign: 'response', issuer: null, responseIssuer: IDP_ENTITY_ID });
      expect(reasonOf(response)).toBe('issuer_mismatch');
    });
  });

  describe('destination_mismatch', () => {
    it('for a Response sent to another ACS', async () => {
      expect(reasonOf(await respond({ destination: 'https://evil.example/acs' }))).toBe('destination_mismatch');
    });

    it('for a signed Response without Destination', async () => {
      expect(reasonOf(await respond({ sign: 'response', destination: null }))).toBe('destination_mismatch');
    });
  });

  describe('audience_mismatch', () => {
    it('for an assertion meant for another SP', async () => {
      expect(reasonOf(await respond({ audiences: [['https://other-sp.example']] }))).toBe('audience_mismatch');
    });

    it('when one of several restrictions leaves this SP out', async () => {
      const response = await respond({ audiences: [[SP_ENTITY_ID], ['https://other-sp.example']] });
      expect(reasonOf(response)).toBe('audience_mismatch');
    });

    it('for an assertion without AudienceRestriction', async () => {
      expect(reasonOf(await respond({ audiences: null }))).toBe('audience_mismatch');
    });

    it('for an assertion without Conditions', async () => {
      expect(reasonOf(await respond({ conditions: false }))).toBe('audience_mismatch');
    });
  });

  describe('recipient_mismatch', () => {
    it('for an assertion delivered to another ACS', async () => {
      expect(reasonOf(await respond({ recipient: 'https://evil.example/acs' }))).toBe('recipient_mismatch');
    });

    it('for a bearer confirmation without Recipient', async () => {
      expect(reasonOf(await respond({ recipient: null }))).toBe('recipient_mismatch');
    });
  });

  describe('in_response_to_mismatch', () => {
    it('when the assertion answers another request than the Response', async () => {
      const response = await respond({ inResponseTo: '_request-1', subjectInResponseTo: '_request-2' });
      expect(reasonOf(response)).toBe('in_response_to_mismatch');
    });

    it('when only the unsigned Response names a request', async () => {
      const response = await respond({ inResponseTo: '_request-1', subjectInResponseTo: null });
      expect(reasonOf(response)).toBe('in_response_to_mismatch');
    });

    it('when the assertion names a request and the Response does not', async () => {
      const response = await respond({ inResponseTo: null, subjectInResponseTo: '_request-1' });
      expect(reasonOf(response)).toBe('in_response_to_mismatch');
    });
  });

  describe('expired', () => {
    it('for Conditions past NotOnOrAfter and the skew', async () => {
      expect(reasonOf(await respond({ notOnOrAfter: minutesFromNow(-3) }))).toBe('expired');
    });

    it('for a bearer confirmation past NotOnOrAfter and the skew', async () => {
      expect(reasonOf(await respond({ subjectNotOnOrAfter: minutesFromNow(-3) }))).toBe('expired');
    });

    it('for an IdP session that has ended', async () => {
      expect(reasonOf(await respond({ sessionNotOnOrAfter: minutesFromNow(-3) }))).toBe('expired');
    });

    it('for a NotOnOrAfter that is not an xs:dateTime', async () => {
      const response = await respond({
        beforeSigning: (xml) => xml.replace(/(<saml:Conditions[^>]*NotOnOrAfter=")[^"]*/, '$1tomorrow'),
      });
      expect(reasonOf(response)).toBe('expired');
    });
  });

  describe('not_yet_valid', () => {
    it('for Conditions before NotBefore and the skew', async () => {
      expect(reasonOf(await respond({ notBefore: minutesFromNow(3) }))).toBe('not_yet_valid');
    });

    it('for a bearer confirmation before NotBefore and the skew', async () => {
      expect(reasonOf(await respond({ subjectNotBefore: minutesFromNow(3) }))).toBe('not_yet_valid');
    });
  });

  describe('missing_subject', () => {
    it('for an assertion without Subject', async () => {
      expect(reasonOf(await respond({ nameId: null }))).toBe('missing_subject');
    });

    it('for a Subject with an EncryptedID instead of a NameID', async () => {
      const response = await respond({
        beforeSigning: (xml) => xml.replace(/<saml:NameID[^>]*>[^<]*<\/saml:NameID>/, '<saml:EncryptedID/>'),
      });
      expect(reasonOf(response)).toBe('missing_subject');
    });

    it('for an empty NameID', async () => {
      expect(reasonOf(await respond({ nameId: '' }))).toBe('missing_subject');
    });
  });

  describe('bearer_confirmation_missing', () => {
    it('for a holder-of-key confirmation only', async () => {
      const response = await respond({ confirmationMethod: 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key' });
      expect(reasonOf(response)).toBe('bearer_confirmation_missing');
    });

    it('for a bearer confirmation without NotOnOrAfter', async () => {
      expect(reasonOf(await respond({ subjectNotOnOrAfter: null }))).toBe('bearer_confirmation_missing');
    });
  });

  it('with the first bearer confirmation failure when none holds', async () => {
    const response = await respond({
      recipient: 'https://evil.example/acs',
      beforeSigning: (xml) =>
        xml.replace('<saml:SubjectConfirmation ', '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData Recipient="https://sso.example.test/saml/organization/org-1/acs"/></saml:SubjectConfirmation><saml:SubjectConfirmation '),
    });
    expect(reasonOf(response)).toBe('bearer_confirmation_missing');
  });

  it.each([
    ['signed twice', { sign: 'both' }, 97],
    ['encrypted', { sign: 'response', encrypt: true }, 241],
  ] as Array<[string, TestResponseOptions, number]>)(
    'every damaged %s response with a SamlValidationError, never anything else',
    async (_name, options, step) => {
      const xml = (await respond(options)).xml;
      for (let position = 1; position < xml.length; position += step) {
        expect(reasonOf(toBase64(xml.slice(0, position)))).not.toBe('accepted');
        for (const character of ['<', '>', '"', '&', ' ', 'x']) {
          reasonOf(toBase64(xml.slice(0, position) + character + xml.slice(position + 1)));
        }
      }
    },
  );
});

function remove(element: Element): void {
  element.parentNode?.removeChild(element);
}
