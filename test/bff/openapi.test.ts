import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Express } from 'express';
import { HOST_KEY } from '../helpers/context.ts';
import { Browser, callbackResult, HOST_ORIGIN, startTestServer, type TestServer } from '../helpers/server.ts';
import { consent } from '../helpers/sandbox.ts';
import { validate, type Schema } from '../helpers/json-schema.ts';
import { createOpenApiDocument } from '../../contract/openapi.ts';
import { PACKAGE_VERSION } from '../../bff/package-root.ts';
import { SANDBOX_CLIENTS } from '../../bff/sandbox/seed.ts';

/**
 * The OpenAPI document against the implementation: the same routes, real responses that
 * validate against it, and request rules that agree with the validators in both directions.
 */

type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } } & Schema;
interface Operation {
  operationId: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema: Schema }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Schema; example: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }>; headers?: Record<string, { required?: boolean; schema: Schema }> }>;
  'x-rejects-unknown-query-parameters'?: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
/** Development-only mounts the document leaves out on purpose (see contract/api.ts). */
const UNDOCUMENTED_PREFIXES = ['/sandbox/', '/demo/'];
/** 400 codes that mean "the request breaks the documented rules"; others (invalid_choice, ...) depend on state. */
const SCHEMA_CODES = new Set(['invalid_body', 'unknown_field', 'missing_field', 'invalid_field', 'invalid_id', 'unknown_parameter', 'invalid_parameter', 'invalid_json', 'unknown_platform', 'invalid_link']);

/** Every route of an Express app, as "METHOD /path/{param}", by walking its routers. */
function registeredRoutes(app: Express): string[] {
  const routes: string[] = [];
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] }; rawPath?: unknown };
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') routes.push(`${method.toUpperCase()} ${(prefix + layer.route.path).replace(/:(\w+)/g, '{$1}')}`);
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...new Set(routes)].sort();
}

function documentedRoutes(doc: Doc): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, item]) => Object.keys(item).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}

/** The path template and operation a concrete request is described by. */
function operationFor(doc: Doc, method: string, url: string): { template: string; operation: Operation } {
  const path = new URL(url, 'http://x').pathname;
  for (const [template, item] of Object.entries(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`);
    const operation = item[method.toLowerCase()];
    if (pattern.test(path) && operation) return { template, operation };
  }
  throw new Error(`no operation in the document for ${method} ${path}`);
}

type DocResponse = Operation['responses'][string];
/** A response, or the shared one its $ref names. */
function resolveResponse(doc: Doc, response: (DocResponse & { $ref?: string }) | undefined): DocResponse | undefined {
  if (!response?.$ref) return response;
  const name = response.$ref.replace('#/components/responses/', '');
  return (doc.components as unknown as { responses: Record<string, DocResponse> }).responses[name];
}

interface Sent {
  method: string;
  url: string;
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

/** Every response the tests see, checked against the document; the operations and statuses seen. */
class Checker {
  readonly seen = new Set<string>();
  constructor(
    private readonly doc: Doc,
    private readonly base: string,
  ) {}

  check(sent: Sent): Sent {
    const { operation } = operationFor(this.doc, sent.method, sent.url);
    const where = `${sent.method} ${sent.url} -> ${sent.status} ${sent.text.slice(0, 300)}`;
    const response = resolveResponse(this.doc, operation.responses[String(sent.status)]);
    assert.ok(response, `status ${sent.status} is not documented for ${operation.operationId}: ${where}`);
    this.seen.add(`${operation.operationId} ${sent.status}`);
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      const value = sent.headers.get(name);
      if (header.required) assert.ok(value !== null, `missing header ${name}: ${where}`);
      if (value !== null && name.toLowerCase() !== 'set-cookie') assert.deepEqual(validate(header.schema, value, this.doc), [], `header ${name}: ${where}`);
    }
    if (!response.content) {
      assert.equal(sent.text, '', `no body documented: ${where}`);
      return sent;
    }
    const mediaType = (sent.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const media = response.content[mediaType];
    assert.ok(media, `content type ${mediaType} is not documented (${Object.keys(response.content).join(', ')}): ${where}`);
    const value = mediaType === 'application/json' ? sent.body : sent.text;
    assert.deepEqual(validate(media.schema, value, this.doc), [], `response does not match the document: ${where}`);
    return sent;
  }

  async send(
    method: string,
    path: string,
    options: { token?: string; json?: unknown; raw?: string; contentType?: string; headers?: Record<string, string>; browser?: Browser; form?: Record<string, string>; origin?: string | null } = {},
  ): Promise<Sent> {
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    let res: Response;
    if (options.browser) {
      res = options.form ? await options.browser.post(url, options.form, options.origin === undefined ? HOST_ORIGIN : options.origin) : await options.browser.get(url);
    } else {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.Authorization = `Bearer ${options.token}`;
      let body: string | undefined;
      if (options.json !== undefined) {
        body = JSON.stringify(options.json);
        headers['Content-Type'] = 'application/json';
      }
      if (options.raw !== undefined) {
        body = options.raw;
        headers['Content-Type'] = options.contentType ?? 'application/json';
      }
      if (options.form !== undefined) {
        body = new URLSearchParams(options.form).toString();
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        if (options.origin) headers.Origin = options.origin;
      }
      res = await fetch(url, { method, headers, body, redirect: 'manual' });
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return this.check({ method, url: url.replace(this.base, ''), status: res.status, headers: res.headers, text, body });
  }
}

describe('the OpenAPI document', () => {
  let server: TestServer;
  let doc: Doc;
  let api: Checker;
  before(async () => {
    server = await startTestServer();
    const res = await fetch(`${server.url}/openapi.json`);
    assert.equal(res.status, 200);
    doc = (await res.json()) as Doc;
    api = new Checker(doc, server.url);
  });
  after(() => server.close());

  it('is served at /openapi.json with PUBLIC_URL as its server, and the packaged openapi.json is the same document', async () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(doc.servers, [{ url: server.url }]);
    assert.deepEqual(doc, createOpenApiDocument({ serverUrl: server.url, version: PACKAGE_VERSION }));
    const packaged = JSON.parse(await readFile(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as unknown;
    assert.deepEqual(packaged, createOpenApiDocument({ version: PACKAGE_VERSION }), 'docs/openapi.json is stale: run npm run generate');
  });

  it('is well-formed: unique operation ids, path parameters matching each template, resolvable $refs, and only schema keywords the checks understand', () => {
    const ids = new Set<string>();
    for (const [template, item] of Object.entries(doc.paths)) {
      const inTemplate = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const [method, operation] of Object.entries(item)) {
        assert.ok(METHODS.includes(method), `${template}: ${method}`);
        assert.ok(!ids.has(operation.operationId), `duplicate operationId ${operation.operationId}`);
        ids.add(operation.operationId);
        const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
        assert.deepEqual(declared.map((p) => p.name).sort(), inTemplate, `${method} ${template} path parameters`);
        assert.ok(declared.every((p) => p.required === true));
        assert.ok(Array.isArray(operation.security), `${operation.operationId} says who may call it`);
        for (const security of operation.security ?? []) {
          for (const scheme of Object.keys(security as object)) assert.ok((doc.components as unknown as { securitySchemes: Record<string, unknown> }).securitySchemes[scheme], scheme);
        }
        assert.ok(Object.keys(operation.responses).length > 0);
        // Validating a sample value walks the schemas: unknown keywords and unresolved $refs throw.
        for (const response of Object.values(operation.responses).map((r) => resolveResponse(doc, r)!)) {
          for (const media of Object.values(response.content ?? {})) validate(media.schema, {}, doc);
          for (const header of Object.values(response.headers ?? {})) validate(header.schema, '', doc);
        }
        for (const media of Object.values(operation.requestBody?.content ?? {})) {
          assert.deepEqual(validate(media.schema, media.example, doc), [], `${operation.operationId}'s example follows its own schema`);
        }
        for (const parameter of operation.parameters ?? []) validate(parameter.schema, '', doc);
      }
    }
    for (const schema of Object.values(doc.components.schemas)) validate(schema, {}, doc);
  });

  it('lists exactly the routes the app registers (the development-only /sandbox and /demo aside)', () => {
    const registered = registeredRoutes(server.app).filter((r) => !UNDOCUMENTED_PREFIXES.some((p) => r.split(' ')[1]!.startsWith(p)));
    assert.ok(registered.length >= 20, `the router walk found routes: ${registered.join(', ')}`);
    assert.deepEqual(documentedRoutes(doc), registered);
  });

  it('describes every response of a real session of use: statuses, bodies, error codes and headers', { timeout: 60_000 }, async () => {
    const host = HOST_KEY;
    // Operations
    await api.send('GET', '/healthz');
    await api.send('GET', '/readyz');
    await api.send('GET', '/openapi.json');
    await api.send('GET', '/errors');

    // Host API
    assert.equal((await api.send('PUT', '/v1/workspaces/oa', { token: host, json: { plan: 'professional', name: 'OpenAPI' } })).status, 201);
    assert.equal((await api.send('PUT', '/v1/workspaces/oa', { token: host, json: { plan: 'professional', name: null, accountLimit: null } })).status, 200);
    assert.equal((await api.send('GET', '/v1/workspaces/oa', { token: host })).status, 200);
    assert.equal((await api.send('GET', '/v1/workspaces/nope', { token: host })).status, 404);
    assert.equal((await api.send('GET', '/v1/workspaces/oa/accounts', { token: host })).status, 200);
    assert.equal((await api.send('GET', '/v1/workspaces/oa/accounts')).status, 401);
    assert.equal((await api.send('GET', '/v1/workspaces/oa/accounts', { token: 'wrong-key' })).status, 401);
    assert.equal((await api.send('POST', '/v1/sessions', { token: host, json: { workspaceId: 'nope', userId: 'u', role: 'member' } })).status, 404);
    const member = (await api.send('POST', '/v1/sessions', { token: host, json: { workspaceId: 'oa', userId: 'u1', role: 'member' } })).body as { token: string };
    const admin = (await api.send('POST', '/v1/sessions', { token: host, json: { workspaceId: 'oa', userId: 'u1', role: 'admin', ttlSeconds: 600 } })).body as { token: string };
    assert.equal((await api.send('GET', '/v1/workspaces/oa', { token: member.token })).status, 401);
    assert.equal((await api.send('PUT', '/v1/workspaces/oa', { token: host, raw: '{"plan":' })).status, 400);
    assert.equal((await api.send('PUT', '/v1/workspaces/oa', { token: host, raw: 'plan=free', contentType: 'text/plain' })).status, 415);
    assert.equal((await api.send('PUT', '/v1/workspaces/oa', { token: host, raw: JSON.stringify({ name: 'x'.repeat(200_000) }) })).status, 413);

    // Widget API before any account
    const token = member.token;
    assert.equal((await api.send('GET', '/api/platforms', { token })).status, 200);
    assert.equal((await api.send('GET', '/api/accounts', { token })).status, 200);
    assert.equal((await api.send('GET', '/api/accounts', { token: host })).status, 401);
    assert.equal((await api.send('GET', '/api/accounts', { token: 'a.b.c' })).status, 401);
    const firstEvents = (await api.send('GET', '/api/events', { token })).body as { cursor: string };
    assert.equal((await api.send('GET', '/api/events?after=%21%21', { token })).status, 400);

    // A grant covering several Pages: start, open, consent, callback, status, choose.
    const origin = { Origin: HOST_ORIGIN };
    type Started = { attemptId: string; authorizeUrl: string; fields: Record<string, string> };
    const started = (await api.send('POST', '/api/connections', { token, json: { platform: 'facebook' }, headers: origin })).body as Started;
    assert.equal(((await api.send('GET', `/api/connections/${started.attemptId}`, { token })).body as { status: string }).status, 'pending');
    assert.equal((await api.send('GET', started.authorizeUrl, { browser: new Browser() })).status, 405, 'opened as a link: binds nothing');
    assert.equal((await api.send('POST', started.authorizeUrl, { browser: new Browser(), form: started.fields, origin: 'https://evil.example' })).status, 403);
    assert.equal((await api.send('POST', started.authorizeUrl, { browser: new Browser(), form: started.fields, origin: null })).status, 403);
    const browser = new Browser();
    const toPlatform = await api.send('POST', started.authorizeUrl, { browser, form: started.fields });
    assert.equal(toPlatform.status, 302);
    assert.equal((await api.send('POST', started.authorizeUrl, { browser: new Browser(), form: started.fields })).status, 409);
    const callbackUrl = await consent(toPlatform.headers.get('location')!, { user: '100000000000001' });
    assert.equal((await api.send('GET', callbackUrl.href, { browser: new Browser() })).status, 400, 'a browser without the binding cookie');
    const landed = await api.send('GET', callbackUrl.href, { browser });
    assert.equal(landed.status, 200);
    const { message } = callbackResult(landed.text);
    assert.equal(message.status, 'choose');
    assert.equal(((await api.send('GET', `/api/connections/${started.attemptId}`, { token })).body as { status: string }).status, 'choose');
    const choices = message.choices!;
    assert.equal((await api.send('POST', `/api/connections/${started.attemptId}/select`, { token, json: { ids: ['not-a-choice'] } })).status, 400);
    const selected = (await api.send('POST', `/api/connections/${started.attemptId}/select`, { token, json: { ids: [choices[0]!.id] } })).body as { accountIds: string[] };
    assert.equal(((await api.send('GET', `/api/connections/${started.attemptId}`, { token })).body as { status: string }).status, 'connected');
    assert.equal((await api.send('POST', `/api/connections/${started.attemptId}/select`, { token, json: { ids: [choices[1]!.id] } })).status, 409);
    assert.equal((await api.send('GET', `/api/connections/${randomUUID()}`, { token })).status, 404);

    // Redirect mode, and a denial.
    const redirect = (await api.send('POST', '/api/connections', { token, json: { platform: 'x', mode: 'redirect', returnTo: `${HOST_ORIGIN}/connections` } })).body as Started;
    const xBrowser = new Browser();
    const toX = await api.send('POST', redirect.authorizeUrl, { browser: xBrowser, form: redirect.fields });
    const back = await api.send('GET', (await consent(toX.headers.get('location')!, { user: '1700000000000000001' })).href, { browser: xBrowser });
    assert.equal(back.status, 302);
    assert.match(back.headers.get('location')!, /^https:\/\/host\.example\/connections\?cp_attempt=/);
    const denied = (await api.send('POST', '/api/connections', { token, json: { platform: 'tiktok' }, headers: origin })).body as Started;
    const tBrowser = new Browser();
    const toTiktok = await api.send('POST', denied.authorizeUrl, { browser: tBrowser, form: denied.fields });
    await api.send('GET', (await consent(toTiktok.headers.get('location')!, { user: 'tt-open-0001', decision: 'deny' })).href, { browser: tBrowser });
    assert.equal(((await api.send('GET', `/api/connections/${denied.attemptId}`, { token })).body as { status: string }).status, 'failed');
    await api.send('GET', '/oauth/callback.js');
    assert.equal((await api.send('POST', `/oauth/start/${randomUUID()}`, { form: {}, origin: HOST_ORIGIN })).status, 400);
    assert.equal((await api.send('POST', `/oauth/start/${randomUUID()}`, { form: { t: 'abc' }, origin: HOST_ORIGIN })).status, 404);
    assert.equal((await api.send('GET', `/oauth/start/${randomUUID()}?t=abc`)).status, 405);

    // The accounts, their details, credentials, health check, events, reconnect, disconnect.
    const accounts = ((await api.send('GET', '/api/accounts', { token })).body as { accounts: { id: string; platform: string }[] }).accounts;
    assert.equal(accounts.length, 2);
    const page = selected.accountIds[0]!;
    const x = accounts.find((a) => a.platform === 'x')!.id;
    assert.equal(((await api.send('GET', `/api/accounts/${page}`, { token })).body as { account: { debug?: unknown } }).account.debug, undefined);
    assert.ok(((await api.send('GET', `/api/accounts/${page}`, { token: admin.token })).body as { account: { debug?: unknown } }).account.debug);
    await api.send('GET', `/api/accounts/${x}`, { token: admin.token });
    assert.equal((await api.send('GET', `/api/accounts/${randomUUID()}`, { token })).status, 404);
    await api.send('GET', '/v1/workspaces/oa/accounts', { token: host });
    const credentials = (await api.send('GET', `/v1/accounts/${x}/credentials`, { token: host })).body as { platformAccountId: string };
    assert.equal((await api.send('GET', `/v1/accounts/${randomUUID()}/credentials`, { token: host })).status, 404);
    assert.equal((await api.send('POST', `/api/accounts/${page}/reconnect`, { token, headers: origin })).status, 201);
    await fetch(`${server.sandboxUrl}/control/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ platform: 'x', platformAccountId: credentials.platformAccountId }) });
    // X is verified by a renewal once its 2-hour access token lapses (never a billed read).
    server.clock.advance(2 * 3600);
    const checked = (await api.send('POST', '/api/health-check', { token })).body as { events: unknown[] };
    assert.ok(checked.events.length > 0, 'the revoked account turned amber');
    assert.equal((await api.send('GET', `/v1/accounts/${x}/credentials`, { token: host })).status, 409);
    await api.send('GET', `/api/events?after=${firstEvents.cursor}`, { token });
    assert.equal((await api.send('GET', `/api/accounts/${x}/history`, { token })).status, 200);
    assert.equal((await api.send('GET', '/v1/workspaces/oa/audit', { token: host })).status, 200);

    // Links: made by the host and by an admin, listed, opened in a fresh browser, used (with a choice of Pages).
    assert.equal((await api.send('POST', `/v1/accounts/${page}/reconnect-link`, { token: host, json: {} })).status, 201);
    assert.equal((await api.send('POST', `/api/accounts/${page}/reconnect-link`, { token: admin.token, json: {} })).status, 201);
    const connectLink = (await api.send('POST', '/v1/workspaces/oa/connect-link', { token: host, json: { platform: 'facebook' } })).body as { url: string };
    assert.equal((await api.send('GET', '/v1/workspaces/oa/links', { token: host })).status, 200);
    assert.equal((await api.send('GET', connectLink.url)).status, 200);
    assert.equal((await api.send('GET', connectLink.url.replace(/s=.*/, 's=forged'))).status, 404);
    const linkUrl = new URL(connectLink.url);
    const linkForm = `s=${encodeURIComponent(linkUrl.searchParams.get('s')!)}`;
    const continued = await api.send('POST', `${linkUrl.pathname}/continue`, { raw: linkForm, contentType: 'application/x-www-form-urlencoded', headers: { Origin: server.url } });
    assert.equal(continued.status, 303);
    const linkBrowser = new Browser();
    for (const line of continued.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      linkBrowser.cookies.set(name!.trim(), value.join('='));
    }
    const choosePage = await api.send('GET', (await consent(continued.headers.get('location')!, { user: '100000000000001' })).href, { browser: linkBrowser });
    const attempt = /name="attempt" value="([^"]+)"/.exec(choosePage.text)![1]!;
    const pageId = /name="ids" value="([^"]+)"/.exec(choosePage.text)![1]!;
    const chosen = await api.send('POST', `${linkUrl.pathname}/select`, { raw: `${linkForm}&attempt=${attempt}&ids=${pageId}`, contentType: 'application/x-www-form-urlencoded', headers: { Origin: server.url } });
    assert.equal(chosen.status, 200);
    assert.match(chosen.text, /Done/);
    assert.equal((await api.send('DELETE', `/api/accounts/${x}`, { token })).status, 204);
    assert.equal((await api.send('DELETE', `/api/accounts/${x}`, { token })).status, 404);

    // The gates.
    await api.send('PUT', '/v1/workspaces/oa-free', { token: host, json: { plan: 'free', accountLimit: 0 } });
    const free = ((await api.send('POST', '/v1/sessions', { token: host, json: { workspaceId: 'oa-free', userId: 'u2', role: 'member' } })).body as { token: string }).token;
    for (const [platform, code] of [['facebook', 'account_limit_reached'], ['x', 'plan_upgrade_required'], ['telegram', 'platform_coming_soon']]) {
      const refused = await api.send('POST', '/api/connections', { token: free, json: { platform } });
      assert.equal(refused.status, 403);
      assert.equal((refused.body as { error: { code: string } }).error.code, code);
    }

    // A choice that took too long.
    const late = (await api.send('POST', '/api/connections', { token, json: { platform: 'facebook' }, headers: origin })).body as Started;
    const lateBrowser = new Browser();
    const toLate = await api.send('POST', late.authorizeUrl, { browser: lateBrowser, form: late.fields });
    const lateResult = callbackResult((await api.send('GET', (await consent(toLate.headers.get('location')!, { user: '100000000000001' })).href, { browser: lateBrowser })).text);
    server.wallClock.advance(11 * 60);
    const fresh = ((await api.send('POST', '/v1/sessions', { token: host, json: { workspaceId: 'oa', userId: 'u1', role: 'member' } })).body as { token: string }).token;
    assert.equal((await api.send('POST', `/api/connections/${late.attemptId}/select`, { token: fresh, json: { ids: [lateResult.message.choices![2]!.id] } })).status, 410);

    // Push signals, signed as the platforms sign them (bad signatures first).
    const seconds = Math.floor(server.clock.now().getTime() / 1000);
    const payload = Buffer.from(JSON.stringify({ algorithm: 'HMAC-SHA256', issued_at: seconds, user_id: '100000000000001' })).toString('base64url');
    const signed = `${createHmac('sha256', SANDBOX_CLIENTS.facebook.clientSecret).update(payload).digest('base64url')}.${payload}`;
    const form = (value: string) => ({ raw: new URLSearchParams({ signed_request: value }).toString(), contentType: 'application/x-www-form-urlencoded' });
    assert.equal((await api.send('POST', '/oauth/deauthorize/facebook', form(`x${signed}`))).status, 400);
    assert.equal((await api.send('POST', '/oauth/deauthorize/facebook', form(signed))).status, 200);
    const deletion = (await api.send('POST', '/oauth/data-deletion/facebook', form(signed))).body as { url: string };
    await api.send('GET', deletion.url);
    const webhook = JSON.stringify({ event: 'authorization.removed', create_time: seconds, user_openid: 'tt-open-0001' });
    const tiktokSignature = `t=${seconds},s=${createHmac('sha256', SANDBOX_CLIENTS.tiktok.clientSecret).update(`${seconds}.${webhook}`).digest('hex')}`;
    assert.equal((await api.send('POST', '/webhooks/tiktok', { raw: webhook, contentType: 'application/json', headers: { 'TikTok-Signature': 'nope' } })).status, 400);
    assert.equal((await api.send('POST', '/webhooks/tiktok', { raw: webhook, contentType: 'application/json', headers: { 'TikTok-Signature': tiktokSignature } })).status, 200);

    // Every operation was seen answering successfully at least once (or, for one that only
    // ever refuses, the start URL opened as a link, with its documented refusal).
    const succeeded = new Set([...api.seen].filter((s) => /^\S+ [23]\d\d$/.test(s)).map((s) => s.split(' ')[0]));
    const operations = Object.values(doc.paths).flatMap((item) => Object.values(item).map((o) => o.operationId));
    for (const operation of Object.values(doc.paths).flatMap((item) => Object.values(item))) {
      const statuses = Object.keys(operation.responses);
      if (!statuses.some((s) => /^[23]/.test(s)) && statuses.some((s) => api.seen.has(`${operation.operationId} ${s}`))) succeeded.add(operation.operationId);
    }
    assert.deepEqual(operations.filter((o) => !succeeded.has(o)), []);
  });

  it('agrees with the validators: requests the document forbids get 400, requests it allows pass validation', { timeout: 120_000 }, async () => {
    const host = HOST_KEY;
    await api.send('PUT', '/v1/workspaces/oa-rules', { token: host, json: { plan: 'professional' } });
    const token = ((await api.send('POST', '/v1/sessions', { token: host, json: { workspaceId: 'oa-rules', userId: 'u', role: 'member' } })).body as { token: string }).token;
    const account = await server.insertAccount('oa-rules');
    const pathValues: Record<string, string> = { workspaceId: 'oa-rules', accountId: account.id, attemptId: randomUUID(), platform: 'facebook', linkId: randomUUID() };
    let checked = 0;

    /** Sends one request; the document's verdict on it must be the app's. */
    async function expectVerdict(method: string, template: string, operation: Operation, parts: { path?: Record<string, string>; query?: string; body?: unknown; hasBody?: boolean }, valid: boolean) {
      const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(parts.path?.[name] ?? pathValues[name]!));
      // Required query parameters get a valid value unless the probe sets the query itself.
      const required = (operation.parameters ?? []).filter((p) => p.in === 'query' && p.required).map((p) => `${p.name}=abc`);
      const query = parts.query ?? (required.length > 0 ? `?${required.join('&')}` : '');
      const scheme = Object.keys((operation.security?.[0] ?? {}) as object)[0];
      const auth = scheme === 'hostApiKey' ? host : scheme === 'sessionToken' ? token : undefined;
      // A form (the start form) is sent as the widget sends it: its example fields, from an allowed origin.
      const form = operation.requestBody?.content['application/x-www-form-urlencoded']?.example as Record<string, string> | undefined;
      const sent = await api.send(method.toUpperCase(), `${path}${query}`, {
        token: auth,
        ...(parts.hasBody ? { raw: JSON.stringify(parts.body) } : {}),
        ...(form ? { form, origin: HOST_ORIGIN } : {}),
      });
      const code = (sent.body as { error?: { code?: string } } | undefined)?.error?.code;
      const what = `${method.toUpperCase()} ${path}${query} ${parts.hasBody ? JSON.stringify(parts.body)?.slice(0, 120) : ''} -> ${sent.status} ${code ?? ''}`;
      if (valid) assert.ok(!(sent.status === 400 && SCHEMA_CODES.has(code!)), `the document allows it, the app refused it: ${what}`);
      else assert.equal(sent.status, 400, `the document forbids it, the app took it: ${what}`);
      checked++;
    }

    for (const [template, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const media = operation.requestBody?.content['application/json'];
        const example = media?.example as Record<string, unknown> | undefined;
        const baseBody = media ? { hasBody: true, body: example } : {};

        // Path and query parameters.
        for (const parameter of operation.parameters ?? []) {
          if (parameter.in === 'path') {
            for (const value of probeStrings(parameter.schema, pathValues[parameter.name]!)) {
              await expectVerdict(method, template, operation, { ...baseBody, path: { [parameter.name]: value } }, validate(parameter.schema, value, doc).length === 0);
            }
          }
          if (parameter.in === 'query' && parameter.schema.pattern) {
            for (const value of ['!!', 'a'.repeat(65)]) {
              assert.ok(validate(parameter.schema, value, doc).length > 0);
              await expectVerdict(method, template, operation, { ...baseBody, query: `?${parameter.name}=${encodeURIComponent(value)}` }, false);
            }
          }
          if (parameter.in === 'query' && parameter.required) {
            await expectVerdict(method, template, operation, { ...baseBody, query: '' }, false);
            if (parameter.schema.maxLength) await expectVerdict(method, template, operation, { query: `?${parameter.name}=${'a'.repeat(Number(parameter.schema.maxLength) + 1)}` }, false);
          }
        }
        if (operation['x-rejects-unknown-query-parameters']) await expectVerdict(method, template, operation, { ...baseBody, query: '?unexpected=1' }, false);

        // Bodies: the example, then every probe of every field, judged by the document first.
        if (!media || !example) continue;
        // A body is a component: probe the fields of the schema it refers to.
        const schema = typeof media.schema.$ref === 'string' ? doc.components.schemas[media.schema.$ref.replace('#/components/schemas/', '')]! : media.schema;
        await expectVerdict(method, template, operation, { hasBody: true, body: example }, true);
        await expectVerdict(method, template, operation, { hasBody: true, body: { ...example, unexpected: 1 } }, validate(schema, { ...example, unexpected: 1 }, doc).length === 0);
        for (const notAnObject of [[], 'text', 42, null]) await expectVerdict(method, template, operation, { hasBody: true, body: notAnObject }, false);
        if (!operation.requestBody!.required) await expectVerdict(method, template, operation, {}, true);
        for (const [field, fieldSchema] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
          const { [field]: _dropped, ...without } = example;
          await expectVerdict(method, template, operation, { hasBody: true, body: without }, validate(schema, without, doc).length === 0);
          for (const value of probeValues(fieldSchema, example[field])) {
            const body = { ...example, [field]: value };
            await expectVerdict(method, template, operation, { hasBody: true, body }, validate(schema, body, doc).length === 0);
          }
        }
      }
    }
    assert.ok(checked > 200, `${checked} requests checked`);
  });
});

/** A string cut or padded to a length, keeping its start (so URLs stay on their origin). */
const fit = (seed: string, length: number) => (seed.length >= length ? seed.slice(0, length) : seed + 'a'.repeat(length - seed.length));

function probeStrings(schema: Schema, seed: string): string[] {
  const probes = ['x', 'not-a-uuid', '-leading-dash', 'has space', 'a\u0001b', randomUUID(), randomUUID().toUpperCase(), seed];
  if (typeof schema.maxLength === 'number') probes.push(fit(seed, schema.maxLength), fit(seed, schema.maxLength + 1));
  return probes;
}

/** Values around every rule of a field's schema, valid and invalid alike. */
function probeValues(schema: Schema, seed: unknown): unknown[] {
  const probes: unknown[] = [null, true, 0, -1, 1.5, '', 'zz-not-listed', [], {}, 'a\u0001b', '-leading-dash', 'not a url'];
  const text = typeof seed === 'string' ? seed : 'abc';
  for (const key of ['minLength', 'maxLength'] as const) {
    const n = schema[key];
    if (typeof n === 'number') probes.push(fit(text, n), fit(text, Math.max(0, n - 1)), fit(text, n + 1));
  }
  for (const key of ['minimum', 'maximum'] as const) {
    const n = schema[key];
    if (typeof n === 'number') probes.push(n, n - 1, n + 1);
  }
  if (Array.isArray(schema.enum)) probes.push(...schema.enum);
  if (schema.type === 'array') {
    const items = schema.items as Schema;
    const item = (i: number) => `item-${i}`;
    const list = (n: number) => Array.from({ length: n }, (_, i) => item(i));
    if (typeof schema.maxItems === 'number') probes.push(list(schema.maxItems), list(schema.maxItems + 1));
    probes.push(list(1), ['same', 'same'], [1], [''], [null]);
    if (typeof items.maxLength === 'number') probes.push([fit('id', items.maxLength)], [fit('id', items.maxLength + 1)]);
  }
  return probes;
}
