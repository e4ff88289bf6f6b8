import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RETRY_AFTER_SECONDS } from '../common/all-exceptions.filter';
import { HTML_PAGE_CSP, renderErrorPage } from '../common/error-page';
import { isDatabaseUnavailable } from '../database/database-unavailable.error';
import { failureExplanation, failureStatus } from './login/failure-messages';
import { isSingleLogoutRequest, SIGN_OUT_FAILED_EXPLANATION, SIGN_OUT_FAILED_TITLE } from './logout/sign-out-pages';
import { SamlValidationError } from './saml-error';

/** The SAML endpoints answer browsers: every failure becomes a 4xx page naming it, never a stack trace. */
@Catch()
export class SamlErrorPageFilter implements ExceptionFilter {
  private readonly logger = new Logger('SamlErrors');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    response.setHeader('Content-Security-Policy', HTML_PAGE_CSP).setHeader('Cache-Control', 'no-store');
    if (error instanceof SamlValidationError) {
      const signOut = isSingleLogoutRequest(host.switchToHttp().getRequest<Request>()) && error.reason !== 'unknown_tenant';
      const page = signOut
        ? renderErrorPage(SIGN_OUT_FAILED_TITLE, SIGN_OUT_FAILED_EXPLANATION, error.reason)
        : renderErrorPage('Sign-in failed', failureExplanation(error.reason), error.reason);
      response.status(failureStatus(error.reason)).type('html').send(page);
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
