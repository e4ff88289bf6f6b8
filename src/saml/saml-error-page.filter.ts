import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { RETRY_AFTER_SECONDS } from '../common/all-exceptions.filter';
import { HTML_PAGE_CSP, renderErrorPage } from '../common/error-page';
import { isDatabaseUnavailable } from '../database/database-unavailable.error';
import { failureExplanation, failureStatus } from './login/failure-messages';
import { isLoginRefusal } from './login/login-failure';

/** The SAML endpoints answer browsers: every failure becomes a 4xx page naming it, never a stack trace. */
@Catch()
export class SamlErrorPageFilter implements ExceptionFilter {
  private readonly logger = new Logger('SamlErrors');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    response.setHeader('Content-Security-Policy', HTML_PAGE_CSP).setHeader('Cache-Control', 'no-store');
    if (isLoginRefusal(error)) {
      response
        .status(failureStatus(error.reason))
        .type('html')
        .send(renderErrorPage('Sign-in failed', failureExplanation(error.reason), error.reason));
      return;
    }
    if (isDatabaseUnavailable(error)) {
      response
        .status(503)
        .setHeader('Retry-After', RETRY_AFTER_SECONDS)
        .type('html')
        .send(renderErrorPage('Sign-in is temporarily unavailable', 'Please try again in a few moments.'));
      return;
    }
    if (error instanceof HttpException) {
      response.status(error.getStatus()).type('html').send(renderErrorPage('Sign-in failed', error.message));
      return;
    }
    this.logger.error({ msg: 'unhandled error on a SAML endpoint', error: (error as Error)?.message, stack: (error as Error)?.stack });
    response.status(500).type('html').send(renderErrorPage('Sign-in failed', 'Something went wrong on our side. Please try again.'));
  }
}
