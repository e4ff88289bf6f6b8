import { createPrivateKey, X509Certificate } from 'node:crypto';
import { postAuthnRequest, redirectAuthnRequestUrl, type AuthnRequestContent } from '../../src/saml/protocol/authn-request';
import { identityProviderOf, serviceProviderOf } from '../../src/saml/protocol/samlify-entities';
import type { TenantLoginConfig } from '../../src/saml/login/tenant-login-config';
import { generateSpIdentity } from '../../src/sso-config/sp/sp-identity';
import type { RequestBinding } from './login-start';

/** CPU per AuthnRequest built and signed in this process, by the service's code and by samlify's (as before). */
export type AuthnRequestCost = Record<`${'service' | 'samlify'}-${RequestBinding}`, number>;

/**
 * What building and signing one AuthnRequest costs outside HTTP and the database: the service's
 * string building with `crypto.sign` and a cached KeyObject, against samlify's `createLoginRequest`
 * it replaced, on the same key and URLs. Mean CPU (process.cpuUsage) over `count` requests each,
 * after as many unmeasured ones.
 */
export function measureAuthnRequestCost(count: number): AuthnRequestCost {
  const identity = generateSpIdentity('bench-sp.example.test');
  const privateKey = createPrivateKey(identity.privateKeyPem);
  const config = (binding: RequestBinding) =>
    ({
      sp: {
        entityId: 'https://sso.example.test/saml/organization/00000000-0000-4000-8000-000000000000/metadata',
        acsUrl: 'https://sso.example.test/saml/organization/00000000-0000-4000-8000-000000000000/acs',
        sloUrl: 'https://sso.example.test/saml/organization/00000000-0000-4000-8000-000000000000/slo',
        certificatePem: identity.certificatePem,
        certificateBase64: new X509Certificate(identity.certificatePem).raw.toString('base64'),
        privateKeyPem: identity.privateKeyPem,
        privateKey,
      },
      idp: { entityId: 'http://www.okta.com/exkbench', certificates: [identity.certificatePem], ssoBinding: binding, ssoUrl: 'https://bench-idp.example.test/sso', sloUrl: 'https://bench-idp.example.test/slo', sloBinding: 'redirect' },
    }) as unknown as TenantLoginConfig;
  const content = (target: TenantLoginConfig): AuthnRequestContent => ({
    id: `_${String(Math.random()).slice(2)}`,
    issueInstant: new Date(),
    destination: target.idp!.ssoUrl,
    acsUrl: target.sp.acsUrl,
    issuer: target.sp.entityId,
  });
  const relayState = 'c2VjcmV0LXJlbGF5LXN0YXRlLTI0LWJ5dGVz';
  const builders: Record<keyof AuthnRequestCost, () => unknown> = {
    'service-redirect': ((target) => () => redirectAuthnRequestUrl(content(target), relayState, target.sp.privateKey))(config('redirect')),
    'service-post': ((target) => () => postAuthnRequest(content(target), target.sp))(config('post')),
    'samlify-redirect': ((target) => () => serviceProviderOf(target).createLoginRequest(identityProviderOf(target), 'redirect', { relayState } as never))(config('redirect')),
    'samlify-post': ((target) => () => serviceProviderOf(target).createLoginRequest(identityProviderOf(target), 'post', { relayState } as never))(config('post')),
  };
  const cost = {} as AuthnRequestCost;
  for (const [name, build] of Object.entries(builders) as [keyof AuthnRequestCost, () => unknown][]) {
    for (let i = 0; i < count; i++) build();
    const before = process.cpuUsage();
    for (let i = 0; i < count; i++) build();
    const spent = process.cpuUsage(before);
    cost[name] = (spent.user + spent.system) / 1000 / count;
  }
  return cost;
}
