import { invalidValue } from './scim-error';
import type { ScimDocument } from './scim-validation';

/** Always returned, whatever `attributes` or `excludedAttributes` say (RFC 7643 §7 "returned: always"). */
const ALWAYS = new Set(['id', 'schemas']);
const MAX_NAMES = 100;

export interface Projection {
  /** Attribute paths in lower case, without the schema URN; null for "the default set". */
  include: string[] | null;
  exclude: string[];
}

/** `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5), comma-separated, optionally URN-qualified. */
export function projectionOf(query: Record<string, unknown>, schemaUrns: string[]): Projection {
  const names = (raw: unknown): string[] | null => {
    if (raw === undefined) return null;
    if (typeof raw !== 'string') throw invalidValue('"attributes" and "excludedAttributes" are comma-separated strings');
    const list = raw.split(',').map((name) => unqualified(name.trim(), schemaUrns)).filter(Boolean);
    if (list.length > MAX_NAMES) throw invalidValue(`At most ${MAX_NAMES} attribute names`);
    return list;
  };
  return { include: names(query.attributes), exclude: names(query.excludedAttributes) ?? [] };
}

function unqualified(name: string, schemaUrns: string[]): string {
  const lower = name.toLowerCase();
  for (const urn of schemaUrns) {
    const prefix = `${urn.toLowerCase()}:`;
    if (lower.startsWith(prefix)) return lower.slice(prefix.length);
  }
  return lower;
}

/** Whether the projection returns `name` (a top-level attribute) at all: lets callers skip expensive parts such as members. */
export function wants(projection: Projection, name: string): boolean {
  const lower = name.toLowerCase();
  if (projection.exclude.includes(lower)) return false;
  return projection.include === null || projection.include.some((path) => path === lower || path.startsWith(`${lower}.`));
}

export function project(resource: ScimDocument, projection: Projection): ScimDocument {
  if (projection.include === null && projection.exclude.length === 0) return resource;
  const result: ScimDocument = {};
  for (const [key, value] of Object.entries(resource)) {
    const lower = key.toLowerCase();
    if (ALWAYS.has(lower)) {
      result[key] = value;
      continue;
    }
    if (projection.exclude.includes(lower)) continue;
    if (projection.include === null) {
      result[key] = withoutSubAttributes(value, projection.exclude, lower);
      continue;
    }
    if (projection.include.includes(lower)) {
      result[key] = value;
      continue;
    }
    const subNames = projection.include.filter((path) => path.startsWith(`${lower}.`)).map((path) => path.slice(lower.length + 1));
    if (subNames.length > 0) {
      const picked = pickSubAttributes(value, subNames);
      if (picked !== undefined) result[key] = picked;
    }
  }
  return result;
}

function pickSubAttributes(value: unknown, subNames: string[]): unknown {
  const pick = (item: unknown) =>
    item !== null && typeof item === 'object'
      ? Object.fromEntries(Object.entries(item).filter(([name]) => subNames.includes(name.toLowerCase())))
      : undefined;
  return Array.isArray(value) ? value.map(pick) : pick(value);
}

function withoutSubAttributes(value: unknown, exclude: string[], parent: string): unknown {
  const subNames = exclude.filter((path) => path.startsWith(`${parent}.`)).map((path) => path.slice(parent.length + 1));
  if (subNames.length === 0) return value;
  const drop = (item: unknown) =>
    item !== null && typeof item === 'object'
      ? Object.fromEntries(Object.entries(item).filter(([name]) => !subNames.includes(name.toLowerCase())))
      : item;
  return Array.isArray(value) ? value.map(drop) : drop(value);
}
