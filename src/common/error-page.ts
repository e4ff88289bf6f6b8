const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

/** Security headers of every HTML page this service renders itself (no scripts, no framing). */
export const HTML_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export interface ErrorPage {
  title: string;
  explanation: string;
  /** The recorded reason code, for the administrator. */
  reason?: string;
  /** The reference of this one failure, which the administrator finds in the sign-in attempts and the logs. */
  reference: string;
}

/** The one look of every page a browser gets when a SAML endpoint could not sign it in, expected or not. */
export function renderErrorPage(page: ErrorPage): string {
  const reason = page.reason ? ` (reason code <code>${escapeHtml(page.reason)}</code>)` : '';
  return renderPage(
    page.title,
    `<p>${escapeHtml(page.explanation)}</p><p>If you need help, tell your administrator this reference: <code id="reference">${escapeHtml(page.reference)}</code>${reason}</p>`,
  );
}

/** The same plain page for an outcome that is not an error, such as a completed sign-out. */
export function renderNoticePage(title: string, explanation: string): string {
  return renderPage(title, `<p>${escapeHtml(explanation)}</p>`);
}

/** The same plain page around a form the caller built (its values escaped), such as a sign-out confirmation. */
export function renderFormPage(title: string, explanation: string, form: string): string {
  return renderPage(title, `<p>${escapeHtml(explanation)}</p>${form}`);
}

function renderPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#eee;padding:.1rem .3rem}</style>
</head><body><main><h1>${escapeHtml(title)}</h1>${body}<p><a href="/">Back to the start page</a></p></main></body></html>`;
}
