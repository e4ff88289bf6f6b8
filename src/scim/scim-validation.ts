import { invalidSyntax, invalidValue } from './scim-error';
import { AttributeDefinition, READ_ONLY_COMMON, ResourceDescription, subAttributeOf } from './scim-schema';

const MAX_STRING_LENGTH = 2048;
const MAX_VALUES = 100;
/** Group members: a directory group of thousands of members arrives in one PUT or PATCH. */
const MAX_MEMBERS = 20_000;

export type ScimDocument = Record<string, unknown>;

/**
 * A resource as POST, PUT or a PATCH result gives it, checked against its schema and written with
 * the schema's spelling of every name (SCIM names are case-insensitive). Read-only attributes are
 * dropped (RFC 7644 §3.5.1), as is `password` (never stored); an unknown attribute is refused.
 */
export function validateResource(body: unknown, resource: ResourceDescription, options: { requireSchemas: boolean }): ScimDocument {
  if (!isObject(body)) throw invalidSyntax(`A ${resource.name} must be a JSON object`);
  if (options.requireSchemas) {
    const schemas = body.schemas ?? body.Schemas;
    if (!Array.isArray(schemas) || !schemas.some((schema) => typeof schema === 'string' && schema.toLowerCase() === resource.schema.toLowerCase())) {
      throw invalidSyntax(`"schemas" must include ${resource.schema}`);
    }
  }
  const document: ScimDocument = {};
  for (const [key, value] of Object.entries(body)) {
    const lower = key.toLowerCase();
    if (lower === 'schemas' || READ_ONLY_COMMON.has(lower)) continue;
    if (lower === 'externalid') {
      if (value !== null) document.externalId = stringValue('externalId', value);
      continue;
    }
    const extension = resource.extensions.get(lower);
    if (extension) {
      if (value === null) continue;
      if (!isObject(value)) throw invalidValue(`${extension.urn} must be an object`);
      const part: ScimDocument = {};
      for (const [name, inner] of Object.entries(value)) {
        const definition = extension.attributes.get(name.toLowerCase());
        if (!definition) throw invalidSyntax(`Unknown attribute ${extension.urn}:${name}`);
        assign(part, definition, inner);
      }
      if (Object.keys(part).length > 0) document[extension.urn] = part;
      continue;
    }
    const definition = resource.attributes.get(lower);
    if (!definition) throw invalidSyntax(`Unknown attribute "${key}"`);
    if (definition.mutability === 'readOnly' || definition.mutability === 'writeOnly') continue;
    assign(document, definition, value);
  }
  for (const definition of resource.attributes.values()) {
    if (definition.required && (typeof document[definition.name] !== 'string' || (document[definition.name] as string).trim() === '')) {
      throw invalidValue(`"${definition.name}" is required`);
    }
  }
  return document;
}

function assign(target: ScimDocument, definition: AttributeDefinition, value: unknown): void {
  const checked = checkValue(definition, value, definition.name);
  if (checked !== undefined) target[definition.name] = checked;
}

/** The value in its canonical form; undefined when it is unassigned (null, or an empty list). */
export function checkValue(definition: AttributeDefinition, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (definition.multiValued) {
    const items = Array.isArray(value) ? value : [value];
    const limit = definition.name === 'members' ? MAX_MEMBERS : MAX_VALUES;
    if (items.length > limit) throw invalidValue(`"${path}" holds more than ${limit} values`);
    const checked = items.map((item) => checkSingle(definition, item, path)).filter((item) => item !== undefined);
    return checked.length > 0 ? checked : undefined;
  }
  if (Array.isArray(value)) throw invalidValue(`"${path}" takes a single value`);
  return checkSingle(definition, value, path);
}

function checkSingle(definition: AttributeDefinition, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (definition.type) {
    case 'boolean':
      return booleanValue(path, value);
    case 'complex': {
      if (!isObject(value)) throw invalidValue(`"${path}" must be an object`);
      const part: ScimDocument = {};
      for (const [name, inner] of Object.entries(value)) {
        const sub = subAttributeOf(definition, name);
        if (!sub) throw invalidSyntax(`Unknown attribute "${path}.${name}"`);
        const checked = checkValue(sub, inner, `${path}.${sub.name}`);
        if (checked !== undefined) part[sub.name] = checked;
      }
      return Object.keys(part).length > 0 ? part : undefined;
    }
    default:
      return stringValue(path, value);
  }
}

/** Entra ID sends booleans as the strings "True" and "False". */
export function booleanValue(path: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw invalidValue(`"${path}" must be a boolean`);
}

function stringValue(path: string, value: unknown): string {
  if (typeof value !== 'string') throw invalidValue(`"${path}" must be a string`);
  if (value.length > MAX_STRING_LENGTH) throw invalidValue(`"${path}" is longer than ${MAX_STRING_LENGTH} characters`);
  return value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
