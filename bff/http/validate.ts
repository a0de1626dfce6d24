import { HttpError } from './errors.ts';

/** Small, strict validators: every failure is a 400 that names the field and what it should be. */

export type Body = Record<string, unknown>;

function invalid(code: string, message: string): HttpError {
  return new HttpError(400, code, message);
}

/** The body must be a JSON object holding only the named fields. */
export function jsonObject(value: unknown, allowed: readonly string[], where = 'The request body'): Body {
  if (value === undefined) value = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('invalid_body', `${where} must be a JSON object.`);
  }
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    throw invalid('unknown_field', `${where} has unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}. Allowed: ${allowed.join(', ')}.`);
  }
  return value as Body;
}

interface StringRule {
  min?: number;
  max: number;
  pattern?: RegExp;
  patternHint?: string;
}

export function requiredString(body: Body, field: string, rule: StringRule): string {
  const value = body[field];
  if (value === undefined || value === null) throw invalid('missing_field', `"${field}" is required.`);
  return checkString(value, field, rule);
}

export function optionalString(body: Body, field: string, rule: StringRule): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  return checkString(value, field, rule);
}

function checkString(value: unknown, field: string, rule: StringRule): string {
  if (typeof value !== 'string') throw invalid('invalid_field', `"${field}" must be a string.`);
  const min = rule.min ?? 1;
  if (value.length < min || value.length > rule.max) {
    throw invalid('invalid_field', `"${field}" must be ${min} to ${rule.max} characters long.`);
  }
  if (/[\u0000-\u001f\u007f]/.test(value)) throw invalid('invalid_field', `"${field}" must not contain control characters.`);
  if (rule.pattern && !rule.pattern.test(value)) {
    throw invalid('invalid_field', `"${field}" ${rule.patternHint ?? 'has an invalid format'}.`);
  }
  return value;
}

export function oneOf<T extends string>(value: unknown, field: string, options: readonly T[], code = 'invalid_field'): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    throw invalid(code, `"${field}" must be one of: ${options.join(', ')}.`);
  }
  return value as T;
}

export function optionalInteger(body: Body, field: string, min: number, max: number): number | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid('invalid_field', `"${field}" must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

/** Workspace and user ids come from the host: printable, bounded, no path tricks. */
export const HOST_ID = { max: 128, pattern: /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, patternHint: 'may hold letters, digits and . _ : @ - only, starting with a letter or digit' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidParam(value: unknown, what: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw invalid('invalid_id', `${what} must be a UUID.`);
  return value.toLowerCase();
}

export function hostIdParam(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length > HOST_ID.max || !HOST_ID.pattern.test(value)) {
    throw invalid('invalid_id', `${what} must be 1 to ${HOST_ID.max} characters: letters, digits and . _ : @ - only, starting with a letter or digit.`);
  }
  return value;
}

/** Query strings: only the named parameters, each given once. */
export function queryParams(query: unknown, allowed: readonly string[]): Record<string, string | undefined> {
  const q = (query ?? {}) as Record<string, unknown>;
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(q)) {
    if (!allowed.includes(key)) throw invalid('unknown_parameter', `Unknown query parameter "${key.slice(0, 40)}". Allowed: ${allowed.join(', ') || 'none'}.`);
    if (typeof value !== 'string') throw invalid('invalid_parameter', `Query parameter "${key}" must be given once, as text.`);
    out[key] = value;
  }
  return out;
}
