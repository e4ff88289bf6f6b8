import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { newErrorReference } from '../../common/error-reference';
import { WorkerPoolBusyError } from '../../common/worker-pool';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { isDatabaseUnavailable } from '../../database/database-unavailable.error';
import { resolveIdentity } from '../../provisioning/attribute-resolver';
import { ProvisioningError } from '../../provisioning/provisioning.error';
import { ProvisioningService } from '../../provisioning/provisioning.service';
import { SessionsService } from '../../sessions/sessions.service';
import { TEST_SIGN_IN_RETURN_TO } from '../../sso-config/login-attempt.statement';
import { LoginAttempt, SsoConfigRepository } from '../../sso-config/sso-config.repository';
import type { TenantRef } from '../../tenancy/tenant';
import { failureReturnOf, safeReturnTo } from '../protocol/return-to';
import { LoginStateError, SamlValidationError, TenantSsoError } from '../saml-error';
import type { ValidatedLogin } from '../validate-login-response';
import { LoginConfigCache } from './login-config.cache';
import { FailedSignIn, isLoginRefusal } from './login-failure';
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
 * statement. Every failure, expected or not, is recorded with its reason and a reference.
 */
@Injectable()
export class AcsService {
  private readonly logger = new Logger(AcsService.name);

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
    let config: TenantLoginConfig | null = null;
    let login: ValidatedLogin | null = null;
    try {
      config = await this.configs.get(tenant);
      if (!config) throw new TenantSsoError('unknown_tenant', 'SSO is not set up for this tenant');
      if (!config.enabled || !config.idp) throw new TenantSsoError('sso_disabled', 'SSO is not active for this tenant');
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
        throw new TenantSsoError('idp_initiated_not_allowed', 'This tenant accepts only sign-ins started here');
      }
      return await this.complete(config, login, relayState, now);
    } catch (error) {
      throw await this.recordFailure(tenant, error, config, login, relayState);
    }
  }

  /**
   * The attempt of a failed login, under a new reference: a refusal with its reason, anything else
   * as `internal_error`. Its own separate statement, so it is written even when the login's statement
   * was what failed; when it cannot be written the failure is still answered, and logged.
   */
  private async recordFailure(
    tenant: TenantRef,
    error: unknown,
    config: TenantLoginConfig | null,
    login: ValidatedLogin | null,
    relayState: unknown,
  ): Promise<FailedSignIn> {
    const failure = new FailedSignIn(newErrorReference(), isLoginRefusal(error) ? error.reason : 'internal_error', error);
    // Nobody administers an unknown tenant, an unreachable database takes no record, and a login shed
    // because the validation threads are busy would only add a write to an overloaded service.
    if (failure.reason === 'unknown_tenant' || isDatabaseUnavailable(error) || error instanceof WorkerPoolBusyError) return failure;
    const attempt: LoginAttempt = {
      tenant,
      outcome: 'failure',
      reason: failure.reason,
      reference: failure.reference,
      email: error instanceof ProvisioningError ? error.email : emailOf(login, config),
      assertionId: login?.assertionId ?? null,
      test: false,
    };
    try {
      // Only a label and a way back: when the lookup fails (its connection gone after the login's failed statement), the attempt is still recorded.
      const returnTo = await this.returnToOf(tenant, relayState).catch(() => null);
      attempt.test = returnTo === TEST_SIGN_IN_RETURN_TO;
      failure.failureReturnTo = failureReturnOf(returnTo);
      await this.store.recordLoginAttempt(attempt).catch((firstError: unknown) => {
        // A failed statement can take its connection with it (the embedded database's socket
        // server drops the connection after any error): the pool then opens a new one for a retry.
        if (!isDatabaseUnavailable(firstError)) throw firstError;
        return this.store.recordLoginAttempt(attempt);
      });
    } catch (recordingError) {
      this.logger.error({
        msg: 'the failed login attempt could not be recorded',
        reference: failure.reference,
        reason: failure.reason,
        error: (recordingError as Error)?.message,
      });
    }
    return failure;
  }

  /**
   * Where the refused sign-in was to land (the settings page's test, an OpenID interaction): the
   * RelayState posted back names the request it started with. Unverified when the response was
   * refused, which is fine for a label in the tenant's own history and for ending that interaction
   * with access_denied; it grants nothing.
   */
  private async returnToOf(tenant: TenantRef, relayState: unknown): Promise<string | null> {
    if (typeof relayState !== 'string' || relayState === '') return null;
    return this.requests.returnToOf(tenant, relayState);
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
      throw new LoginStateError(reason, 'The response answers no open request of this tenant');
    }
    if (!outcome.fresh) throw new LoginStateError('replayed_assertion', 'This assertion was used before');
    if (!outcome.userId) throw await this.provisioning.refusalFor(tenant, plan);
    const returnTo = outcome.returnTo ?? safeReturnTo(relayState, this.appConfig.publicBaseUrl, this.appConfig.allowedReturnOrigins);
    return { returnTo, sessionToken: session.token, sessionExpiresAt: session.expiresAt };
  }
}

/** For the attempt record: the email the assertion names, when it names one. */
function emailOf(login: ValidatedLogin | null, config: TenantLoginConfig | null): string | null {
  if (!login || !config) return null;
  try {
    return resolveIdentity(login, config.options.attributeMapping).email;
  } catch {
    return null;
  }
}
