/**
 * A JSON Schema (2020-12) validator for the subset the OpenAPI document uses. A keyword it
 * does not know is an error, never silently ignored: the document cannot use a rule that no
 * test checks.
 */

export type Schema = { [keyword: string]: unknown };

const ANNOTATIONS = new Set(['description', 'title', 'example', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly']);
const KEYWORDS = new Set([
  '$ref',
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'oneOf',
  'anyOf',
  'propertyNames',
]);

const FORMATS: Record<string, (value: string) => boolean> = {
  'date-time': (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  uri: (v) => {
    try {
      return /^[a-z][a-z0-9+.-]*:/i.test(v) && Boolean(new URL(v));
    } catch {
      return false;
    }
  },
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const matchesType = (value: unknown, type: string) => {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
};

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Resolves `#/a/b` pointers against the root document. */
function resolve(root: unknown, pointer: string): Schema {
  if (!pointer.startsWith('#/')) throw new Error(`only local $ref is supported: ${pointer}`);
  let node: unknown = root;
  for (const raw of pointer.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  if (node === undefined) throw new Error(`unresolved $ref ${pointer}`);
  return node as Schema;
}

/** The errors of `value` against `schema` (empty when valid); `root` resolves `$ref`s. */
export function validate(schema: Schema, value: unknown, root: unknown = schema, path = '$'): string[] {
  for (const keyword of Object.keys(schema)) {
    // `x-` keywords are OpenAPI extensions: annotations (x-error-code names the error a violation gets).
    if (!KEYWORDS.has(keyword) && !ANNOTATIONS.has(keyword) && !keyword.startsWith('x-')) throw new Error(`unsupported JSON Schema keyword "${keyword}" at ${path}`);
  }
  const errors: string[] = [];
  if (typeof schema.$ref === 'string') errors.push(...validate(resolve(root, schema.$ref), value, root, path));

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => matchesType(value, t))) return [...errors, `${path}: expected ${types.join(' or ')}, got ${typeOf(value)}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => deepEqual(e, value))) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if ('const' in schema && !deepEqual(schema.const, value)) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);

  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${path}: does not match ${schema.pattern}`);
    if (typeof schema.format === 'string') {
      const check = FORMATS[schema.format];
      if (!check) throw new Error(`unsupported format "${schema.format}" at ${path}`);
      if (!check(value)) errors.push(`${path}: not a ${schema.format}: ${JSON.stringify(value).slice(0, 80)}`);
    }
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) errors.push(`${path}: items repeat`);
    if (schema.items) value.forEach((item, i) => errors.push(...validate(schema.items as Schema, item, root, `${path}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) {
      if (!(name in object)) errors.push(`${path}: missing "${name}"`);
    }
    if (typeof schema.propertyNames === 'object') {
      for (const name of Object.keys(object)) errors.push(...validate(schema.propertyNames as Schema, name, root, `${path}{${name}}`));
    }
    for (const [name, item] of Object.entries(object)) {
      const own = properties[name];
      if (own) errors.push(...validate(own, item, root, `${path}.${name}`));
      else if (schema.additionalProperties === false) errors.push(`${path}: unexpected property "${name}"`);
      else if (typeof schema.additionalProperties === 'object') errors.push(...validate(schema.additionalProperties as Schema, item, root, `${path}.${name}`));
    }
  }
  if (Array.isArray(schema.oneOf)) {
    const results = (schema.oneOf as Schema[]).map((s) => validate(s, value, root, path));
    const passing = results.filter((r) => r.length === 0).length;
    if (passing !== 1) errors.push(`${path}: matches ${passing} of oneOf (${results.map((r) => r[0] ?? 'ok').join(' | ')})`);
  }
  if (Array.isArray(schema.anyOf)) {
    const results = (schema.anyOf as Schema[]).map((s) => validate(s, value, root, path));
    if (!results.some((r) => r.length === 0)) errors.push(`${path}: matches none of anyOf (${results.map((r) => r[0]).join(' | ')})`);
  }
  return errors;
}
