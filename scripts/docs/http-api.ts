import { createOpenApiDocument, type JsonSchema } from '../../contract/openapi.ts';

type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Record<string, unknown>[];
  parameters?: { name: string; in: string; required: boolean; description?: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema; example?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
  'x-rate-limited'?: boolean;
};

const TAGS: Record<string, string> = {
  host: 'Host API (server to server, `Authorization: Bearer <host API key>`)',
  widget: 'Widget API (the browser, `Authorization: Bearer <session token>`)',
  oauth: "The browser's side of OAuth",
  push: 'Called by the platforms (signed)',
  links: 'Pages the owners of accounts open from a link',
  operations: 'Operations',
};

const AUTH: Record<string, string> = { hostApiKey: 'host API key', sessionToken: 'session token' };

/** A schema's type in a few words: `string`, `Account[]`, `"a" | "b"`. */
function typeOf(schema: JsonSchema | undefined): string {
  if (!schema) return 'any';
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop()!;
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).map(typeOf).join(' \\| ');
  if (schema.type === 'array') return `${typeOf(schema.items as JsonSchema)}[]`;
  return String(schema.type ?? 'object');
}

function fields(schema: JsonSchema, components: Record<string, JsonSchema>): string[] {
  const resolved = typeof schema.$ref === 'string' ? components[schema.$ref.split('/').pop()!]! : schema;
  const properties = (resolved.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((resolved.required ?? []) as string[]);
  return Object.entries(properties).map(
    ([name, field]) => `  - \`${name}\`${required.has(name) ? '' : ' (optional)'}: ${typeOf(field)}${field.description ? `. ${field.description}` : ''}`,
  );
}

/** docs/http-api.md: every endpoint, from the same OpenAPI document the BFF serves. */
export function renderHttpApi(version: string): string {
  const doc = createOpenApiDocument({ version }) as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, JsonSchema> } };
  const lines = [
    '# HTTP APIs',
    '',
    '<!-- Generated from contract/api.ts by `npm run generate`: edit the contract, not this file. -->',
    '',
    'The whole interface as OpenAPI 3.1: [`openapi.json`](openapi.json) (served at `/openapi.json`, with `servers` set to PUBLIC_URL). Paths are relative to PUBLIC_URL. Every error is `{ "error": { "code", "message", "params"? } }`: the codes and what to do about them are in [errors.md](errors.md). Shapes are named after the schemas in `contract/schemas/`.',
    '',
  ];
  const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
  for (const [tag, title] of Object.entries(TAGS)) {
    const inTag = operations.filter((o) => o.op.tags.includes(tag));
    if (inTag.length === 0) continue;
    lines.push(`## ${title}`, '');
    for (const { path, method, op } of inTag) {
      lines.push(`### \`${method.toUpperCase()} ${path}\``, '', `${op.summary}.${op.description ? ` ${op.description}` : ''}`, '');
      const who = op.security.flatMap((s) => Object.keys(s).map((k) => AUTH[k] ?? k));
      lines.push(`- Auth: ${who.length > 0 ? who.join(', ') : 'none'}${op['x-rate-limited'] ? '; rate-limited (RATE_LIMIT_PER_MINUTE)' : ''}.`);
      for (const p of op.parameters ?? []) lines.push(`- ${p.in === 'path' ? 'Path' : 'Query'} \`${p.name}\`${p.required ? '' : ' (optional)'}: ${typeOf(p.schema)}${p.description ? `. ${p.description}` : ''}`);
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
        lines.push(`- Body (${type}): ${typeOf(media.schema)}`, ...fields(media.schema, doc.components.schemas));
      }
      for (const [status, response] of Object.entries(op.responses)) {
        const media = Object.entries(response.content ?? {});
        const body = media.length > 0 ? ` (${media.map(([type, m]) => (type === 'application/json' ? typeOf(m.schema) : type)).join(', ')})` : '';
        const codes = media.flatMap(([, m]) => ((((m.schema.properties as JsonSchema | undefined)?.error as JsonSchema | undefined)?.properties as JsonSchema | undefined)?.code as JsonSchema | undefined)?.enum ?? []) as string[];
        if (codes.length > 0) lines.push(`- ${status}: ${codes.map((c) => `[\`${c}\`](errors.md#${c})`).join(', ')}`);
        else lines.push(`- ${status}${body}: ${response.description}`);
      }
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
