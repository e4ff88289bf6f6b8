import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { RETRY_AFTER_SECONDS } from '../common/all-exceptions.filter';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../common/domain-errors';
import { newErrorReference } from '../common/error-reference';
import { logFailureWithRequest } from '../common/logging';
import { isDatabaseUnavailable } from '../database/database-unavailable.error';
import { SCIM_CONTENT_TYPE, scimErrorBody, ScimError, ScimType } from './scim-error';

/** What the request log records of a refused SCIM request. */
export interface ScimFailure {
  scimType: ScimType | null;
  detail: string;
}

export const SCIM_FAILURE = 'scimFailure';

/**
 * The SCIM edge: every error of a SCIM route, the access guard's 401 included, as RFC 7644's error
 * body (`status` a string, `scimType` where the RFC names one) in application/scim+json.
 */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ScimErrors');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    const { status, scimType, detail } = this.describe(error, response);
    response.locals[SCIM_FAILURE] = { scimType, detail } satisfies ScimFailure;
    if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="SCIM"');
    response.status(status).setHeader('Content-Type', SCIM_CONTENT_TYPE).send(JSON.stringify(scimErrorBody(status, scimType, detail)));
  }

  private describe(error: unknown, response: Response): { status: number; scimType: ScimType | null; detail: string } {
    if (error instanceof ScimError) return { status: error.status, scimType: error.scimType, detail: error.message };
    if (error instanceof ConflictError) return { status: 409, scimType: 'uniqueness', detail: error.message };
    if (error instanceof NotFoundError) return { status: 404, scimType: null, detail: error.message };
    if (error instanceof PreconditionFailedError) return { status: 412, scimType: null, detail: error.message };
    if (error instanceof HttpException) {
      const status = error.getStatus();
      return { status, scimType: null, detail: status === 404 ? 'No such SCIM endpoint' : error.message };
    }
    if (isDatabaseUnavailable(error)) {
      response.setHeader('Retry-After', RETRY_AFTER_SECONDS);
      return { status: 503, scimType: null, detail: 'The service is temporarily unavailable; retry shortly' };
    }
    const reference = newErrorReference();
    logFailureWithRequest(response, { reference });
    this.logger.error({ msg: 'unhandled SCIM error', reference, error: (error as Error)?.message, stack: (error as Error)?.stack });
    return { status: 500, scimType: null, detail: `Internal server error (reference ${reference})` };
  }
}
