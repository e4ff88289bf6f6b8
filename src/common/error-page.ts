const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

/** Security headers of every HTML page this service renders itself (no scripts, no framing). */
export const HTML_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** A plain page for a browser that reached a SAML endpoint and could not be signed in. */
export function renderErrorPage(title: string, explanation: string, reference?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#eee;padding:.1rem .3rem}</style>
</head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(explanation)}</p>${
    reference ? `<p>If you need help, tell your administrator this reason code: <code>${escapeHtml(reference)}</code></p>` : ''
  }<p><a href="/">Back to the start page</a></p></main></body></html>`;
}

/** The same plain page for an outcome that is not an error, such as a completed sign-out. */
export function renderNoticePage(title: string, explanation: string): string {
  return renderErrorPage(title, explanation);
}
