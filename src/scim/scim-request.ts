import { createHash } from 'node:crypto';
import { ScimError, invalidValue } from './scim-error';
import { LIST_RESPONSE_SCHEMA } from './scim-schema';
import type { ScimDocument } from './scim-validation';
import type { TenantRef } from '../tenancy/tenant';

/** The most a list answers in one page (ServiceProviderConfig's filter.maxResults). */
export const MAX_RESULTS = 1000;
const DEFAULT_COUNT = 100;

/** Who asks, for which tenant, and where its resources live. */
export interface ScimContext {
  tenant: TenantRef;
  tokenId: string;
  /** `{PUBLIC_BASE_URL}/scim/v2/{type}/{id}` */
  baseUrl: string;
}

export interface Paging {
  startIndex: number;
  count: number;
}

/** RFC 7644 §3.4.2.4: startIndex below 1 is 1, a negative count is 0; no number at all is invalidValue. */
export function pagingOf(query: Record<string, unknown>): Paging {
  const integer = (name: string, fallback: number): number => {
    const raw = query[name];
    if (raw === undefined || raw === '') return fallback;
    if (typeof raw !== 'string' || !/^-?\d{1,9}$/.test(raw.trim())) throw invalidValue(`"${name}" must be an integer`);
    return Number(raw.trim());
  };
  return { startIndex: Math.max(1, integer('startIndex', 1)), count: Math.min(MAX_RESULTS, Math.max(0, integer('count', DEFAULT_COUNT))) };
}

export function filterOf(query: Record<string, unknown>): string | null {
  const raw = query.filter;
  if (raw === undefined) return null;
  if (typeof raw !== 'string') throw new ScimError(400, 'invalidFilter', '"filter" must be given once');
  return raw.trim() === '' ? null : raw;
}

export function listResponse(resources: ScimDocument[], total: number, paging: Paging) {
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults: total, startIndex: paging.startIndex, itemsPerPage: resources.length, Resources: resources };
}

/** A weak ETag of what a resource shows (its meta aside): it changes exactly when a read would show something else. */
export function contentVersion(resource: ScimDocument): string {
  return `W/"${createHash('sha256').update(canonicalJson(resource)).digest('base64url').slice(0, 27)}"`;
}

/** JSON with object keys sorted: the database returns jsonb keys in its own order, not in the order they were sent. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.keys(inner).sort().map((key) => [key, (inner as Record<string, unknown>)[key]]))
      : inner,
  );
}

/** `If-Match` when sent (RFC 7644 §3.14, RFC 7232 weak comparison); never required. */
export function checkIfMatch(ifMatch: string | undefined, version: string): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const matches = ifMatch.split(',').some((tag) => opaque(tag) === opaque(version));
  if (!matches) throw new ScimError(412, null, 'The resource changed since the version given in If-Match');
}
