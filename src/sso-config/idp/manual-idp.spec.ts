import { derBase64, fixtureCertificates } from '../../../test/fixtures/metadata';
import { buildManualIdp, type ManualIdpInput } from './manual-idp';

const { rsa1, expired } = fixtureCertificates;
const NOW = new Date('2040-01-01T00:00:00Z');
const VALID_INPUT: ManualIdpInput = {
  entityId: 'http://www.okta.com/exkb3ve2lyQ8Xp3Ce5d7',
  ssoUrl: 'https://acme.okta.com/app/acme_ssoservice_1/exkb3ve2lyQ8Xp3Ce5d7/sso/saml',
  certificate: rsa1,
};

function configError(field: string, code: string) {
  return expect.objectContaining({ name: 'IdpConfigError', field, code });
}

describe('buildManualIdp', () => {
  it('builds a redirect-binding IdP without logout', () => {
    expect(buildManualIdp(VALID_INPUT, NOW)).toEqual({
      entityId: VALID_INPUT.entityId,
      ssoUrl: VALID_INPUT.ssoUrl,
      ssoBinding: 'redirect',
      sloUrl: null,
      sloBinding: null,
      wantAuthnRequestsSigned: false,
      certificates: [rsa1],
    });
  });

  it('takes a logout URL, trims the fields and normalizes a bare base64 certificate', () => {
    const idp = buildManualIdp(
      {
        entityId: ' urn:example:idp ',
        ssoUrl: ' https://idp.example.com/sso\n',
        sloUrl: 'https://idp.example.com/slo',
        certificate: derBase64(rsa1).replace(/(.{64})/g, '$1\n'),
      },
      NOW,
    );
    expect(idp).toMatchObject({
      entityId: 'urn:example:idp',
      ssoUrl: 'https://idp.example.com/sso',
      sloUrl: 'https://idp.example.com/slo',
      sloBinding: 'redirect',
      certificates: [rsa1],
    });
  });

  it.each([null, '', '  '])('reads a logout URL of %p as none', (sloUrl) => {
    expect(buildManualIdp({ ...VALID_INPUT, sloUrl }, NOW)).toMatchObject({ sloUrl: null, sloBinding: null });
  });

  it.each<[string, Partial<ManualIdpInput>, string, string]>([
    ['an empty entity ID', { entityId: '' }, 'entityId', 'invalid_entity_id'],
    ['an entity ID over 1024 characters', { entityId: `urn:${'x'.repeat(1021)}` }, 'entityId', 'invalid_entity_id'],
    ['a javascript: SSO URL', { ssoUrl: 'javascript:alert(document.domain)' }, 'ssoUrl', 'invalid_url'],
    ['a relative SSO URL', { ssoUrl: 'idp.example.com/sso' }, 'ssoUrl', 'invalid_url'],
    ['an ftp logout URL', { sloUrl: 'ftp://idp.example.com/slo' }, 'sloUrl', 'invalid_url'],
    ['garbage for a certificate', { certificate: 'MIIB' }, 'certificate', 'certificate_unparsable'],
    ['an expired certificate', { certificate: expired }, 'certificate', 'certificate_expired'],
    ['an Ed25519 certificate', { certificate: fixtureCertificates.ed25519 }, 'certificate', 'certificate_unsupported_key'],
  ])('refuses %s', (_description, change, field, code) => {
    expect(() => buildManualIdp({ ...VALID_INPUT, ...change }, NOW)).toThrow(configError(field, code));
  });

  it('refuses fields of the wrong type with an IdpConfigError, not a TypeError', () => {
    const input = { entityId: 7, ssoUrl: VALID_INPUT.ssoUrl, certificate: rsa1 } as unknown as ManualIdpInput;
    expect(() => buildManualIdp(input, NOW)).toThrow(configError('entityId', 'invalid_entity_id'));
    const noCertificate = { entityId: 'urn:x', ssoUrl: VALID_INPUT.ssoUrl } as unknown as ManualIdpInput;
    expect(() => buildManualIdp(noCertificate, NOW)).toThrow(configError('certificate', 'certificate_unparsable'));
  });
});
