import type { Response } from 'express';
import type { StaticFile } from './page-files';

/** No inline script or style anywhere, no request to another origin, no framing. */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * How a page relates to the windows it opens or is opened by. The settings page opens the test
 * sign-in window and the result page must still reach it after the window went through the
 * identity provider's origin; every other page keeps other origins' windows out entirely.
 */
export type OpenerPolicy = 'same-origin' | 'same-origin-allow-popups' | 'unsafe-none';

export function sendPage(response: Response, page: StaticFile, openerPolicy: OpenerPolicy): void {
  response.set({
    'Content-Security-Policy': PAGE_CONTENT_SECURITY_POLICY,
    'Cross-Origin-Opener-Policy': openerPolicy,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  });
  sendFile(response, page);
}

/** Express adds an ETag and answers a matching If-None-Match with 304. */
export function sendFile(response: Response, file: StaticFile): void {
  response.type(file.contentType).send(file.body);
}
