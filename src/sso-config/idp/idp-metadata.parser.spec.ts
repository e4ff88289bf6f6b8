import { derBase64, fixtureCertificates, metadataFixture } from '../../../test/fixtures/metadata';
import { assertCertificateUsable } from './certificate';
import type { IdpDescriptor } from './idp-descriptor';
import { MAX_METADATA_BYTES, parseIdpMetadata } from './idp-metadata.parser';

const { rsa1, rsa2 } = fixtureCertificates;
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const SOAP = 'urn:oasis:names:tc:SAML:2.0:bindings:SOAP';

function configError(field: string, code: string) {
  return expect.objectContaining({ name: 'IdpConfigError', field, code });
}

interface MinimalIdp {
  entityId?: string | null;
  protocols?: string;
  keyDescriptors?: string;
  services?: string;
}

/** A bare EntityDescriptor for the cases no vendor document covers. */
function minimalMetadata({
  entityId = 'https://idp.example.com/metadata',
  protocols = 'urn:oasis:names:tc:SAML:2.0:protocol',
  keyDescriptors = keyDescriptor('signing', rsa1),
  services = `<md:SingleSignOnService Binding="${REDIRECT}" Location="https://idp.example.com/sso"/>`,
}: MinimalIdp = {}): string {
  const entityIdAttribute = entityId === null ? '' : ` entityID="${entityId}"`;
  return `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"${entityIdAttribute}>
  <md:IDPSSODescriptor protocolSupportEnumeration="${protocols}">${keyDescriptors}${services}</md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}

function keyDescriptor(use: string | null, pem: string): string {
  const useAttribute = use === null ? '' : ` use="${use}"`;
  return `<md:KeyDescriptor${useAttribute}><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>
  <ds:X509Certificate>${derBase64(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
}

describe('parseIdpMetadata', () => {
  describe.each<[string, IdpDescriptor]>([
    [
      'okta.xml',
      {
        entityId: 'http://www.okta.com/exkb3ve2lyQ8Xp3Ce5d7',
        ssoUrl: 'https://acme.okta.com/app/acme_ssoservice_1/exkb3ve2lyQ8Xp3Ce5d7/sso/saml',
        ssoBinding: 'redirect',
        sloUrl: 'https://acme.okta.com/app/acme_ssoservice_1/exkb3ve2lyQ8Xp3Ce5d7/slo/saml',
        sloBinding: 'redirect',
        wantAuthnRequestsSigned: false,
        certificates: [rsa1],
      },
    ],
    [
      'entra-id.xml',
      {
        entityId: 'https://sts.windows.net/8e0f2c4a-1b3d-4e5f-9a7b-6c8d0e2f4a6b/',
        ssoUrl: 'https://login.microsoftonline.com/8e0f2c4a-1b3d-4e5f-9a7b-6c8d0e2f4a6b/saml2',
        ssoBinding: 'redirect',
        sloUrl: 'https://login.microsoftonline.com/8e0f2c4a-1b3d-4e5f-9a7b-6c8d0e2f4a6b/saml2',
        sloBinding: 'redirect',
        wantAuthnRequestsSigned: false,
        // Both certificates of the rollover; not the one in the metadata's own Signature.
        certificates: [rsa1, rsa2],
      },
    ],
    [
      'onelogin.xml',
      {
        entityId: 'https://app.onelogin.com/saml/metadata/3f9a1c2e-5b7d-4e8f-a0b1-c2d3e4f5a6b7',
        ssoUrl: 'https://acme.onelogin.com/trust/saml2/http-redirect/sso/3f9a1c2e-5b7d-4e8f-a0b1-c2d3e4f5a6b7',
        ssoBinding: 'redirect',
        sloUrl: 'https://acme.onelogin.com/trust/saml2/http-redirect/slo/2718281',
        sloBinding: 'redirect',
        wantAuthnRequestsSigned: false,
        certificates: [rsa1],
      },
    ],
    [
      'adfs.xml',
      {
        entityId: 'http://adfs.contoso.com/adfs/services/trust',
        ssoUrl: 'https://adfs.contoso.com/adfs/ls/',
        ssoBinding: 'redirect',
        sloUrl: 'https://adfs.contoso.com/adfs/ls/',
        sloBinding: 'redirect',
        wantAuthnRequestsSigned: false,
        // The encryption certificate (rsa2) is left out.
        certificates: [rsa1],
      },
    ],
    [
      'google-workspace.xml',
      {
        entityId: 'https://accounts.google.com/o/saml2?idpid=C03xk9d2q',
        ssoUrl: 'https://accounts.google.com/o/saml2/idp?idpid=C03xk9d2q',
        ssoBinding: 'redirect',
        sloUrl: null,
        sloBinding: null,
        wantAuthnRequestsSigned: false,
        certificates: [rsa1],
      },
    ],
    [
      'keycloak.xml',
      {
        entityId: 'https://sso.acme.io/realms/acme',
        ssoUrl: 'https://sso.acme.io/realms/acme/protocol/saml',
        ssoBinding: 'redirect',
        sloUrl: 'https://sso.acme.io/realms/acme/protocol/saml',
        sloBinding: 'redirect',
        wantAuthnRequestsSigned: true,
        certificates: [rsa1],
      },
    ],
    [
      'keycloak-legacy.xml',
      {
        entityId: 'https://keycloak.acme.io/auth/realms/acme',
        ssoUrl: 'https://keycloak.acme.io/auth/realms/acme/protocol/saml',
        ssoBinding: 'redirect',
        sloUrl: 'https://keycloak.acme.io/auth/realms/acme/protocol/saml',
        sloBinding: 'redirect',
        wantAuthnRequestsSigned: true,
        certificates: [rsa1],
      },
    ],
    [
      'shibboleth.xml',
      {
        entityId: 'https://idp.university.example/idp/shibboleth',
        ssoUrl: 'https://idp.university.example/idp/profile/SAML2/Redirect/SSO',
        ssoBinding: 'redirect',
        sloUrl: 'https://idp.university.example/idp/profile/SAML2/Redirect/SLO',
        sloBinding: 'redirect',
        wantAuthnRequestsSigned: false,
        certificates: [rsa1, rsa2],
      },
    ],
    [
      'simplesamlphp.xml',
      {
        entityId: 'https://login.example.net/simplesaml/module.php/saml/idp/metadata',
        ssoUrl: 'https://login.example.net/simplesaml/module.php/saml/idp/singleSignOnService',
        ssoBinding: 'redirect',
        sloUrl: 'https://login.example.net/simplesaml/module.php/saml/idp/singleLogout',
        sloBinding: 'redirect',
        wantAuthnRequestsSigned: true,
        certificates: [rsa1],
      },
    ],
  ])('%s', (fileName, expected) => {
    it('yields the IdP', () => {
      expect(parseIdpMetadata(metadataFixture(fileName))).toEqual(expected);
    });
  });

  it('falls back to HTTP-POST when the IdP offers no HTTP-Redirect endpoint', () => {
    const idp = parseIdpMetadata(
      minimalMetadata({
        services: `<md:SingleLogoutService Binding="${SOAP}" Location="https://idp.example.com/soap/slo"/>
          <md:SingleLogoutService Binding="${POST}" Location="https://idp.example.com/post/slo"/>
          <md:SingleSignOnService Binding="${SOAP}" Location="https://idp.example.com/soap/sso"/>
          <md:SingleSignOnService Binding="${POST}" Location="https://idp.example.com/post/sso"/>`,
      }),
    );
    expect(idp).toMatchObject({
      ssoUrl: 'https://idp.example.com/post/sso',
      ssoBinding: 'post',
      sloUrl: 'https://idp.example.com/post/slo',
      sloBinding: 'post',
    });
  });

  it('ignores a SingleLogoutService with only bindings it cannot use', () => {
    const idp = parseIdpMetadata(
      minimalMetadata({
        services: `<md:SingleLogoutService Binding="${SOAP}" Location="https://idp.example.com/soap/slo"/>
          <md:SingleSignOnService Binding="${REDIRECT}" Location="https://idp.example.com/sso"/>`,
      }),
    );
    expect(idp).toMatchObject({ sloUrl: null, sloBinding: null });
  });

  it('accepts plain http endpoints', () => {
    const idp = parseIdpMetadata(
      minimalMetadata({
        services: `<md:SingleSignOnService Binding="${REDIRECT}" Location="http://localhost:8080/realms/dev/protocol/saml"/>`,
      }),
    );
    expect(idp.ssoUrl).toBe('http://localhost:8080/realms/dev/protocol/saml');
  });

  it('takes a KeyDescriptor without `use` as a signing key and lists each certificate once', () => {
    const idp = parseIdpMetadata(
      minimalMetadata({
        keyDescriptors: [
          keyDescriptor('signing', rsa1),
          keyDescriptor(null, rsa2),
          keyDescriptor(null, rsa1),
          keyDescriptor('encryption', fixtureCertificates.rsa3),
        ].join(''),
      }),
    );
    expect(idp.certificates).toEqual([rsa1, rsa2]);
  });

  it('reads WantAuthnRequestsSigned="1" as true', () => {
    const xml = minimalMetadata().replace('<md:IDPSSODescriptor ', '<md:IDPSSODescriptor WantAuthnRequestsSigned="1" ');
    expect(parseIdpMetadata(xml).wantAuthnRequestsSigned).toBe(true);
  });

  it('picks the one identity provider out of an EntitiesDescriptor that also lists service providers', () => {
    const idpEntity = minimalMetadata().replace(' xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"', '');
    const xml = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">
      <md:EntityDescriptor entityID="https://sp.example.com/sp"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>
      ${idpEntity}
    </md:EntitiesDescriptor>`;
    expect(parseIdpMetadata(xml).entityId).toBe('https://idp.example.com/metadata');
  });

  it('tolerates a byte-order mark and blank lines before the XML declaration', () => {
    const xml = `\uFEFF\n\n${metadataFixture('okta.xml')}`;
    expect(parseIdpMetadata(xml).entityId).toBe('http://www.okta.com/exkb3ve2lyQ8Xp3Ce5d7');
  });

  it('leaves certificate expiry to the caller', () => {
    const idp = parseIdpMetadata(metadataFixture('invalid/expired-cert.xml'));
    expect(() => assertCertificateUsable(idp.certificates[0], new Date())).toThrow(
      configError('certificate', 'certificate_expired'),
    );
  });

  describe('refuses', () => {
    it.each([
      ['invalid/not-xml.txt', 'metadataXml', 'not_xml'],
      ['invalid/doctype-entity.xml', 'metadataXml', 'doctype_not_allowed'],
      ['invalid/no-idp-descriptor.xml', 'metadataXml', 'no_idp_descriptor'],
      ['invalid/two-idp-entities.xml', 'metadataXml', 'multiple_idp_descriptors'],
      ['invalid/no-sso-service.xml', 'ssoUrl', 'no_sso_url'],
      ['invalid/javascript-url.xml', 'ssoUrl', 'invalid_url'],
    ])('%s with %s / %s', (fileName, field, code) => {
      expect(() => parseIdpMetadata(metadataFixture(fileName))).toThrow(configError(field, code));
    });

    it.each([
      ['an empty string', ''],
      ['plain text', 'https://acme.okta.com/app/exkb3ve2lyQ8Xp3Ce5d7/sso/saml'],
      ['truncated XML', metadataFixture('okta.xml').slice(0, 500)],
      ['two root elements', `${minimalMetadata()}${minimalMetadata()}`],
      ['content after the root element', `${minimalMetadata()}trailing`],
      ['an unquoted attribute', minimalMetadata().replace('entityID="https://idp.example.com/metadata"', 'entityID=x')],
      ['an undeclared prefix', '<md:EntityDescriptor entityID="x"/>'],
      ['a PEM certificate', rsa1],
    ])('%s as not XML', (_description, xml) => {
      expect(() => parseIdpMetadata(xml)).toThrow(configError('metadataXml', 'not_xml'));
    });

    it('anything but a string as not XML', () => {
      expect(() => parseIdpMetadata({ metadata: true })).toThrow(configError('metadataXml', 'not_xml'));
      expect(() => parseIdpMetadata(undefined)).toThrow(configError('metadataXml', 'not_xml'));
    });

    it('an internal DTD subset even without entities', () => {
      const xml = `<!DOCTYPE md:EntityDescriptor>${minimalMetadata()}`;
      expect(() => parseIdpMetadata(xml)).toThrow(configError('metadataXml', 'doctype_not_allowed'));
    });

    it('a document over the size limit', () => {
      const xml = minimalMetadata().replace('</md:EntityDescriptor>', `<!--${' '.repeat(MAX_METADATA_BYTES)}--></md:EntityDescriptor>`);
      expect(() => parseIdpMetadata(xml)).toThrow(configError('metadataXml', 'too_large'));
    });

    it('XML that is not SAML metadata', () => {
      const xhtml = '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Sign in</p></body></html>';
      expect(() => parseIdpMetadata(xhtml)).toThrow(configError('metadataXml', 'not_metadata'));
    });

    it('metadata in a namespace other than SAML 2.0 metadata', () => {
      const xml = minimalMetadata().replace(/urn:oasis:names:tc:SAML:2\.0:metadata/, 'urn:example:metadata');
      expect(() => parseIdpMetadata(xml)).toThrow(configError('metadataXml', 'not_metadata'));
    });

    it('an IdP that speaks only SAML 1.1', () => {
      const xml = minimalMetadata({ protocols: 'urn:oasis:names:tc:SAML:1.1:protocol urn:mace:shibboleth:1.0' });
      expect(() => parseIdpMetadata(xml)).toThrow(configError('metadataXml', 'no_idp_descriptor'));
    });

    it.each([
      ['missing', null],
      ['empty', ''],
      ['holding spaces', 'https://idp.example.com/my idp'],
    ])('an entityID %s', (_description, entityId) => {
      expect(() => parseIdpMetadata(minimalMetadata({ entityId }))).toThrow(configError('entityId', 'invalid_entity_id'));
    });

    it.each([
      ['relative', '/sso'],
      ['with credentials', 'https://admin:secret@idp.example.com/sso'],
      ['data:', 'data:text/html,hello'],
      ['scheme without slashes', 'https:idp.example.com/sso'],
      ['with an embedded newline', 'https://idp.example.com/&#10;sso'],
    ])('a %s SingleSignOnService URL', (_description, location) => {
      const xml = minimalMetadata({
        services: `<md:SingleSignOnService Binding="${REDIRECT}" Location="${location}"/>`,
      });
      expect(() => parseIdpMetadata(xml)).toThrow(configError('ssoUrl', 'invalid_url'));
    });

    it('a SingleLogoutService URL that is not http(s)', () => {
      const xml = minimalMetadata({
        services: `<md:SingleLogoutService Binding="${REDIRECT}" Location="javascript:alert(1)"/>
          <md:SingleSignOnService Binding="${REDIRECT}" Location="https://idp.example.com/sso"/>`,
      });
      expect(() => parseIdpMetadata(xml)).toThrow(configError('sloUrl', 'invalid_url'));
    });

    it('an IdP with only an encryption certificate', () => {
      const xml = minimalMetadata({ keyDescriptors: keyDescriptor('encryption', rsa1) });
      expect(() => parseIdpMetadata(xml)).toThrow(configError('certificate', 'no_signing_certificate'));
    });

    it('a signing certificate that is not one', () => {
      const xml = minimalMetadata({
        keyDescriptors: keyDescriptor('signing', rsa1).replace(derBase64(rsa1), 'bm90IGEgY2VydGlmaWNhdGU='),
      });
      expect(() => parseIdpMetadata(xml)).toThrow(configError('certificate', 'certificate_unparsable'));
    });
  });
});
