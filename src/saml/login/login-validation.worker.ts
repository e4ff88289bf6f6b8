import { SamlValidationError } from '../saml-error';
import { validateLoginResponse } from '../validate-login-response';
import type { LoginValidationOutcome, LoginValidationTask } from './login-validator';

/** The WorkerPool task: a refusal is returned, not thrown, since a thrown error would lose its reason crossing back. */
export default function validateOnThread({ samlResponse, expected }: LoginValidationTask): LoginValidationOutcome {
  try {
    return { login: validateLoginResponse(samlResponse, expected) };
  } catch (error) {
    if (error instanceof SamlValidationError) return { refusal: { reason: error.reason, message: error.message } };
    throw error;
  }
}
