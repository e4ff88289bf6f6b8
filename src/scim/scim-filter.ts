import { Filter, parse } from 'scim2-parse-filter';
import { isUuid } from '../tenancy/tenant';
import { invalidFilter } from './scim-error';

const MAX_FILTER_LENGTH = 4096;
const MAX_FILTER_DEPTH = 32;

/**
 * How one filterable attribute reads in SQL. `where` receives a condition builder for one SQL
 * expression of the attribute and returns the whole predicate (an EXISTS for multi-valued ones);
 * `equals`, when given, is the index-friendly form of `eq`.
 */
export interface FilterAttribute {
  type: 'text' | 'textExact' | 'boolean' | 'uuid' | 'timestamp';
  where: (condition: (expression: string) => string) => string;
  equals?: (parameter: string) => string;
}

export type FilterAttributes = Map<string, FilterAttribute>;

/** A WHERE fragment and its parameters, numbered after the ones the caller already has. */
export interface CompiledFilter {
  sql: string;
  parameters: unknown[];
}

/**
 * A SCIM filter (RFC 7644 §3.4.2.2), parsed by scim2-parse-filter, as parameterised SQL: every
 * compared value is a bind parameter, every attribute one of `attributes`; anything else is
 * `400 invalidFilter`.
 */
export function compileFilter(text: string, attributes: FilterAttributes, schemaUrn: string, firstParameter: number): CompiledFilter {
  if (text.length > MAX_FILTER_LENGTH) throw invalidFilter(`The filter is longer than ${MAX_FILTER_LENGTH} characters`);
  let ast: Filter;
  try {
    ast = parse(text);
  } catch (error) {
    throw invalidFilter(`The filter does not parse: ${error instanceof RangeError ? 'too deeply nested' : (error as Error).message}`);
  }
  const parameters: unknown[] = [];
  const bind = (value: unknown) => `$${firstParameter + parameters.push(value) - 1}`;
  const prefix = `${schemaUrn.toLowerCase()}:`;
  const attributeNamed = (path: string): FilterAttribute => {
    const lower = path.toLowerCase();
    const name = lower.startsWith(prefix) ? lower.slice(prefix.length) : lower;
    const attribute = attributes.get(name);
    if (!attribute) throw invalidFilter(`Filtering on "${path}" is not supported`);
    return attribute;
  };

  const compile = (node: Filter, depth: number, valuePrefix: string): string => {
    if (depth > MAX_FILTER_DEPTH) throw invalidFilter('The filter is too deeply nested');
    switch (node.op) {
      case 'and':
      case 'or':
        return `(${node.filters.map((inner) => compile(inner, depth + 1, valuePrefix)).join(node.op === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `NOT (${compile(node.filter, depth + 1, valuePrefix)})`;
      case '[]':
        // emails[type eq "work" and value co "@x"]: the inner paths are sub-attributes of the outer one.
        return compile(node.valFilter, depth + 1, `${node.attrPath}.`);
      default:
        return comparison(node, attributeNamed(`${valuePrefix}${node.attrPath}`), bind);
    }
  };
  return { sql: compile(ast, 1, ''), parameters };
}

type Comparison = Exclude<Filter, { op: 'and' | 'or' | 'not' | '[]' }>;

function comparison(node: Comparison, attribute: FilterAttribute, bind: (value: unknown) => string): string {
  const { op } = node;
  if (op === 'pr') {
    return attribute.where((expression) =>
      attribute.type === 'text' || attribute.type === 'textExact' ? `(${expression} IS NOT NULL AND ${expression} <> '')` : `${expression} IS NOT NULL`,
    );
  }
  const value = node.compValue;
  if (value === null) {
    if (op === 'eq') return `NOT (${attribute.where((expression) => `${expression} IS NOT NULL`)})`;
    if (op === 'ne') return attribute.where((expression) => `${expression} IS NOT NULL`);
    throw invalidFilter(`"${op}" does not compare with null`);
  }
  switch (attribute.type) {
    case 'boolean': {
      if (typeof value !== 'boolean' || (op !== 'eq' && op !== 'ne')) throw invalidFilter(`"${node.attrPath}" compares with eq or ne to true or false`);
      const parameter = bind(value);
      return attribute.where((expression) => (op === 'eq' ? `${expression} = ${parameter}::boolean` : `${expression} IS DISTINCT FROM ${parameter}::boolean`));
    }
    case 'uuid': {
      if (typeof value !== 'string' || (op !== 'eq' && op !== 'ne')) throw invalidFilter(`"${node.attrPath}" compares with eq or ne to a string`);
      // An id that is no UUID names nothing: eq matches no row, ne every row.
      if (!isUuid(value)) return op === 'eq' ? 'false' : 'true';
      const parameter = bind(value.toLowerCase());
      return attribute.where((expression) => (op === 'eq' ? `${expression} = ${parameter}::uuid` : `${expression} IS DISTINCT FROM ${parameter}::uuid`));
    }
    case 'timestamp': {
      const operator = ORDERING[op];
      if (typeof value !== 'string' || !operator || Number.isNaN(Date.parse(value))) {
        throw invalidFilter(`"${node.attrPath}" compares with eq, ne, gt, ge, lt or le to a dateTime`);
      }
      const parameter = bind(new Date(value).toISOString());
      return attribute.where((expression) => `${expression} ${operator} ${parameter}::timestamptz`);
    }
    default:
      return textComparison(node, value, attribute, bind);
  }
}

const ORDERING: Partial<Record<Comparison['op'], string>> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };

function textComparison(node: Comparison, value: unknown, attribute: FilterAttribute, bind: (value: unknown) => string): string {
  if (typeof value !== 'string') throw invalidFilter(`"${node.attrPath}" compares with a string`);
  const caseExact = attribute.type === 'textExact';
  const folded = caseExact ? value : value.toLowerCase();
  const fold = (expression: string) => (caseExact ? expression : `lower(${expression})`);
  const { op } = node;
  if (op === 'eq' && attribute.equals) return attribute.equals(bind(folded));
  const pattern = (before: string, after: string) => bind(`${before}${folded.replace(/[\\%_]/g, (character) => `\\${character}`)}${after}`);
  switch (op) {
    case 'co':
      return attribute.where((expression) => `${fold(expression)} LIKE ${pattern('%', '%')}`);
    case 'sw':
      return attribute.where((expression) => `${fold(expression)} LIKE ${pattern('', '%')}`);
    case 'ew':
      return attribute.where((expression) => `${fold(expression)} LIKE ${pattern('%', '')}`);
    default: {
      const operator = ORDERING[op];
      if (!operator) throw invalidFilter(`Unknown operator "${op}"`);
      const parameter = bind(folded);
      return attribute.where((expression) => `${fold(expression)} ${operator} ${parameter}::text`);
    }
  }
}
