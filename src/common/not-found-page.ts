import type { Request, Response } from 'express';
import { escapeHtml } from './error-page';

/** The pages' own stylesheet and nothing else: no script, no framing. */
const NOT_FOUND_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * A browser that asks for a page that does not exist gets a page in the look of the others; API
 * clients (any path under /api/, or an Accept that does not prefer HTML) keep the JSON 404.
 */
export function wantsHtmlPage(request: Request): boolean {
  return !request.path.startsWith('/api/') && (request.method === 'GET' || request.method === 'HEAD') && request.accepts(['json', 'html']) === 'html';
}

export function sendNotFoundPage(request: Request, response: Response): void {
  response
    .status(404)
    .set({ 'Content-Security-Policy': NOT_FOUND_CSP, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' })
    .type('html')
    .send(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Page not found</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/assets/pages.css"></head>
<body>
<header class="top-bar"><p class="product">Single sign-on</p></header>
<main id="main" class="narrow">
<h1>Page not found</h1>
<p>There is no page at <code>${escapeHtml(request.path)}</code>. Check the address, or start again from one of these pages:</p>
<ul><li><a href="/login">Sign in</a></li><li><a href="/admin">Single sign-on settings</a> (for administrators)</li></ul>
</main>
</body>
</html>`);
}
