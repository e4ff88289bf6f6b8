import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isDatabaseUnavailable } from '../database/database-unavailable.error';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, PreconditionFailedError, UnauthorizedError } from './domain-errors';
import { newErrorReference } from './error-reference';
import { logFailureWithRequest } from './logging';
import { sendNotFoundPage, wantsHtmlPage } from './not-found-page';

export const RETRY_AFTER_SECONDS = '5';

/** The one place where errors become HTTP answers for the JSON API (and the 404 page of browsers). */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    if (error instanceof HttpException) {
      const request = host.switchToHttp().getRequest<Request>();
      if (error.getStatus() === 404 && wantsHtmlPage(request)) {
        sendNotFoundPage(request, response);
        return;
      }
      const body = error.getResponse();
      response.status(error.getStatus()).json(typeof body === 'string' ? { statusCode: error.getStatus(), message: body } : body);
      return;
    }
    const domain = domainErrorBody(error);
    if (domain) {
      response.status(domain.statusCode).json(domain);
      return;
    }
    const status = (error as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Errors raised by body parsing (too large, malformed JSON) before any handler ran.
      response.status(status).json({ statusCode: status, message: describeClientError(status) });
      return;
    }
    if (isDatabaseUnavailable(error)) {
      response
        .status(503)
        .setHeader('Retry-After', RETRY_AFTER_SECONDS)
        .json({ statusCode: 503, message: 'The service is temporarily unavailable; retry shortly' });
      return;
    }
    // A reference in the answer and the log line, so that whoever quotes it leads to the stack here.
    const reference = newErrorReference();
    logFailureWithRequest(response, { reference });
    this.logger.error({ msg: 'unhandled error', reference, error: (error as Error)?.message, stack: (error as Error)?.stack });
    response.status(500).json({ statusCode: 500, message: 'Internal server error', reference });
  }
}

function domainErrorBody(error: unknown): Record<string, unknown> & { statusCode: number } | null {
  if (error instanceof InvalidInputError) {
    return { statusCode: 400, error: 'Bad Request', field: error.field, code: error.code, message: error.message, errors: error.problems };
  }
  if (error instanceof NotFoundError) return { statusCode: 404, error: 'Not Found', message: error.message };
  if (error instanceof ConflictError) {
    return {
      statusCode: 409,
      error: 'Conflict',
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
      ...(error.code ? { code: error.code } : {}),
      ...(error.field && error.code ? { errors: [{ field: error.field, code: error.code, message: error.message }] } : {}),
    };
  }
  if (error instanceof UnauthorizedError) return { statusCode: 401, error: 'Unauthorized', code: error.code, message: error.message };
  if (error instanceof ForbiddenError) return { statusCode: 403, error: 'Forbidden', message: error.message };
  if (error instanceof PreconditionFailedError) return { statusCode: 412, error: 'Precondition Failed', message: error.message };
  return null;
}

function describeClientError(status: number): string {
  if (status === 413) return 'The request body is too large';
  if (status === 415) return 'Unsupported content type';
  return 'The request body could not be read';
}
