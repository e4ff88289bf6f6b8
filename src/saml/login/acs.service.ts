import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { resolveIdentity } from '../../provisioning/attribute-resolver';
import { ProvisioningError } from '../../provisioning/provisioning.error';
import { ProvisioningService } from '../../provisioning/provisioning.service';
import { SessionsService } from '../../sessions/sessions.service';
import { SsoConfigRepository } from '../../sso-config/sso-config.repository';
import type { TenantRef } from '../../tenancy/tenant';
import { safeReturnTo } from '../protocol/return-to';
import { SamlValidationError } from '../saml-error';
import type { ValidatedLogin } from '../validate-login-response';
import { LoginConfigCache } from './login-config.cache';
import { LoginValidator } from './login-validator';
import { LoginWriteRepository } from './login-write.repository';
import { SamlLoginRepository } from './saml-login.repository';
import type { TenantLoginConfig } from './tenant-login-config';

export interface CompletedLogin {
  returnTo: string;
  sessionToken: string;
  sessionExpiresAt: Date;
}

/**
 * The Assertion Consumer Service: a response is accepted only when every check holds. The
 * message checks run in memory (on a worker thread, see LoginValidator); the request consumption,
 * the replay entry, the user, the session and the success record are written by one atomic
 * statement. Every refusal is recorded with its reason.
 */
@Injectable()
export class AcsService {
  constructor(
    @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
    private readonly configs: LoginConfigCache,
    private readonly store: SsoConfigRepository,
    private readonly requests: SamlLoginRepository,
    private readonly logins: LoginWriteRepository,
    private readonly provisioning: ProvisioningService,
    private readonly sessions: SessionsService,
    private readonly validator: LoginValidator,
  ) {}

  async consume(tenant: TenantRef, samlResponse: unknown, relayState: unknown): Promise<CompletedLogin> {
    const config = await this.configs.get(tenant);
    if (!config) throw new SamlValidationError('unknown_tenant', 'SSO is not set up for this tenant');
    let login: ValidatedLogin | null = null;
    try {
      if (!config.enabled || !config.idp) throw new SamlValidationError('sso_disabled', 'SSO is not active for this tenant');
      if (typeof samlResponse !== 'string') throw new SamlValidationError('malformed_request', 'The form carries no SAMLResponse');
      const now = new Date();
      login = await this.validator.validate(samlResponse, {
        idpEntityId: config.idp.entityId,
        idpKeys: config.idpKeys,
        spEntityId: config.sp.entityId,
        acsUrl: config.sp.acsUrl,
        spDecryptionKey: config.sp.privateKey,
        clockSkewSeconds: config.options.clockSkewSeconds,
        allowSha1Signatures: config.options.allowSha1Signatures,
        allowCbcEncryption: config.options.allowCbcEncryption,
        now,
      });
      if (!login.inResponseTo && !config.options.allowIdpInitiated) {
        throw new SamlValidationError('idp_initiated_not_allowed', 'This tenant accepts only sign-ins started here');
      }
      return await this.complete(config, login, relayState, now);
    } catch (error) {
      const refusal = asRefusal(error);
      if (!refusal) throw error;
      await this.store.recordLoginAttempt({
        tenant,
        outcome: 'failure',
        reason: refusal.reason,
        email: error instanceof ProvisioningError ? error.email : emailOf(login, config),
        assertionId: login?.assertionId ?? null,
      });
      throw refusal;
    }
  }

  private async complete(config: TenantLoginConfig, login: ValidatedLogin, relayState: unknown, now: Date): Promise<CompletedLogin> {
    const { tenant, options } = config;
    const plan = this.provisioning.planLogin(login, options);
    const { nameQualifier, spNameQualifier, spProvidedId } = login;
    const session = this.sessions.mint(
      { sessionIndex: login.sessionIndex, nameIdQualifiers: { nameQualifier, spNameQualifier, spProvidedId }, idpSessionNotOnOrAfter: login.sessionNotOnOrAfter },
      now,
    );
    const outcome = await this.logins.write({
      tenant,
      now,
      requestId: login.inResponseTo,
      relayState: typeof relayState === 'string' && relayState !== '' ? relayState : null,
      assertionId: login.assertionId,
      replayExpiresAt: new Date(login.assertionNotOnOrAfter.getTime() + options.clockSkewSeconds * 1000),
      plan,
      session,
      attemptId: randomUUID(),
    });
    if (login.inResponseTo && !outcome.requestConsumed) {
      const reason = await this.requests.whyNotConsumable(tenant, login.inResponseTo);
      throw new SamlValidationError(reason, 'The response answers no open request of this tenant');
    }
    if (!outcome.fresh) throw new SamlValidationError('replayed_assertion', 'This assertion was used before');
    if (!outcome.userId) throw await this.provisioning.refusalFor(tenant, plan);
    const returnTo = outcome.returnTo ?? safeReturnTo(relayState, this.appConfig.publicBaseUrl, this.appConfig.allowedReturnOrigins);
    return { returnTo, sessionToken: session.token, sessionExpiresAt: session.expiresAt };
  }
}

function asRefusal(error: unknown): SamlValidationError | null {
  if (error instanceof SamlValidationError) return error;
  if (error instanceof ProvisioningError) return new SamlValidationError(error.reason, error.message);
  return null;
}

/** For the attempt record: the email the assertion names, when it names one. */
function emailOf(login: ValidatedLogin | null, config: TenantLoginConfig): string | null {
  if (!login) return null;
  try {
    return resolveIdentity(login, config.options.attributeMapping).email;
  } catch {
    return null;
  }
}
