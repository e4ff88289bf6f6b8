import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RETRY_AFTER_SECONDS } from '../common/all-exceptions.filter';
import { newErrorReference } from '../common/error-reference';
import { ErrorPage, HTML_PAGE_CSP, renderErrorPage } from '../common/error-page';
import { logFailureWithRequest } from '../common/logging';
import { WorkerPoolBusyError } from '../common/worker-pool';
import { isDatabaseUnavailable } from '../database/database-unavailable.error';
import { failureExplanation, failureStatus, INTERNAL_ERROR_EXPLANATION } from './login/failure-messages';
import { FailedSignIn, isLoginRefusal } from './login/login-failure';
import { isSingleLogoutRequest, SIGN_OUT_FAILED_EXPLANATION, SIGN_OUT_FAILED_TITLE } from './logout/sign-out-pages';

type PageAnswer = { status: number; page: Omit<ErrorPage, 'reference'> };

const TEMPORARILY_UNAVAILABLE = { title: 'Sign-in is temporarily unavailable', explanation: 'Please try again in a few moments.' };

/**
 * The SAML endpoints answer browsers: every failure becomes a page of one look naming it, with a
 * reference that the log line (and, at the ACS, the login attempt) carries too. Never a stack trace.
 */
@Catch()
export class SamlErrorPageFilter implements ExceptionFilter {
  private readonly logger = new Logger('SamlErrors');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    // The ACS has already recorded the attempt under its reference; elsewhere the reference is made here.
    const reference = error instanceof FailedSignIn ? error.reference : newErrorReference();
    const failure = error instanceof FailedSignIn ? error.cause : error;
    if (error instanceof FailedSignIn && error.failureReturnTo) {
      logFailureWithRequest(response, { reference, reason: error.reason });
      response.setHeader('Cache-Control', 'no-store');
      response.redirect(303, `${error.failureReturnTo}?login_failed=${encodeURIComponent(error.reason)}`);
      return;
    }
    const { status, page } = this.answerFor(failure, reference, host.switchToHttp().getRequest<Request>());
    logFailureWithRequest(response, { reference, ...(page.reason ? { reason: page.reason } : {}) });
    response.setHeader('Content-Security-Policy', HTML_PAGE_CSP).setHeader('Cache-Control', 'no-store');
    if (status === 503) response.setHeader('Retry-After', RETRY_AFTER_SECONDS);
    response.status(status).type('html').send(renderErrorPage({ ...page, reference }));
  }

  private answerFor(failure: unknown, reference: string, request: Request): PageAnswer {
    if (isLoginRefusal(failure)) {
      const signOut = isSingleLogoutRequest(request) && failure.reason !== 'unknown_tenant';
      return {
        status: failureStatus(failure.reason),
        page: signOut
          ? { title: SIGN_OUT_FAILED_TITLE, explanation: SIGN_OUT_FAILED_EXPLANATION, reason: failure.reason }
          : { title: 'Sign-in failed', explanation: failureExplanation(failure.reason), reason: failure.reason },
      };
    }
    if (isDatabaseUnavailable(failure)) {
      this.logger.warn({ msg: 'database unavailable on a SAML endpoint', reference });
      return { status: 503, page: TEMPORARILY_UNAVAILABLE };
    }
    if (failure instanceof WorkerPoolBusyError) {
      this.logger.warn({ msg: 'the SAML validation threads are busy', reference, error: failure.message });
      return { status: 503, page: TEMPORARILY_UNAVAILABLE };
    }
    if (failure instanceof HttpException && failure.getStatus() < 500) {
      return { status: failure.getStatus(), page: { title: 'Sign-in failed', explanation: failure.message } };
    }
    this.logger.error({
      msg: 'unexpected error on a SAML endpoint',
      reference,
      error: (failure as Error)?.message,
      stack: (failure as Error)?.stack,
    });
    return { status: 500, page: { title: 'Sign-in failed', explanation: INTERNAL_ERROR_EXPLANATION, reason: 'internal_error' } };
  }
}
