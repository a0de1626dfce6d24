/**
 * Requests are validated with the contract's schemas (contract/api.ts); this file only turns
 * the first problem zod finds into the failure a person can act on: which field, what it
 * must be, and the code its place gives (invalid_field in a body, unknown_parameter in a
 * query, invalid_id in a path, or the field's own `x-error-code`).
 */
import { z } from 'zod';
import type { ErrorCode } from '../../contract/errors.ts';
import { Failure } from '../errors.ts';

export type Place = 'body' | 'query' | 'params';

type Issue = z.core.$ZodIssue;

/** The schema an issue's path leads to, through objects, arrays, records and wrappers. */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let node: z.ZodType | undefined = schema;
  for (let i = 0; node && i <= path.length; ) {
    const def = node._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'readonly') {
      node = def['innerType'] as z.ZodType;
      continue;
    }
    if (i === path.length) break;
    const key = path[i++];
    if (def.type === 'object') node = (def['shape'] as Record<string, z.ZodType>)[String(key)];
    else if (def.type === 'array') node = def['element'] as z.ZodType;
    else if (def.type === 'record') node = def['valueType'] as z.ZodType;
    else return node;
  }
  return node;
}

function ownCode(schema: z.ZodType, path: readonly PropertyKey[]): ErrorCode | undefined {
  const leaf = schemaAt(schema, path);
  const code = leaf ? (z.globalRegistry.get(leaf) as { 'x-error-code'?: ErrorCode } | undefined)?.['x-error-code'] : undefined;
  return code;
}

const fieldName = (path: readonly PropertyKey[]) =>
  path.reduce<string>((name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${String(key)}` : String(key)), '');

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
};

function rule(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string') return `must be at least ${issue.minimum} character${issue.minimum === 1 ? '' : 's'} long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must hold at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must hold at most ${issue.maximum} items`;
      return `must be at most ${issue.maximum}`;
    case 'invalid_format':
      if (issue.format === 'guid' || issue.format === 'uuid') return 'must be a UUID';
      if (issue.format === 'url') return 'must be an absolute URL';
      if (issue.format === 'datetime') return 'must be an ISO 8601 date-time';
      return issue.message && !issue.message.startsWith('Invalid') ? issue.message : 'has an invalid format';
    default:
      return issue.message && !issue.message.startsWith('Invalid') ? issue.message : 'is not valid';
  }
}

const WHERE: Record<Place, string> = { body: 'The request body', query: 'The query string', params: 'The path' };

/** The value an issue's path points at in the input (zod's issues do not carry it). */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let node = value;
  for (const key of path) node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
  return node;
}

/** The failure for the first problem of a request part (unknown names first: they explain the rest). */
export function toFailure(schema: z.ZodType, place: Place, issues: readonly Issue[], input: unknown): Failure {
  const unknown = issues.find((i) => i.code === 'unrecognized_keys');
  const issue = unknown ?? issues[0]!;
  const field = fieldName(issue.path);
  const allowed = () => Object.keys((schemaAt(schema, issue.path) as z.ZodObject | undefined)?.shape ?? {}).join(', ') || 'none';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40))).join(', ');
    if (place === 'query') return new Failure('unknown_parameter', `Unknown query parameter${issue.keys.length > 1 ? 's' : ''} ${keys}. Allowed: ${allowed()}.`);
    return new Failure('unknown_field', `${field ? `"${field}"` : WHERE[place]} has unknown field${issue.keys.length > 1 ? 's' : ''}: ${keys}. Allowed: ${allowed()}.`);
  }
  if (issue.path.length === 0) return new Failure('invalid_body', `${WHERE[place]} must be a JSON object.`);
  const own = ownCode(schema, issue.path);
  const value = valueAt(input, issue.path);
  const missing = value === undefined;
  if (place === 'query') {
    const repeated = Array.isArray(value);
    if (repeated) return new Failure('invalid_parameter', `Query parameter "${field}" must be given once, as text.`);
    return new Failure(own ?? 'invalid_parameter', missing ? `Query parameter "${field}" is required.` : `Query parameter "${field}" ${rule(issue)}.`);
  }
  if (place === 'params') return new Failure(own ?? 'invalid_id', `"${field}" in the path ${rule(issue)}.`);
  if (missing) return new Failure(own ?? 'missing_field', `"${field}" is required.`);
  return new Failure(own ?? 'invalid_field', `"${field}" ${rule(issue)}.`);
}

/** Parses one part of a request with its schema, or throws the failure that says what is wrong. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, place: Place): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw toFailure(schema, place, result.error.issues, value);
}
