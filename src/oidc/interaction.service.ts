import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ActiveSession } from '../sessions/sessions.service';
import { interactionPath } from './oidc-paths';
import { OidcProviderService } from './oidc-provider.service';
import type { InteractionDetails } from './oidc-provider.types';
import { isAtRequestedTenant, RequestedTenant, RequestedTenantResolver, sessionTenant } from './requested-tenant';

/** Where the interaction sends the browser next, or how it ends. */
export type InteractionStep =
  | { kind: 'redirect'; url: string; remember?: Record<string, unknown> }
  | { kind: 'finish'; result: Record<string, unknown> };

/**
 * The provider's interaction is the service's own login. A live service session (at the tenant the
 * request asks for, fresh enough when `prompt=login` or `max_age` asks for a new login) answers at
 * once; otherwise the browser goes to the tenant's SAML IdP (with ForceAuthn when a fresh login is
 * asked for) or, when no tenant is named, to the /login page, and comes back here. Whatever cannot
 * end in a login ends with `access_denied` at the client's redirect_uri, through oidc-provider.
 */
@Injectable()
export class InteractionService {
  constructor(
    private readonly oidc: OidcProviderService,
    private readonly tenants: RequestedTenantResolver,
  ) {}

  async resume(request: Request, response: Response, loginFailed: boolean): Promise<void> {
    const provider = await this.oidc.provider();
    this.oidc.pinOrigin(request);
    const details = await provider.interactionDetails(request, response);
    const step = details.prompt.name === 'consent' ? await this.consent(details) : await this.login(details, request, loginFailed);
    if (step.kind === 'redirect') {
      // What the interaction must remember for the browser's return (the session a fresh login replaces).
      if (step.remember) await provider.interactionResult(request, response, step.remember, { mergeWithLastSubmission: false });
      response.setHeader('Cache-Control', 'no-store');
      response.redirect(303, step.url);
      return;
    }
    // Merged with the earlier interaction's result: under prompt=login consent, the login of the
    // first interaction must still count when the second one answers the consent.
    await provider.interactionFinished(request, response, step.result);
  }

  private async login(details: InteractionDetails, request: Request, loginFailed: boolean): Promise<InteractionStep> {
    if (details.prompt.name !== 'login') return denied('the request needs an interaction this service does not offer');
    if (loginFailed) return denied('the sign-in at the identity provider failed');
    const requested = await this.tenants.resolve(details.params);
    if (requested.kind === 'unknown') return denied('the organization or partner asked for does not exist');
    const fresh = details.prompt.reasons.includes('login_prompt') || details.prompt.reasons.includes('max_age');
    const session = await this.oidc.serviceSession(request);
    const wanted = requested.kind === 'tenant' ? requested.tenant : null;
    const replaced = details.result?.replacedSession;
    if (session && acceptable(session, requested, fresh, replaced)) {
      return { kind: 'finish', result: { login: { accountId: session.userId, ts: Math.floor(session.createdAt.getTime() / 1000) } } };
    }
    // A fresh login without a named tenant goes to the IdP of the session it replaces.
    const tenant = wanted ?? (fresh && session ? sessionTenant(session) : null);
    const returnTo = interactionPath(details.uid);
    const remember = fresh && replaced === undefined ? { replacedSession: session?.sessionId ?? null } : undefined;
    if (!tenant) return { kind: 'redirect', url: `/login?returnTo=${encodeURIComponent(returnTo)}`, remember };
    if (!(await this.tenants.ssoActive(tenant))) return denied('single sign-on is not active for this organization or partner');
    const force = fresh ? '&force=true' : '';
    return { kind: 'redirect', url: `/saml/${tenant.type}/${tenant.id}/login?returnTo=${encodeURIComponent(returnTo)}${force}`, remember };
  }

  /**
   * No consent screen: the clients are the platform's own apps. oidc-provider asks for consent when
   * the request says prompt=consent (which OpenID Connect requires for offline_access); the grant
   * then takes what was asked for.
   */
  private async consent(details: InteractionDetails): Promise<InteractionStep> {
    const accountId = details.session?.accountId;
    const clientId = details.params.client_id;
    if (!accountId || !clientId) return denied('the request needs a signed-in user');
    const grantId = await this.oidc.grantRequested(accountId, clientId, details.params.scope ?? '', details.grantId);
    return { kind: 'finish', result: { consent: { grantId } } };
  }
}

function denied(description: string): InteractionStep {
  return { kind: 'finish', result: { error: 'access_denied', error_description: description } };
}

/**
 * A session answers when it is at the tenant asked for and, when a fresh login is asked for, is not
 * the one the interaction found on its first visit (it came from the login the browser was sent to).
 */
function acceptable(session: ActiveSession, requested: RequestedTenant, fresh: boolean, replaced: unknown): boolean {
  if (!isAtRequestedTenant(session, requested)) return false;
  return !fresh || (replaced !== undefined && replaced !== session.sessionId);
}
