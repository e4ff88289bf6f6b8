import { Injectable } from '@nestjs/common';
import { SessionsService } from '../../sessions/sessions.service';
import type { TenantRef } from '../../tenancy/tenant';
import { LoginConfigCache } from '../login/login-config.cache';
import type { TenantLoginConfig } from '../login/tenant-login-config';
import { identityProviderOf, serviceProviderOf } from '../protocol/samlify-entities';
import { TenantSsoError } from '../saml-error';
import {
  LogoutRequestExpectations,
  validatePostLogoutRequest,
  validateRedirectLogoutRequest,
  ValidatedLogoutRequest,
} from './validate-logout-request';

/** Where to send the browser next: a URL, or a form to post (HTTP-POST binding). */
export type BrowserHop =
  | { kind: 'redirect'; url: string }
  | { kind: 'post'; url: string; fields: Record<string, string> };

export type IncomingLogoutRequest =
  | { binding: 'redirect'; rawQuery: string; relayState: string | null }
  | { binding: 'post'; samlRequest: string; relayState: string | null };

/** Single logout in both directions: local logout with the IdP's SLO, and the IdP's LogoutRequests. */
@Injectable()
export class SingleLogoutService {
  constructor(
    private readonly configs: LoginConfigCache,
    private readonly sessions: SessionsService,
  ) {}

  /** Ends the local session; answers the IdP's SLO URL carrying a signed LogoutRequest, when it has one. */
  async logout(sessionToken: string | null): Promise<{ redirectTo: string | null }> {
    const session = sessionToken ? await this.sessions.find(sessionToken) : null;
    if (!session) return { redirectTo: null };
    await this.sessions.end(session.sessionId);
    const config = await this.configs.get({ type: session.tenantType, id: session.tenantId });
    // The logout URL must be a plain link, so only an IdP with an HTTP-Redirect SLO endpoint is sent one.
    if (!config?.enabled || !config.idp?.sloUrl || config.idp.sloBinding !== 'redirect' || !session.nameId) {
      return { redirectTo: null };
    }
    const request = serviceProviderOf(config).createLogoutRequest(identityProviderOf(config), 'redirect', {
      logoutNameID: session.nameId,
      sessionIndex: session.sessionIndex ?? undefined,
    });
    return { redirectTo: request.context };
  }

  /** An IdP's LogoutRequest: verified, then every matching session of the tenant ends. */
  async handleIdpLogoutRequest(tenant: TenantRef, incoming: IncomingLogoutRequest): Promise<BrowserHop> {
    const config = await this.configs.get(tenant);
    if (!config?.idp) throw new TenantSsoError('unknown_tenant', 'SSO is not set up for this tenant');
    const expected: LogoutRequestExpectations = {
      idpEntityId: config.idp.entityId,
      idpKeys: config.idpKeys,
      sloUrl: config.sp.sloUrl,
      allowSha1Signatures: config.options.allowSha1Signatures,
      clockSkewSeconds: config.options.clockSkewSeconds,
      now: new Date(),
    };
    const request =
      incoming.binding === 'redirect'
        ? validateRedirectLogoutRequest(incoming.rawQuery, expected)
        : validatePostLogoutRequest(incoming.samlRequest, expected);
    await this.sessions.endForNameId(tenant, request.nameId, request.sessionIndexes);
    return this.logoutResponse(config, request, incoming.relayState);
  }

  private logoutResponse(config: TenantLoginConfig, request: ValidatedLogoutRequest, relayState: string | null): BrowserHop {
    // An IdP without an SLO endpoint of its own has nowhere to receive the answer.
    if (!config.idp?.sloUrl || !config.idp.sloBinding) return { kind: 'redirect', url: '/' };
    const binding = config.idp.sloBinding;
    const requestInfo = { extract: { request: { id: request.id } } };
    const options = relayState ? { relayState } : {};
    const response = serviceProviderOf(config).createLogoutResponse(identityProviderOf(config), requestInfo as never, binding, options);
    if (binding === 'redirect') return { kind: 'redirect', url: response.context };
    const post = response as { context: string; entityEndpoint: string; relayState?: string };
    return {
      kind: 'post',
      url: post.entityEndpoint,
      fields: { SAMLResponse: post.context, ...(post.relayState ? { RelayState: post.relayState } : {}) },
    };
  }
}
