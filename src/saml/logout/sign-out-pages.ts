import type { Request, Response } from 'express';
import { HTML_PAGE_CSP, renderNoticePage } from '../../common/error-page';
import type { IdpLogoutOutcome } from './single-logout.service';

export const SIGN_OUT_FAILED_TITLE = 'Sign-out failed';

/**
 * A refused logout message: an IdP's LogoutRequest ends nothing; a refused LogoutResponse comes
 * after the local session has already ended, but says nothing of the IdP's.
 */
export const SIGN_OUT_FAILED_EXPLANATION =
  'The sign-out message from the identity provider could not be accepted. If you were signing out, you are signed out of this service, ' +
  'but your session at the identity provider may still be open: close your browser to end it. Ask your administrator to check the SSO configuration.';

/** The single logout endpoint, whose failures are sign-out failures rather than sign-in ones. */
export function isSingleLogoutRequest(request: Request): boolean {
  return request.path.endsWith('/slo');
}

/** What the person who signed out is told once the IdP has answered; 200 either way, the answer was valid. */
export function sendIdpLogoutPage(response: Response, outcome: IdpLogoutOutcome): void {
  const page = outcome.confirmed
    ? renderNoticePage('Signed out', 'You are signed out of this service and of your identity provider.')
    : renderNoticePage(
        'Signed out here only',
        'You are signed out of this service, but your identity provider did not confirm that it ended your session there. ' +
          'Close your browser, or sign out at your identity provider, to end it.',
      );
  response.setHeader('Content-Security-Policy', HTML_PAGE_CSP).setHeader('Cache-Control', 'no-store').status(200).type('html').send(page);
}
