import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { TenantRef } from '../../tenancy/tenant';
import { safeReturnTo } from '../protocol/return-to';
import { newAuthnRequestId, postAuthnRequest, redirectAuthnRequestUrl, type AuthnRequestContent } from '../protocol/authn-request';
import { TenantSsoError } from '../saml-error';
import { LoginConfigCache } from './login-config.cache';
import { SamlLoginRepository } from './saml-login.repository';

export const AUTHN_REQUEST_LIFETIME_MS = 10 * 60_000;

/** What the AuthnRequest asks of the IdP beyond the sign-in itself. */
export interface SignInOptions {
  /** The IdP must authenticate the user afresh (ForceAuthn), e.g. for OpenID Connect's `prompt=login` or `max_age`. */
  forceAuthn?: boolean;
}

export type SignInStart =
  | { binding: 'redirect'; url: string }
  | { binding: 'post'; url: string; samlRequest: string; relayState: string };

/** SP-initiated sign-in: a signed AuthnRequest, remembered server-side for the ACS to match. */
@Injectable()
export class SignInService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly configs: LoginConfigCache,
    private readonly requests: SamlLoginRepository,
  ) {}

  async start(tenant: TenantRef, returnTo: unknown, options: SignInOptions = {}): Promise<SignInStart> {
    const config = await this.configs.get(tenant);
    if (!config) throw new TenantSsoError('unknown_tenant', 'SSO is not set up for this tenant');
    if (!config.enabled || !config.idp) throw new TenantSsoError('sso_disabled', 'SSO is not active for this tenant');
    // RelayState is an opaque reference; where to go afterwards stays on our side.
    const relayState = randomBytes(24).toString('base64url');
    const binding = config.idp.ssoBinding;
    const content: AuthnRequestContent = {
      id: newAuthnRequestId(),
      issueInstant: new Date(),
      destination: config.idp.ssoUrl,
      acsUrl: config.sp.acsUrl,
      issuer: config.sp.entityId,
      forceAuthn: options.forceAuthn === true,
    };
    const start: SignInStart =
      binding === 'redirect'
        ? { binding, url: redirectAuthnRequestUrl(content, relayState, config.sp.privateKey) }
        : { binding, url: config.idp.ssoUrl, samlRequest: postAuthnRequest(content, config.sp), relayState };
    await this.requests.insertRequest({
      id: content.id,
      tenant,
      relayState,
      returnTo: safeReturnTo(returnTo, this.config.publicBaseUrl, this.config.allowedReturnOrigins),
      expiresAt: new Date(Date.now() + AUTHN_REQUEST_LIFETIME_MS),
    });
    return start;
  }
}
