import { parse as parseFilter, Filter } from 'scim2-parse-filter';
import { scimPatch, ScimError as PatchLibraryError, ScimPatchOperation, ScimResource } from 'scim-patch';
import { forbiddenKeyIn } from './scim-body';
import { invalidPath, invalidSyntax, invalidValue, mutability, ScimError } from './scim-error';
import { AttributeDefinition, PATCH_OP_SCHEMA, ResourceDescription, subAttributeOf } from './scim-schema';
import { booleanValue, isObject, ScimDocument } from './scim-validation';

const MAX_OPERATIONS = 1000;
const PATH = /^([A-Za-z$][\w$-]*)(?:\[(.+)\])?(?:\.([A-Za-z$][\w$-]*))?$/s;

type Operation = { op: 'add' | 'remove' | 'replace'; path: string; value?: unknown };

/** What a PATCH may not touch besides the schema's readOnly attributes: the id (unless it repeats the resource's own, as Okta does). */
interface PatchContext {
  resource: ResourceDescription;
  resourceId: string;
}

/**
 * RFC 7644 §3.5.2 PATCH, applied by scim-patch to the stored document after this normaliser has
 * brought the dialects of Entra ID and Okta to the RFC's form: operation names in any case,
 * path-less operations split into one operation per attribute (their keys may be dotted paths
 * such as `name.givenName` or `emails[type eq "work"].value`), `"True"`/`"False"` for booleans, and
 * members given as `{value, $ref, display}` compared by `value` alone. Every path is checked against
 * the schema first (unknown → invalidPath, read-only → mutability), so the library only ever sees
 * attributes of the schema, in the schema's spelling.
 */
export function applyPatch(document: ScimDocument, body: unknown, context: PatchContext): ScimDocument {
  const operations = normalise(body, context);
  // A JSON copy, as scim-patch makes itself: its deep-equality checks compare constructors, which
  // structuredClone's objects do not share with the operation values in every realm (jest's vm).
  const patched = JSON.parse(JSON.stringify(document)) as ScimDocument & ScimResource;
  for (const operation of operations) {
    try {
      scimPatch(patched, [operation as ScimPatchOperation], { mutateDocument: true, treatMissingAsAdd: true });
    } catch (error) {
      if (error instanceof PatchLibraryError) {
        const scimType = error.scimCode === 'noTarget' ? 'noTarget' : 'invalidValue';
        throw new ScimError(400, scimType, error.message || `The operation on "${operation.path}" cannot be applied`);
      }
      throw error;
    }
  }
  return patched;
}

/**
 * A PATCH made only of member additions and removals (`add members`, `remove members` with values,
 * `remove members[value eq "…"]`), as the membership list after it and the members it names; null
 * for any other PATCH.
 * Set arithmetic on the ids gives what scim-patch would for these, without its pairwise deep
 * comparison of every added member with every member present (2,000 × 100 per request when Entra
 * ID fills a large group), which made these requests the slowest of a directory's first cycle.
 */
export function memberListAfter(
  memberIds: readonly string[],
  body: unknown,
  context: PatchContext,
): { after: string[]; named: string[] } | null {
  const operations = normalise(body, context);
  const members = new Set(memberIds);
  const named: string[] = [];
  for (const operation of operations) {
    const removed = /^members\[value eq ("(?:[^"\\]|\\.)*")\]$/.exec(operation.path);
    if (operation.op === 'remove' && removed) {
      const value = JSON.parse(removed[1]) as string;
      members.delete(value);
      named.push(value);
    } else if (operation.path === 'members' && operation.op !== 'replace' && Array.isArray(operation.value)) {
      for (const { value } of operation.value as { value: string }[]) {
        if (operation.op === 'add') members.add(value);
        else members.delete(value);
        named.push(value);
      }
    } else {
      return null;
    }
  }
  return { after: [...members], named };
}

export function normalise(body: unknown, context: PatchContext): Operation[] {
  if (!isObject(body)) throw invalidSyntax('A PATCH body must be a JSON object');
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(PATCH_OP_SCHEMA)) throw invalidSyntax(`"schemas" must be ["${PATCH_OP_SCHEMA}"]`);
  const raw = body.Operations ?? body.operations;
  if (!Array.isArray(raw) || raw.length === 0) throw invalidSyntax('"Operations" must be a non-empty array');
  if (raw.length > MAX_OPERATIONS) throw invalidSyntax(`At most ${MAX_OPERATIONS} operations per request`);
  // The body reader refuses these too; the library below assigns keys, so the normaliser never relies on its caller for that.
  const forbidden = forbiddenKeyIn(raw);
  if (forbidden) throw invalidSyntax(`The key "${forbidden}" is not allowed`);
  return raw.flatMap((operation) => normaliseOperation(operation, context));
}

function normaliseOperation(operation: unknown, context: PatchContext): Operation[] {
  if (!isObject(operation)) throw invalidSyntax('Each operation must be an object');
  const op = typeof operation.op === 'string' ? operation.op.toLowerCase() : '';
  if (op !== 'add' && op !== 'remove' && op !== 'replace') throw invalidSyntax(`Unknown operation "${String(operation.op)}"`);
  const path = operation.path;
  if (path !== undefined && path !== null && (typeof path !== 'string' || path.trim() === '')) throw invalidPath('"path" must be a non-empty string');
  if (typeof path === 'string') return [pathedOperation(op, path.trim(), operation.value, 'value' in operation, context)];
  if (op === 'remove') throw new ScimError(400, 'noTarget', 'A remove operation needs a "path"');
  if (!isObject(operation.value)) throw invalidValue(`A ${op} without "path" needs an object "value"`);
  return Object.entries(operation.value).flatMap(([key, value]) => {
    const lower = key.toLowerCase();
    if (lower === 'schemas') return [];
    if (lower === 'id' && value === context.resourceId) return [];
    const extension = context.resource.extensions.get(lower);
    if (extension && isObject(value)) {
      return Object.entries(value).map(([name, inner]) => pathedOperation(op, `${extension.urn}:${name}`, inner, true, context));
    }
    return [pathedOperation(op, key, value, true, context)];
  });
}

/** One operation with its path resolved against the schema and written in the schema's spelling. */
function pathedOperation(op: Operation['op'], path: string, value: unknown, hasValue: boolean, context: PatchContext): Operation {
  if ((op === 'add' || op === 'replace') && !hasValue) throw invalidValue(`The ${op} on "${path}" needs a "value"`);
  const { canonical, target } = resolvePath(path, context.resource);
  // A value on the remove of a single-valued attribute (Entra ID sends the manager it removes) names nothing more than the path.
  if (op === 'remove' && (!hasValue || !target.multiValued)) return { op, path: canonical };
  return { op, path: canonical, value: normaliseValue(target, value, canonical) };
}

interface ResolvedPath {
  canonical: string;
  /** The attribute the value is for: the sub-attribute when the path names one. */
  target: AttributeDefinition;
}

export function resolvePath(path: string, resource: ResourceDescription): ResolvedPath {
  let rest = path;
  let attributes = resource.attributes;
  let urnPrefix = '';
  const lower = path.toLowerCase();
  const core = `${resource.schema.toLowerCase()}:`;
  if (lower.startsWith(core)) {
    rest = path.slice(core.length);
  } else if (lower.startsWith('urn:')) {
    const extension = [...resource.extensions.values()].find((candidate) => lower.startsWith(`${candidate.urn.toLowerCase()}:`));
    if (!extension) throw invalidPath(`Unknown schema in path "${path}"`);
    rest = path.slice(extension.urn.length + 1);
    attributes = extension.attributes;
    urnPrefix = `${extension.urn}:`;
  }
  const match = PATH.exec(rest);
  if (!match) throw invalidPath(`"${path}" is not a valid path`);
  const [, name, valueFilter, subName] = match;
  const lowerName = name.toLowerCase();
  if (!urnPrefix && (lowerName === 'id' || lowerName === 'meta')) throw mutability(`"${name}" is read-only`);
  if (!urnPrefix && lowerName === 'externalid') {
    if (valueFilter || subName) throw invalidPath(`"${path}" is not a valid path`);
    return { canonical: 'externalId', target: EXTERNAL_ID };
  }
  const attribute = attributes.get(lowerName);
  if (!attribute) throw invalidPath(`"${name}" is not an attribute of ${resource.name}`);
  if (attribute.mutability === 'readOnly') throw mutability(`"${attribute.name}" is read-only`);
  if (valueFilter !== undefined && !attribute.multiValued) throw invalidPath(`"${attribute.name}" is not multi-valued`);
  let canonical = `${urnPrefix}${attribute.name}`;
  if (valueFilter !== undefined) canonical += `[${checkedValueFilter(valueFilter, attribute, path)}]`;
  if (subName === undefined) return { canonical, target: attribute };
  const sub = subAttributeOf(attribute, subName);
  if (!sub) throw invalidPath(`"${subName}" is not a sub-attribute of "${attribute.name}"`);
  if (sub.mutability === 'readOnly') throw mutability(`"${attribute.name}.${sub.name}" is read-only`);
  return { canonical: `${canonical}.${sub.name}`, target: sub };
}

const EXTERNAL_ID: AttributeDefinition = {
  name: 'externalId',
  type: 'string',
  multiValued: false,
  required: false,
  caseExact: true,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  description: 'The id of the resource in the directory',
};

/** A value filter parses and names only sub-attributes of its attribute (rewritten in the schema's spelling). */
function checkedValueFilter(text: string, attribute: AttributeDefinition, path: string): string {
  let ast: Filter;
  try {
    ast = parseFilter(text);
  } catch {
    throw invalidPath(`The filter in "${path}" does not parse`);
  }
  const rename = (node: Filter): string => {
    switch (node.op) {
      case 'and':
      case 'or':
        return node.filters.map((inner) => `(${rename(inner)})`).join(` ${node.op} `);
      case 'not':
        return `not (${rename(node.filter)})`;
      case '[]':
        throw invalidPath(`Nested filters are not supported in "${path}"`);
      default: {
        const sub = subAttributeOf(attribute, node.attrPath);
        if (!sub) throw invalidPath(`"${node.attrPath}" is not a sub-attribute of "${attribute.name}"`);
        if (node.op === 'pr') return `${sub.name} pr`;
        const compared = sub.type === 'boolean' && typeof node.compValue === 'string' ? booleanValue(sub.name, node.compValue) : node.compValue;
        const value = attribute.name === 'members' && sub.name === 'value' && typeof compared === 'string' ? compared.toLowerCase() : compared;
        return `${sub.name} ${node.op} ${JSON.stringify(value)}`;
      }
    }
  };
  return rename(ast);
}

/** Booleans from strings where the schema says boolean, and members reduced to their `value`. */
function normaliseValue(target: AttributeDefinition, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return value;
  if (target.type === 'boolean' && !Array.isArray(value)) return booleanValue(path, value);
  if (target.name === 'members') return (Array.isArray(value) ? value : [value]).map((member) => memberReference(member));
  if (target.type === 'complex' && !target.multiValued) {
    // Entra ID sends the manager as its id, or as a one-element list of {"$ref", "value"}.
    const single = Array.isArray(value) && value.length === 1 ? value[0] : value;
    if (typeof single === 'string' && subAttributeOf(target, 'value')) return { value: single };
    return isObject(single) ? normaliseBooleans(target, single) : single;
  }
  if (target.type === 'complex') {
    const items = Array.isArray(value) ? value : [value];
    const normalised = items.map((item) => (isObject(item) ? normaliseBooleans(target, item) : item));
    return Array.isArray(value) ? normalised : normalised[0];
  }
  return value;
}

function normaliseBooleans(target: AttributeDefinition, item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(item).map(([key, inner]) => {
      const sub = subAttributeOf(target, key);
      return [sub?.name ?? key, sub?.type === 'boolean' && inner !== null ? booleanValue(`${target.name}.${sub.name}`, inner) : inner];
    }),
  );
}

/** A member as the group document holds it: `{value}` with the id in lower case. */
export function memberReference(member: unknown): { value: string } {
  const value = isObject(member) ? member.value : member;
  if (typeof value !== 'string' || value.trim() === '') throw invalidValue('Each member needs a "value" naming a user');
  return { value: value.trim().toLowerCase() };
}
