import { SamlValidationError } from '../../../src/saml/saml-error';
import { validateLoginResponse } from '../../../src/saml/validate-login-response';
import {
  addUnsignedAssertion,
  ATTACKER_NAME_ID,
  injectCommentInNameId,
  resignWithAttackerKey,
  stripSignatures,
  withEntityDeclaration,
  xsw,
  type XswVariant,
} from '../../helpers/saml-attacks';
import { createSamlPackageResponse, createTestResponse, expectationsFor, type TestResponse } from '../../helpers/test-idp';

function outcome(response: TestResponse): string {
  try {
    return `accepted as ${validateLoginResponse(response.base64, expectationsFor()).nameId}`;
  } catch (error) {
    if (error instanceof SamlValidationError) {
      return error.reason;
    }
    throw error;
  }
}

describe('signature wrapping (Somorovsky et al., XSW1-XSW8)', () => {
  let responseSigned: string;
  let assertionSigned: string;
  let bothSigned: string;
  let samlPackageSigned: string;
  beforeAll(async () => {
    responseSigned = (await createTestResponse({ sign: 'response' })).xml;
    assertionSigned = (await createTestResponse({ sign: 'assertion' })).xml;
    bothSigned = (await createTestResponse({ sign: 'both' })).xml;
    samlPackageSigned = (await createSamlPackageResponse()).xml;
  });

  it.each<[XswVariant, string]>([
    [1, 'duplicate_id'],
    [2, 'duplicate_id'],
  ])('XSW%i on a signed Response is refused with %s', (variant, reason) => {
    expect(outcome(xsw(variant, responseSigned))).toBe(reason);
    expect(outcome(xsw(variant, bothSigned))).toBe(reason);
  });

  it.each<[XswVariant, string]>([
    [3, 'multiple_assertions'],
    [4, 'multiple_assertions'],
    [5, 'multiple_assertions'],
    [6, 'multiple_assertions'],
    [7, 'duplicate_id'],
    [8, 'duplicate_id'],
  ])('XSW%i on a signed assertion is refused with %s', (variant, reason) => {
    expect(outcome(xsw(variant, assertionSigned))).toBe(reason);
    expect(outcome(xsw(variant, samlPackageSigned))).toBe(reason);
  });

  it('an unsigned assertion next to the signed one is refused, before or after it', () => {
    expect(outcome(addUnsignedAssertion(assertionSigned, 'before'))).toBe('multiple_assertions');
    expect(outcome(addUnsignedAssertion(assertionSigned, 'after'))).toBe('multiple_assertions');
  });
});

describe('other forgeries', () => {
  let bothSigned: string;
  beforeAll(async () => {
    bothSigned = (await createTestResponse({ sign: 'both' })).xml;
  });

  it('signatures stripped: unsigned', () => {
    expect(outcome(stripSignatures(bothSigned))).toBe('unsigned');
  });

  it('the attacker re-signing the assertion under a signed Response: invalid_signature', () => {
    expect(outcome(resignWithAttackerKey(bothSigned))).toBe('invalid_signature');
  });

  it('the attacker signing with the certificate he puts in KeyInfo: untrusted_certificate', async () => {
    const onlyAssertionSigned = (await createTestResponse()).xml;
    expect(outcome(resignWithAttackerKey(onlyAssertionSigned))).toBe('untrusted_certificate');
  });

  it('a DTD with entities: doctype_not_allowed', () => {
    expect(outcome(withEntityDeclaration(bothSigned))).toBe('doctype_not_allowed');
  });

  it('a comment splitting the signed NameID is read in full, not truncated', async () => {
    const signed = (await createTestResponse({ nameId: `${ATTACKER_NAME_ID}.attacker.example` })).xml;
    expect(outcome(injectCommentInNameId(signed, ATTACKER_NAME_ID))).toBe(
      `accepted as ${ATTACKER_NAME_ID}.attacker.example`,
    );
  });

  it('a comment splitting a signed attribute value is read in full', async () => {
    const signed = (await createTestResponse({ attributes: { email: 'admin@victim.example.attacker.example' } })).xml;
    const commented = signed.replace('admin@victim.example.attacker.example', 'admin@victim.example<!---->.attacker.example');
    const login = validateLoginResponse(Buffer.from(commented).toString('base64'), expectationsFor());
    expect(login.attributes[0].values).toEqual(['admin@victim.example.attacker.example']);
  });
});
