import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { escapeHtml } from '../../common/error-page';

/**
 * The HTTP-POST binding: the browser carries the message by submitting this form. The one script
 * runs under a per-response nonce, and the form may post only to the IdP's origin.
 */
export function sendAutoPostForm(response: Response, action: string, fields: Record<string, string>): void {
  const nonce = randomBytes(16).toString('base64');
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  response
    .setHeader(
      'Content-Security-Policy',
      `default-src 'none'; script-src 'nonce-${nonce}'; form-action ${new URL(action).origin}; frame-ancestors 'none'; base-uri 'none'`,
    )
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signing in…</title></head><body>
<form method="post" action="${escapeHtml(action)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form>
<script nonce="${nonce}">document.forms[0].submit();</script></body></html>`,
    );
}
