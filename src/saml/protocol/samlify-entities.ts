import * as samlify from 'samlify';
import type { TenantLoginConfig } from '../login/tenant-login-config';

export const BINDING = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;
export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const NAME_ID_FORMATS = [
  'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
];

type ServiceProvider = ReturnType<typeof samlify.ServiceProvider>;
type IdentityProvider = ReturnType<typeof samlify.IdentityProvider>;

/** samlify entities are built once per settings version: the config object is replaced on change. */
const serviceProviders = new WeakMap<TenantLoginConfig, ServiceProvider>();
const identityProviders = new WeakMap<TenantLoginConfig, IdentityProvider>();

export function serviceProviderOf(config: TenantLoginConfig): ServiceProvider {
  let sp = serviceProviders.get(config);
  if (!sp) {
    sp = samlify.ServiceProvider({
      entityID: config.sp.entityId,
      authnRequestsSigned: true,
      wantAssertionsSigned: true,
      wantLogoutRequestSigned: true,
      requestSignatureAlgorithm: RSA_SHA256,
      signingCert: config.sp.certificatePem,
      encryptCert: config.sp.certificatePem,
      privateKey: config.sp.privateKeyPem,
      encPrivateKey: config.sp.privateKeyPem,
      nameIDFormat: NAME_ID_FORMATS,
      assertionConsumerService: [{ Binding: BINDING.post, Location: config.sp.acsUrl }],
      singleLogoutService: [
        { Binding: BINDING.redirect, Location: config.sp.sloUrl },
        { Binding: BINDING.post, Location: config.sp.sloUrl },
      ],
    });
    serviceProviders.set(config, sp);
  }
  return sp;
}

/**
 * The IdP as samlify needs it to address requests. We sign every message we send (AuthnRequests by
 * contract, logout messages too), so the IdP is described as wanting them signed whatever its
 * metadata said: an IdP that does not check signatures ignores them.
 */
export function identityProviderOf(config: TenantLoginConfig): IdentityProvider {
  const idp = config.idp;
  if (!idp) throw new Error('identityProviderOf needs a configured IdP');
  let entity = identityProviders.get(config);
  if (!entity) {
    entity = samlify.IdentityProvider({
      entityID: idp.entityId,
      wantAuthnRequestsSigned: true,
      wantLogoutRequestSigned: true,
      wantLogoutResponseSigned: true,
      signingCert: idp.certificates,
      singleSignOnService: [{ Binding: BINDING[idp.ssoBinding], Location: idp.ssoUrl }],
      singleLogoutService: idp.sloUrl && idp.sloBinding ? [{ Binding: BINDING[idp.sloBinding], Location: idp.sloUrl }] : [],
    });
    identityProviders.set(config, entity);
  }
  return entity;
}
