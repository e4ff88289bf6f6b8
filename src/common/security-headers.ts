import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../config/app-config';

/** Nothing may load or frame anything unless a page sets its own, narrower policy. */
const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
/** Swagger UI ships its own script and inline styles. */
const API_DOCS_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

/**
 * Security headers on every response: nosniff, no framing, no referrer, HSTS when served over
 * https, and a deny-all Content-Security-Policy that HTML routes replace with their own.
 */
export function securityHeaders(config: AppConfig): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: false,
    strictTransportSecurity: config.servedOverHttps ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  return (request, response, next) => {
    response.setHeader('Content-Security-Policy', request.path.startsWith('/api/docs') ? API_DOCS_CSP : DEFAULT_CSP);
    headers(request, response, next);
  };
}
