import type { Request } from 'express';
import { readSessionCookie } from './session-cookie';

/**
 * The credential a request carries: `Authorization: Bearer …`, else the session cookie (the pages of
 * this service call the API with it; it is HttpOnly and SameSite=Lax). Empty when there is none.
 */
export function requestCredential(request: Request): string {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  return bearer ?? readSessionCookie(request) ?? '';
}
