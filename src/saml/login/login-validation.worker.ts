import { serveWorkerTasks } from '../../common/serve-worker-tasks';
import { SamlValidationError } from '../saml-error';
import { validateLoginResponse } from '../validate-login-response';
import type { LoginValidationOutcome, LoginValidationTask } from './login-validator';

serveWorkerTasks(({ samlResponse, expected }: LoginValidationTask): LoginValidationOutcome => {
  try {
    return { login: validateLoginResponse(samlResponse, expected) };
  } catch (error) {
    if (error instanceof SamlValidationError) return { refusal: { reason: error.reason, message: error.message } };
    throw error;
  }
});
