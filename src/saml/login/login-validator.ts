import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { WorkerPool } from '../../common/worker-pool';
import { SamlValidationError, type SamlMessageReason } from '../saml-error';
import { validateLoginResponse, type LoginResponseExpectations, type ValidatedLogin } from '../validate-login-response';

export interface LoginValidationTask {
  samlResponse: string;
  expected: LoginResponseExpectations;
}

/** A refusal crosses the thread boundary as data, so that its reason survives. */
export type LoginValidationOutcome = { login: ValidatedLogin } | { refusal: { reason: SamlMessageReason; message: string } };

const WORKER_SCRIPT = join(__dirname, 'login-validation.worker.js');
// A burst beyond what the threads can validate before the time limit is turned away at once
// (503 with Retry-After) instead of piling up: at about 1 ms per 6 KB response, 64 waiting
// responses per thread are under a tenth of a second of work.
const QUEUED_PER_THREAD = 64;
// The largest form the ACS accepts (1 MB) validates in well under a second on a free core; a
// login still waiting after this long is answered as the service being busy, and a validation
// still running is stopped with its thread.
const VALIDATION_TIMEOUT_MS = 5_000;
// Each thread's heap: a 1 MB response parsed and verified needs a few tens of MiB; the main
// thread keeps its own budget (--max-old-space-size).
const THREAD_HEAP_MB = 128;

/**
 * Runs validateLoginResponse on SAML_VALIDATION_THREADS worker threads, or on the event loop when
 * that is 0. Parsing and verifying a response is the one CPU-heavy step of a login (a 6 KB
 * response takes about 0.5 ms, the 1 MB the body limit allows far more); in a thread it holds up
 * neither the other requests nor the database driver, and uses a second core.
 */
@Injectable()
export class LoginValidator implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LoginValidator.name);
  private readonly pool: WorkerPool | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const threads = config.samlValidationThreads;
    this.pool =
      threads > 0
        ? new WorkerPool({
            script: WORKER_SCRIPT,
            threads,
            maxQueue: QUEUED_PER_THREAD * threads,
            taskTimeoutMs: VALIDATION_TIMEOUT_MS,
            resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB },
            onPoolError: (error) => this.logger.error({ msg: 'a SAML validation thread failed', error: error.message, stack: error.stack }),
          })
        : null;
  }

  async validate(samlResponse: string, expected: LoginResponseExpectations): Promise<ValidatedLogin> {
    if (!this.pool) return validateLoginResponse(samlResponse, expected);
    const outcome = (await this.pool.run({ samlResponse, expected } satisfies LoginValidationTask)) as LoginValidationOutcome;
    if ('refusal' in outcome) throw new SamlValidationError(outcome.refusal.reason, outcome.refusal.message);
    return outcome.login;
  }

  onApplicationBootstrap(): void {
    this.logger.log(
      this.pool ? `SAML responses are validated on ${this.pool.size} worker thread(s)` : 'SAML responses are validated on the event loop',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.close();
  }
}
