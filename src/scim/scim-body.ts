import type { NextFunction, Request, Response } from 'express';
import getRawBody from 'raw-body';
import { invalidSyntax, ScimError } from './scim-error';

export const SCIM_BASE_PATH = '/scim/v2';
export const SCIM_BODY_LIMIT = 1024 * 1024;
/** Far deeper than any SCIM resource (a PATCH value is four levels down); deeper input is refused before anything walks it. */
const MAX_DEPTH = 16;
/** Keys that would reach an object's prototype if some code assigned them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const JSON_TYPES = /^application\/(scim\+)?json$/i;

export type ScimBody = { value: unknown } | { error: ScimError } | { value: undefined };

export interface ScimRequest extends Request {
  scimBody?: ScimBody;
}

/**
 * Reads SCIM request bodies before the app's JSON parser would: SCIM clients send
 * `application/scim+json`, and bad bodies must become SCIM errors *after* the access guard has
 * looked at the token (ScimBodyParam raises them). The rest of the app keeps its parsers and limits.
 */
export function scimBodyReader() {
  return function readScimBody(request: ScimRequest, _response: Response, next: NextFunction): void {
    const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
    if (!hasBody) {
      request.scimBody = { value: undefined };
      next();
      return;
    }
    const [mediaType, ...parameters] = (request.headers['content-type'] ?? '').split(';').map((part) => part.trim());
    if (!JSON_TYPES.test(mediaType)) {
      request.scimBody = { error: new ScimError(415, null, 'Send application/scim+json or application/json') };
      request.resume();
      next();
      return;
    }
    const charset = parameters.find((parameter) => /^charset=/i.test(parameter))?.slice('charset='.length).replace(/"/g, '') ?? 'utf-8';
    getRawBody(request, { limit: SCIM_BODY_LIMIT, length: request.headers['content-length'], encoding: charset }).then(
      (text) => {
        request.scimBody = parseScimJson(text);
        next();
      },
      (error: { status?: number; type?: string }) => {
        request.scimBody = { error: readFailure(error) };
        request.resume();
        next();
      },
    );
  };
}

function readFailure(error: { status?: number; type?: string }): ScimError {
  if (error.status === 413) return new ScimError(413, null, `The request body is larger than ${SCIM_BODY_LIMIT} bytes`);
  if (error.status === 415) return new ScimError(415, null, 'Unsupported charset');
  return invalidSyntax('The request body could not be read');
}

export function parseScimJson(text: string): ScimBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: invalidSyntax('The request body is not valid JSON') };
  }
  const problem = structuralProblem(value);
  return problem ? { error: invalidSyntax(problem) } : { value };
}

/** The first key anywhere in `root` that would reach an object's prototype, if any (without recursion). */
export function forbiddenKeyIn(root: unknown): string | null {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      pending.push(...value);
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key)) return key;
      pending.push(child);
    }
  }
  return null;
}

/** Depth and key checks without recursion, so no input can exhaust the stack. */
function structuralProblem(root: unknown): string | null {
  const pending: { value: unknown; depth: number }[] = [{ value: root, depth: 1 }];
  while (pending.length > 0) {
    const { value, depth } = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_DEPTH) return `The request body is nested deeper than ${MAX_DEPTH} levels`;
    if (Array.isArray(value)) {
      for (const child of value) pending.push({ value: child, depth: depth + 1 });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `The key "${key}" is not allowed`;
      pending.push({ value: child, depth: depth + 1 });
    }
  }
  return null;
}
