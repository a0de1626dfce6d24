/**
 * The OpenAPI 3.1 document, generated from the endpoint declarations (contract/api.ts) and
 * their zod schemas: nothing in it is written by hand but the prose.
 */
import { z } from 'zod';
import { ENDPOINTS } from './api.ts';
import type { Endpoint, ResponseSpec } from './endpoint.ts';
import { ERRORS, RETRY_AFTER_STATUSES, type ErrorCode } from './errors.ts';
// Every schema is registered before the components are listed, whatever else was imported.
import './schemas/index.ts';

export type JsonSchema = { [keyword: string]: unknown };

const COMPONENT_REF = (id: string) => `#/components/schemas/${id}`;

/** Codes every route of a place can answer, whatever it does. */
const PLACE_ERRORS = {
  params: ['invalid_id'],
  query: ['unknown_parameter', 'invalid_parameter'],
  json: ['invalid_json', 'request_aborted', 'bad_request', 'payload_too_large', 'unsupported_media_type', 'unsupported_encoding'],
  body: ['invalid_body', 'unknown_field', 'missing_field', 'invalid_field'],
  host: ['invalid_authorization', 'missing_credentials', 'wrong_credentials', 'invalid_api_key'],
  session: ['invalid_authorization', 'missing_session', 'wrong_credentials', 'invalid_session', 'session_expired'],
  rateLimited: ['rate_limited'],
  always: ['internal_error', 'database_unavailable'],
} as const satisfies Record<string, readonly ErrorCode[]>;


/** Whether a query schema refuses parameters it does not declare. */
export function isStrict(schema: z.ZodObject): boolean {
  const catchall = (schema._zod.def as { catchall?: z.ZodType }).catchall;
  return catchall?._zod.def.type === 'never';
}

function clean(schema: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

/** A schema converted on its own: components it uses come out as `$defs`, which point at the components instead. */
function standalone(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', cycles: 'ref', reused: 'inline' }) as JsonSchema;
  const { $defs: _defs, ...rest } = clean(converted);
  return JSON.parse(JSON.stringify(rest).replace(/"#\/\$defs\/([^"]+)"/g, (_m, id: string) => JSON.stringify(COMPONENT_REF(id))));
}

/** A schema as JSON Schema: a $ref when it is a component, else inline. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const id = z.globalRegistry.get(schema)?.id;
  return id ? { $ref: COMPONENT_REF(id) } : standalone(schema, io);
}

function fieldsOf(schema: z.ZodObject): [string, z.ZodType][] {
  return Object.entries(schema.shape as Record<string, z.ZodType>);
}

function parameters(e: Endpoint): JsonSchema[] {
  const list: JsonSchema[] = [];
  for (const [where, schema] of [['path', e.params], ['query', e.query]] as const) {
    if (!schema) continue;
    for (const [name, field] of fieldsOf(schema)) {
      const { description, ...fieldSchema } = jsonSchema(field, 'input');
      list.push({
        name,
        in: where,
        required: where === 'path' || !field.safeParse(undefined).success,
        ...(typeof description === 'string' ? { description } : {}),
        schema: fieldSchema,
      });
    }
  }
  return list;
}

/** The codes a field's `x-error-code` says its violations are answered with. */
function fieldErrorCodes(schema: z.ZodType | undefined): ErrorCode[] {
  if (!schema) return [];
  const found = new Set<ErrorCode>();
  JSON.stringify(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), (key, value) => {
    if (key === 'x-error-code') found.add(value as ErrorCode);
    return value;
  });
  return [...found];
}

export function errorCodesOf(e: Endpoint): ErrorCode[] {
  const codes: ErrorCode[] = [...e.errors, ...PLACE_ERRORS.always];
  if (e.params) codes.push(...PLACE_ERRORS.params, ...fieldErrorCodes(e.params));
  if (!e.query || isStrict(e.query)) codes.push(...PLACE_ERRORS.query);
  codes.push(...fieldErrorCodes(e.query));
  if (e.auth !== 'none') codes.push(...PLACE_ERRORS.json, ...PLACE_ERRORS[e.auth]);
  if (e.body) codes.push(...PLACE_ERRORS.body, ...fieldErrorCodes(e.body));
  if (e.rateLimited) codes.push(...PLACE_ERRORS.rateLimited);
  return [...new Set(codes)];
}

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before trying again.', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } } };

function errorResponses(e: Endpoint): Record<string, JsonSchema> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(e)) {
    const { status } = ERRORS[code];
    if (status < 400 || e.responses[status]) continue;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, JsonSchema> = {};
  for (const [status, codes] of byStatus) {
    out[status] = {
      description: codes.map((c) => `\`${c}\`: ${ERRORS[c].message}`).join(' '),
      ...(RETRY_AFTER_STATUSES.has(status) ? { headers: retryAfter } : {}),
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: {
              error: {
                type: 'object',
                properties: {
                  code: { type: 'string', enum: codes },
                  message: { type: 'string' },
                  params: { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }] } },
                },
                required: ['code', 'message'],
                additionalProperties: false,
              },
            },
            required: ['error'],
            additionalProperties: false,
          },
        },
      },
    };
  }
  return out;
}

const NON_JSON: Record<string, Record<string, JsonSchema> | null> = {
  html: { 'text/html': { schema: { type: 'string' } } },
  javascript: { 'text/javascript': { schema: { type: 'string' } } },
  // Express's redirect says where it goes, as text or HTML depending on Accept.
  redirect: { 'text/plain': { schema: { type: 'string' } }, 'text/html': { schema: { type: 'string' } } },
  empty: null,
};

function response(spec: ResponseSpec): JsonSchema {
  const headers = Object.fromEntries(
    Object.entries(spec.headers ?? {}).map(([name, h]) => [
      name,
      {
        ...(h.description ? { description: h.description } : {}),
        required: h.required ?? false,
        schema: { type: 'string', ...(h.pattern ? { pattern: h.pattern } : {}), ...(h.format ? { format: h.format } : {}) },
      },
    ]),
  );
  const content = typeof spec.body === 'string' ? NON_JSON[spec.body] : { 'application/json': { schema: jsonSchema(spec.body, 'output') } };
  return { description: spec.description, ...(Object.keys(headers).length > 0 ? { headers } : {}), ...(content ? { content } : {}) };
}

function requestBody(e: Endpoint): JsonSchema | undefined {
  if (!e.body) return undefined;
  const meta = z.globalRegistry.get(e.body) as { description?: string; examples?: unknown[] } | undefined;
  const required = !e.body.safeParse(undefined).success && !(e.body as z.ZodType).safeParse({}).success;
  const mediaType = e.form ? 'application/x-www-form-urlencoded' : 'application/json';
  return {
    ...(meta?.description ? { description: meta.description } : {}),
    required,
    content: { [mediaType]: { schema: jsonSchema(e.body, 'input'), example: meta?.examples?.[0] ?? {} } },
  };
}

const SECURITY = { host: [{ hostApiKey: [] }], session: [{ sessionToken: [] }], none: [] } as const;

function operation(e: Endpoint): JsonSchema {
  const params = parameters(e);
  const body = requestBody(e);
  const responses: Record<string, JsonSchema> = { ...errorResponses(e) };
  for (const [status, spec] of Object.entries(e.responses)) if (spec) responses[status] = response(spec);
  const sorted = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
  return {
    operationId: e.operationId,
    tags: [e.tag],
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    security: SECURITY[e.auth],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(!e.query || isStrict(e.query) ? { 'x-rejects-unknown-query-parameters': true } : {}),
    ...(e.rateLimited ? { 'x-rate-limited': true } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: sorted,
  };
}

/** `/api/accounts/:accountId` as OpenAPI writes it. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

export interface OpenApiOptions {
  /** The BFF's PUBLIC_URL; the document's `servers`. */
  serverUrl?: string;
  version: string;
}

/** The whole document, a plain JSON value. */
export function createOpenApiDocument(options: OpenApiOptions): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const e of ENDPOINTS as readonly Endpoint[]) {
    const path = openApiPath(e.path);
    paths[path] = { ...paths[path], [e.method]: operation(e) };
  }
  const { schemas } = z.toJSONSchema(z.globalRegistry, { target: 'draft-2020-12', uri: COMPONENT_REF, unrepresentable: 'any', cycles: 'ref', reused: 'inline' }) as {
    schemas: Record<string, JsonSchema>;
  };
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    info: {
      title: 'connections-panel BFF',
      version: options.version,
      license: { name: 'MIT', identifier: 'MIT' },
      description: [
        'The backend-for-frontend of `<connections-panel>`. Generated from the contract (contract/api.ts).',
        '',
        '- **Host API** (`/v1`, server to server): `Authorization: Bearer <host API key>`.',
        "- **Widget API** (`/api`): `Authorization: Bearer <session token>` from `POST /v1/sessions`; scoped to the token's workspace (another workspace's account is a 404). CORS for ALLOWED_ORIGINS.",
        '- **OAuth** (`/oauth`): opened by the browser.',
        '',
        'Every error is `{ "error": { "code", "message", "params"? } }`; the codes, what they mean and what to do are in docs/errors.md. Request bodies are JSON (`Content-Type: application/json`, at most 100 kB) and may hold only the fields described; operations marked `x-rejects-unknown-query-parameters` answer 400 `unknown_parameter` to any other query parameter. 429 and 503 answers carry Retry-After. Paths are relative to PUBLIC_URL (for an embedded router, its mount path).',
      ].join('\n'),
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: [
      { name: 'host', description: 'Host API (server to server).' },
      { name: 'widget', description: 'Widget API (the browser, with a session token).' },
      { name: 'oauth', description: "The browser's side of OAuth." },
      { name: 'push', description: 'Called by the platforms (signed), never by people.' },
      { name: 'links', description: 'Pages the owners of accounts open from a link.' },
      { name: 'operations', description: 'Liveness, readiness, this document.' },
    ],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, clean(schema)])),
      securitySchemes: {
        hostApiKey: { type: 'http', scheme: 'bearer', description: 'HOST_API_KEY. Never in a browser.' },
        sessionToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A session token from POST /v1/sessions.' },
      },
    },
  };
}
