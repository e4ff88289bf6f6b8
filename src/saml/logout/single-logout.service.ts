import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SessionsService } from '../../sessions/sessions.service';
import type { AuditChange } from '../../sso-config/sso-config.entities';
import { SsoConfigRepository } from '../../sso-config/sso-config.repository';
import type { StoredIdp } from '../../sso-config/sso-config.types';
import type { TenantRef } from '../../tenancy/tenant';
import { LoginConfigCache } from '../login/login-config.cache';
import type { TenantLoginConfig } from '../login/tenant-login-config';
import { identityProviderOf, serviceProviderOf } from '../protocol/samlify-entities';
import { LoginStateError, SamlValidationError, TenantSsoError } from '../saml-error';
import { logoutRequestXml } from './logout-request-xml';
import { LogoutRequestsRepository } from './logout-requests.repository';
import { validateLogoutRequest, ValidatedLogoutRequest } from './validate-logout-request';
import { validateLogoutResponse } from './validate-logout-response';
import type { IncomingLogoutMessage, LogoutMessageExpectations } from './verified-logout-message';

/** How long the IdP has to answer a LogoutRequest, as for an AuthnRequest. */
export const LOGOUT_REQUEST_LIFETIME_MS = 10 * 60_000;

/** The audit action of the IdP's answer to an SP-initiated logout. */
export const SINGLE_LOGOUT_AUDIT_ACTION = 'single_logout';

type TenantWithIdp = TenantLoginConfig & { idp: StoredIdp };

/** Where to send the browser next: a URL, or a form to post (HTTP-POST binding). */
export type BrowserHop =
  | { kind: 'redirect'; url: string }
  | { kind: 'post'; url: string; fields: Record<string, string> };

/** What the IdP said of the logout it was asked for: the local session had already ended. */
export interface IdpLogoutOutcome {
  confirmed: boolean;
}

/** Single logout in both directions: local logout with the IdP's SLO, and the IdP's LogoutRequests. */
@Injectable()
export class SingleLogoutService {
  constructor(
    private readonly configs: LoginConfigCache,
    private readonly sessions: SessionsService,
    private readonly logoutRequests: LogoutRequestsRepository,
    private readonly store: SsoConfigRepository,
  ) {}

  /**
   * Ends the local session; answers the IdP's SLO URL carrying a signed LogoutRequest, when it has
   * one. The request is remembered so that the IdP's answer can be matched to it.
   */
  async logout(sessionToken: string | null): Promise<{ redirectTo: string | null }> {
    const session = sessionToken ? await this.sessions.find(sessionToken) : null;
    if (!session) return { redirectTo: null };
    await this.sessions.end(session.sessionId);
    const tenant: TenantRef = { type: session.tenantType, id: session.tenantId };
    const config = await this.configs.get(tenant);
    // The logout URL must be a plain link, so only an IdP with an HTTP-Redirect SLO endpoint is sent one.
    if (!config?.enabled || !config.idp?.sloUrl || config.idp.sloBinding !== 'redirect' || !session.nameId) {
      return { redirectTo: null };
    }
    const id = `_${randomUUID()}`;
    const now = new Date();
    const expiresAt = new Date(now.getTime() + LOGOUT_REQUEST_LIFETIME_MS);
    const xml = logoutRequestXml({
      id,
      issueInstant: now,
      notOnOrAfter: expiresAt,
      destination: config.idp.sloUrl,
      issuer: config.sp.entityId,
      nameId: {
        value: session.nameId,
        format: session.nameIdFormat,
        nameQualifier: session.nameQualifier,
        spNameQualifier: session.spNameQualifier,
        spProvidedId: session.spProvidedId,
      },
      sessionIndex: session.sessionIndex,
    });
    // samlify deflates, encodes and signs the query octets it sends (RSA-SHA256); the XML is ours.
    const request = serviceProviderOf(config).createLogoutRequest(
      identityProviderOf(config),
      'redirect',
      { logoutNameID: session.nameId },
      { customTagReplacement: () => ({ id, context: xml }) },
    );
    await this.logoutRequests.insert({ id, tenant, sessionId: session.sessionId, userId: session.userId, expiresAt });
    return { redirectTo: request.context };
  }

  /** An IdP's LogoutRequest: verified, then every matching session of the tenant ends. */
  async handleIdpLogoutRequest(tenant: TenantRef, incoming: IncomingLogoutMessage, relayState: string | null): Promise<BrowserHop> {
    const config = await this.idpConfig(tenant);
    const request = validateLogoutRequest(incoming, {
      ...messageExpectations(config),
      clockSkewSeconds: config.options.clockSkewSeconds,
      now: new Date(),
    });
    await this.sessions.endForNameId(tenant, request.nameId, request.sessionIndexes);
    return this.logoutResponse(config, request, relayState);
  }

  /**
   * The IdP's answer to a LogoutRequest this service sent: verified and matched to that request,
   * once. Its outcome, or why it was refused, goes to the tenant's audit log.
   */
  async handleIdpLogoutResponse(tenant: TenantRef, incoming: IncomingLogoutMessage): Promise<IdpLogoutOutcome> {
    const config = await this.idpConfig(tenant);
    let answered: { userId: string; success: boolean; status: string };
    try {
      const response = validateLogoutResponse(incoming, messageExpectations(config));
      const match = await this.logoutRequests.consume(tenant, response.inResponseTo, new Date());
      if (!match.matched) {
        throw new LoginStateError(match.reason, 'The LogoutResponse answers no open LogoutRequest of this tenant');
      }
      answered = { userId: match.userId, success: response.status.success, status: response.status.description };
    } catch (error) {
      if (error instanceof SamlValidationError || error instanceof LoginStateError) {
        await this.recordIdpLogout(tenant, { actorType: 'unverified_message', actorId: null }, [
          change('outcome', 'refused'),
          change('reason', error.reason),
        ]);
      }
      throw error;
    }
    await this.recordIdpLogout(
      tenant,
      { actorType: 'user', actorId: answered.userId },
      answered.success
        ? [change('outcome', 'success')]
        : [change('outcome', 'not_confirmed'), change('reason', 'status_not_success'), change('status', answered.status)],
    );
    return { confirmed: answered.success };
  }

  private async idpConfig(tenant: TenantRef): Promise<TenantWithIdp> {
    const config = await this.configs.get(tenant);
    if (!config?.idp) throw new TenantSsoError('unknown_tenant', 'SSO is not set up for this tenant');
    return config as TenantWithIdp;
  }

  private recordIdpLogout(tenant: TenantRef, actor: { actorType: string; actorId: string | null }, changes: AuditChange[]): Promise<void> {
    return this.store.addAudit(tenant, actor, SINGLE_LOGOUT_AUDIT_ACTION, changes);
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

function messageExpectations(config: TenantWithIdp): LogoutMessageExpectations {
  return {
    idpEntityId: config.idp.entityId,
    idpKeys: config.idpKeys,
    sloUrl: config.sp.sloUrl,
    allowSha1Signatures: config.options.allowSha1Signatures,
  };
}

function change(field: string, value: string): AuditChange {
  return { field, old: null, new: value };
}
