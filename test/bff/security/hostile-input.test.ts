/**
 * Generated hostile input against every endpoint (fast-check): malformed and oversized ids,
 * wrong types, missing and unknown fields, bodies too large, wrong content types, unknown
 * platforms, path tricks, odd Unicode, forged credentials, malformed HTTP. Each one must get
 * a clear 4xx JSON error (never a 500, never a stack trace) and leave the database as it was.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { SignJWT } from 'jose';
import { auth, createTestContext, HOST_KEY, type TestContext } from '../../helpers/context.ts';
import { databaseSnapshot } from '../../helpers/snapshot.ts';
import { answerClientErrorsAsJson } from '../../../bff/http/client-error.ts';
import { HostId } from '../../../contract/schemas/common.ts';
import { ALL_PLATFORMS } from '../../../contract/platforms.ts';
import { PLANS } from '../../../contract/plans.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
fc.configureGlobal({ includeErrorInReport: true });

/** encodeURIComponent for any string (a lone surrogate cannot be UTF-8: it becomes U+FFFD). */
const enc = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

// --- generators ----------------------------------------------------------------------------

/** Strings people do not type: control characters, bidi overrides, lone surrogates, look-alikes. */
const ODD_UNICODE = ['\u0000', '\u0007', '\r\n', '\u202e', '\u200b', '\ufeff', '\ud800', '\udfff', 'İ', 'ﬃ', '．．／', 'ａｃｍｅ', '\u{1F4A9}', 'e\u0301', '\u2028'];
/** Path and injection tricks. */
const TRICKS = [
  '..',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '%252e%252e%252f',
  '%00',
  'a%2Fb',
  ';x=1',
  "' or 1=1 --",
  '"; drop table workspaces; --',
  '<script>alert(1)</script>',
  '${7*7}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  '\r\nX-Injected: yes',
  'https://evil.example/',
  '//evil.example',
  'javascript:alert(1)',
];

const hostile: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ unit: 'grapheme', maxLength: 64 }),
  fc.constantFrom(...ODD_UNICODE, ...TRICKS),
  fc.tuple(fc.constantFrom(...ODD_UNICODE, ...TRICKS), fc.string({ maxLength: 16 }), fc.constantFrom(...ODD_UNICODE, ...TRICKS)).map((p) => p.join('')),
  fc.integer({ min: 129, max: 5_000 }).map((n) => 'a'.repeat(n)),
);

/** Any JSON value of the wrong type for a field (given the type it should have). */
const wrongType = (ok: (v: unknown) => boolean) => fc.jsonValue({ maxDepth: 3 }).filter((v) => !ok(v));

/** A path segment: URL-encoded hostile text, or a raw trick (Express decodes it, or it goes nowhere). */
const segment = fc.oneof(
  // Never empty: `/api/accounts/` is the list itself, not a malformed id.
  hostile.filter((s) => s.length > 0).map((s) => enc(s)),
  fc.constant('%ED%A0%80'),
  fc.constantFrom('..', '.', '%2e%2e', '%2F', '%ZZ', '%E0%A4%A', '%C0%AE%C0%AE', '%u002e', 'a;b', '%00', '%0d%0aX-Injected:%20yes'),
);

/** Ids that are not UUIDs (a random UUID is also fine: it must be a 404). */
const badUuid = fc.oneof(segment, fc.uuid().map((u) => u.toUpperCase().replace(/-/g, '')), fc.uuid());
const isHostId = (s: string) => HostId.safeParse(s).success;
const badHostId = fc.oneof(
  hostile.filter((s) => s.length > 0 && !isHostId(s)).map(enc),
  fc.constantFrom('%2e%2e', '-lead', '.hidden', 'a%2Fb', 'a%20b', enc('ａｃｍｅ'), 'x'.repeat(129)),
);

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'text/html',
  'application/json; charset=utf-7',
  'application/json; charset=latin-9000',
  'application/jsonp',
  'application/vnd.api+json',
  'image/png',
  '*/*',
];

interface Field {
  /** Values that make this field invalid. */
  invalid: fc.Arbitrary<unknown>;
  required?: boolean;
}

/** What a hostile request to a body endpoint looks like: one thing wrong with a valid body. */
type Mutation =
  | { kind: 'invalid'; field: string; value: unknown }
  | { kind: 'missing'; field: string }
  | { kind: 'unknown'; key: string; value: unknown }
  | { kind: 'not-object'; value: unknown }
  | { kind: 'malformed'; text: string }
  | { kind: 'content-type'; contentType: string }
  | { kind: 'oversized'; size: number }
  | { kind: 'nested'; depth: number };

function mutations(valid: Record<string, unknown>, fields: Record<string, Field>): fc.Arbitrary<Mutation> {
  const names = Object.keys(fields);
  const required = names.filter((n) => fields[n]!.required);
  const options: fc.Arbitrary<Mutation>[] = [
    fc.record({ kind: fc.constant('unknown' as const), key: fc.oneof(hostile, fc.constantFrom('__proto__', 'constructor', 'prototype', 'admin', 'role')).filter((k) => !names.includes(k)), value: fc.jsonValue({ maxDepth: 2 }) }),
    fc.record({ kind: fc.constant('not-object' as const), value: fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }), fc.string(), fc.double(), fc.boolean(), fc.constant(null)) }),
    fc.record({
      kind: fc.constant('malformed' as const),
      text: fc.oneof(
        fc.constantFrom('{', '{"a":', '{a:1}', "{'plan':'free'}", '{"plan":"free",}', 'NaN', '\u0000', '{"x":"\\u00"}'),
        fc.integer({ min: 1, max: 40 }).map((cut) => JSON.stringify(valid).slice(0, Math.max(1, Math.min(cut, JSON.stringify(valid).length - 1)))),
      ),
    }),
    fc.record({ kind: fc.constant('content-type' as const), contentType: fc.constantFrom(...CONTENT_TYPES) }),
    fc.record({ kind: fc.constant('oversized' as const), size: fc.integer({ min: 101 * 1024, max: 400 * 1024 }) }),
    fc.record({ kind: fc.constant('nested' as const), depth: fc.integer({ min: 1_000, max: 20_000 }) }),
  ];
  if (names.length > 0) {
    options.push(
      fc.constantFrom(...names).chain((field) => fields[field]!.invalid.map((value): Mutation => ({ kind: 'invalid', field, value }))),
    );
  }
  if (required.length > 0) options.push(fc.constantFrom(...required).map((field): Mutation => ({ kind: 'missing', field })));
  return fc.oneof(...options);
}

/** The request body and content type a mutation produces. */
function bodyOf(valid: Record<string, unknown>, m: Mutation): { text: string | Buffer; contentType: string } {
  const json = (v: unknown) => ({ text: JSON.stringify(v), contentType: 'application/json' });
  switch (m.kind) {
    case 'invalid':
      return json({ ...valid, [m.field]: m.value });
    case 'missing': {
      const { [m.field]: _gone, ...rest } = valid;
      return json(rest);
    }
    case 'unknown':
      // Written by hand so "__proto__" arrives as a key, as an attacker would send it.
      return { text: `{${[...Object.entries(valid), [m.key, m.value]].map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v ?? null)}`).join(',')}}`, contentType: 'application/json' };
    case 'not-object':
      return json(m.value);
    case 'malformed':
      return { text: m.text, contentType: 'application/json' };
    case 'content-type':
      return { text: JSON.stringify(valid), contentType: m.contentType };
    case 'oversized':
      return json({ ...valid, padding: 'x'.repeat(m.size) });
    case 'nested':
      return { text: '['.repeat(m.depth) + ']'.repeat(m.depth), contentType: 'application/json' };
  }
}

// --- assertions ----------------------------------------------------------------------------

function assertClearError(res: request.Response, label: string, statuses?: number[]): void {
  const where = `${label}: ${res.status} ${res.text.slice(0, 300)}`;
  assert.ok(res.status >= 400 && res.status < 500, `a 4xx, not ${where}`);
  if (statuses) assert.ok(statuses.includes(res.status), `one of ${statuses.join('/')}: ${where}`);
  assert.match(String(res.headers['content-type']), /^application\/json/, where);
  assert.deepEqual(Object.keys(res.body), ['error'], where);
  assert.deepEqual(Object.keys(res.body.error).sort(), ['code', 'message'], where);
  assert.match(res.body.error.code, /^[a-z_]+$/, where);
  assert.ok(typeof res.body.error.message === 'string' && res.body.error.message.length > 10, where);
  assert.ok(!/\n\s+at |node_modules|Error:/.test(res.text), `no stack trace: ${where}`);
}

// --- the suite -----------------------------------------------------------------------------

describe('hostile input on every endpoint (generated)', () => {
  let ctx: TestContext;
  let member: string;
  let admin: string;
  let accountId: string;
  let otherAccountId: string;
  let snapshot: Record<string, string>;

  before(async () => {
    ctx = await createTestContext();
    await ctx.putWorkspace('fuzz', { plan: 'professional' });
    await ctx.putWorkspace('other', { plan: 'free' });
    member = await ctx.session('fuzz', 'member');
    admin = await ctx.session('fuzz', 'admin');
    accountId = (await ctx.insertAccount('fuzz', { display_name: 'Fuzz Page' })).id;
    otherAccountId = (await ctx.insertAccount('other', { display_name: 'Other Page' })).id;
    snapshot = await databaseSnapshot(ctx.database.db);
  });
  after(() => ctx.close());

  const host = () => `Bearer ${HOST_KEY}`;
  const send = (method: string, path: string, authorization: string | null, body?: { text: string | Buffer; contentType: string }) => {
    let req = request(ctx.app)[method.toLowerCase() as 'get'](path);
    if (authorization !== null) req = req.set('Authorization', authorization);
    if (body) req = req.set('Content-Type', body.contentType).send(body.text);
    return req;
  };
  async function unchanged(label: string): Promise<void> {
    const now = await databaseSnapshot(ctx.database.db);
    const before = snapshot;
    // Judge each request on its own: after a write, later (shrunk) inputs start from the new state.
    snapshot = now;
    assert.deepEqual(now, before, `the database changed after ${label}`);
  }
  async function check(label: string, run: () => Promise<request.Response>, statuses?: number[]): Promise<void> {
    const res = await run();
    try {
      assertClearError(res, label, statuses);
    } finally {
      await unchanged(label);
    }
  }

  /** The endpoints that take a JSON body, each with a valid body and what makes each field invalid. */
  const BODY_ENDPOINTS: { method: string; label: string; path: () => string; authorization: () => string; valid: Record<string, unknown>; fields: Record<string, Field> }[] = [
    {
      method: 'PUT',
      label: '/v1/workspaces/:id',
      path: () => '/v1/workspaces/fuzz',
      authorization: host,
      valid: { plan: 'enterprise', name: 'Fuzz Ltd', accountLimit: 12 },
      fields: {
        plan: { required: true, invalid: fc.oneof(hostile, wrongType((v) => typeof v === 'string')).filter((v) => !(PLANS as readonly unknown[]).includes(v)) },
        name: {
          invalid: fc.oneof(
            wrongType((v) => typeof v === 'string' || v === null),
            fc.integer({ min: 201, max: 2_000 }).map((n) => 'n'.repeat(n)),
            fc.constantFrom('', 'a\u0000b', 'line\r\nbreak', '\u0007'),
          ),
        },
        accountLimit: { invalid: fc.oneof(fc.double().filter((n) => !Number.isInteger(n) || n < 0 || n > 1_000_000), fc.integer({ max: -1 }), fc.integer({ min: 1_000_001 }), wrongType((v) => typeof v === 'number' || v === null)) },
      },
    },
    {
      method: 'POST',
      label: '/v1/sessions',
      path: () => '/v1/sessions',
      authorization: host,
      valid: { workspaceId: 'fuzz', userId: 'u-1', role: 'member', ttlSeconds: 600 },
      fields: {
        workspaceId: { required: true, invalid: fc.oneof(hostile.filter((s) => !isHostId(s)), wrongType((v) => typeof v === 'string')) },
        userId: { required: true, invalid: fc.oneof(wrongType((v) => typeof v === 'string'), fc.constantFrom('', 'a\u0000', 'x\r\nSet-Cookie: a=b', 'u'.repeat(201))) },
        role: { required: true, invalid: fc.oneof(hostile, wrongType((v) => typeof v === 'string'), fc.constantFrom('owner', 'Admin', 'ADMIN', 'admin ', 'superuser')).filter((v) => v !== 'member' && v !== 'admin') },
        ttlSeconds: { invalid: fc.oneof(fc.integer({ max: 59 }), fc.integer({ min: 86_401 }), fc.double().filter((n) => !Number.isInteger(n)), wrongType((v) => typeof v === 'number')) },
      },
    },
    {
      method: 'POST',
      label: '/api/connections',
      path: () => '/api/connections',
      authorization: () => `Bearer ${member}`,
      valid: { platform: 'facebook', mode: 'popup', returnTo: 'https://host.example/connections' },
      fields: {
        platform: { required: true, invalid: fc.oneof(hostile, wrongType((v) => typeof v === 'string'), fc.constantFrom('Facebook', 'FACEBOOK', 'myspace', 'facebook ', 'face\u200bbook')).filter((v) => !(ALL_PLATFORMS as readonly unknown[]).includes(v)) },
        mode: { invalid: fc.oneof(hostile, wrongType((v) => typeof v === 'string'), fc.constantFrom('tab', 'iframe', 'POPUP')).filter((v) => v !== 'popup' && v !== 'redirect') },
        returnTo: { invalid: returnToInvalid() },
      },
    },
    {
      method: 'POST',
      label: '/api/accounts/:id/reconnect',
      path: () => `/api/accounts/${accountId}/reconnect`,
      authorization: () => `Bearer ${member}`,
      valid: { mode: 'redirect', returnTo: 'https://host.example/connections' },
      fields: {
        mode: { invalid: fc.oneof(hostile, wrongType((v) => typeof v === 'string')).filter((v) => v !== 'popup' && v !== 'redirect') },
        returnTo: { invalid: returnToInvalid() },
      },
    },
    {
      method: 'POST',
      label: '/api/connections/:id/select',
      path: () => `/api/connections/${randomUUID()}/select`,
      authorization: () => `Bearer ${member}`,
      valid: { ids: ['123'] },
      fields: {
        ids: {
          required: true,
          invalid: fc.oneof(
            wrongType(Array.isArray),
            fc.constant([]),
            fc.array(fc.string({ maxLength: 5 }), { minLength: 101, maxLength: 150 }),
            fc.array(wrongType((v) => typeof v === 'string'), { minLength: 1, maxLength: 5 }),
            fc.constant(['a', 'a']),
            fc.constant(['x'.repeat(129)]),
          ),
        },
      },
    },
    { method: 'POST', label: '/api/health-check', path: () => '/api/health-check', authorization: () => `Bearer ${member}`, valid: {}, fields: {} },
  ];

  function returnToInvalid(): fc.Arbitrary<unknown> {
    const allowed = ['http://127.0.0.1:3999', 'https://host.example'];
    const onAllowedOrigin = (v: unknown) => {
      try {
        return typeof v === 'string' && v.length <= 2048 && !/[\u0000-\u001f\u007f]/.test(v) && allowed.includes(new URL(v).origin);
      } catch {
        return false;
      }
    };
    return fc
      .oneof(
        hostile,
        wrongType((v) => typeof v === 'string'),
        fc.constantFrom(
          'https://host.example.evil.example/',
          'https://host.example@evil.example/',
          'https://evil.example/?https://host.example',
          '//host.example/x',
          '/relative',
          'http://host.example/',
          'https://host.example:444/',
          'javascript:alert(document.domain)',
          'data:text/html,<script>alert(1)</script>',
          'https://host.example/\r\nX-Injected: yes',
          `https://host.example/${'a'.repeat(2100)}`,
        ),
        fc.webUrl().filter((u) => !onAllowedOrigin(u)),
      )
      .filter((v) => !onAllowedOrigin(v));
  }

  for (const endpoint of BODY_ENDPOINTS) {
    it(`${endpoint.method} ${endpoint.label}: a body with one thing wrong is a 4xx, and nothing is written`, async () => {
      await fc.assert(
        fc.asyncProperty(mutations(endpoint.valid, endpoint.fields), async (mutation) => {
          const body = bodyOf(endpoint.valid, mutation);
          const expected: Record<Mutation['kind'], number[]> = {
            invalid: [400, 404],
            missing: [400],
            unknown: [400],
            'not-object': [400],
            malformed: [400],
            'content-type': [415],
            oversized: [413],
            nested: [400, 413],
          };
          await check(`${endpoint.method} ${endpoint.path()} ${JSON.stringify(mutation).slice(0, 200)}`, () => send(endpoint.method, endpoint.path(), endpoint.authorization(), body), expected[mutation.kind]);
        }),
        { numRuns: RUNS },
      );
    });
  }

  /** Every route, with a way to put a hostile value in its path. */
  const ROUTES: { method: string; path: (segment: string) => string; authorization: () => string }[] = [
    { method: 'PUT', path: (s) => `/v1/workspaces/${s}`, authorization: host },
    { method: 'GET', path: (s) => `/v1/workspaces/${s}`, authorization: host },
    { method: 'GET', path: (s) => `/v1/workspaces/${s}/accounts`, authorization: host },
    { method: 'GET', path: (s) => `/v1/accounts/${s}/credentials`, authorization: host },
    { method: 'GET', path: (s) => `/api/accounts/${s}`, authorization: () => `Bearer ${admin}` },
    { method: 'DELETE', path: (s) => `/api/accounts/${s}`, authorization: () => `Bearer ${admin}` },
    { method: 'POST', path: (s) => `/api/accounts/${s}/reconnect`, authorization: () => `Bearer ${admin}` },
    { method: 'GET', path: (s) => `/api/connections/${s}`, authorization: () => `Bearer ${admin}` },
    { method: 'POST', path: (s) => `/api/connections/${s}/select`, authorization: () => `Bearer ${admin}` },
  ];

  it('malformed, oversized, foreign and unknown ids in every path are a 400 or 404, and nothing is written', async () => {
    const workspaceRoutes = ROUTES.filter((r) => r.path('X').startsWith('/v1/workspaces/'));
    const idRoutes = ROUTES.filter((r) => !workspaceRoutes.includes(r));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...idRoutes), fc.oneof(badUuid, fc.constant('other')), async (route, generated) => {
        // The host API is not scoped to a workspace; on the widget API another workspace's account is a 404.
        const id = generated === 'other' ? (route.path('x').startsWith('/v1/') ? randomUUID() : otherAccountId) : generated;
        const body = route.method === 'POST' ? { text: JSON.stringify(route.path('x').endsWith('/select') ? { ids: ['1'] } : {}), contentType: 'application/json' } : undefined;
        await check(`${route.method} ${route.path(id)}`, () => send(route.method, route.path(id), route.authorization() || null, body), [400, 404]);
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...workspaceRoutes), badHostId, async (route, id) => {
        const body = route.method === 'PUT' ? { text: JSON.stringify({ plan: 'free' }), contentType: 'application/json' } : undefined;
        await check(`${route.method} ${route.path(id)}`, () => send(route.method, route.path(id), route.authorization(), body), [400, 404]);
      }),
      { numRuns: RUNS },
    );
  });

  it("another workspace's account is a 404 on every account route, exactly like one that does not exist", async () => {
    for (const route of idRoutesFor(['/api/accounts/'])) {
      const foreign = await send(route.method, route.path(otherAccountId), `Bearer ${admin}`, route.method === 'POST' ? { text: '{}', contentType: 'application/json' } : undefined);
      const missing = await send(route.method, route.path(randomUUID()), `Bearer ${admin}`, route.method === 'POST' ? { text: '{}', contentType: 'application/json' } : undefined);
      assertClearError(foreign, route.path(':other'), [404]);
      assert.deepEqual(foreign.body, missing.body, route.path(':id'));
    }
    await unchanged('foreign account ids');
  });

  function idRoutesFor(prefixes: string[]) {
    return ROUTES.filter((r) => prefixes.some((p) => r.path('x').startsWith(p)));
  }

  /** Every endpoint with credentials, in the form the generators vary. */
  const AUTHED: { method: string; path: string; api: 'host' | 'widget' }[] = [
    { method: 'PUT', path: '/v1/workspaces/fuzz', api: 'host' },
    { method: 'GET', path: '/v1/workspaces/fuzz', api: 'host' },
    { method: 'GET', path: '/v1/workspaces/fuzz/accounts', api: 'host' },
    { method: 'POST', path: '/v1/sessions', api: 'host' },
    { method: 'GET', path: '/v1/accounts/:id/credentials', api: 'host' },
    { method: 'GET', path: '/api/accounts', api: 'widget' },
    { method: 'GET', path: '/api/accounts/:id', api: 'widget' },
    { method: 'DELETE', path: '/api/accounts/:id', api: 'widget' },
    { method: 'POST', path: '/api/accounts/:id/reconnect', api: 'widget' },
    { method: 'GET', path: '/api/platforms', api: 'widget' },
    { method: 'POST', path: '/api/connections', api: 'widget' },
    { method: 'GET', path: '/api/connections/:id', api: 'widget' },
    { method: 'POST', path: '/api/connections/:id/select', api: 'widget' },
    { method: 'POST', path: '/api/health-check', api: 'widget' },
    { method: 'GET', path: '/api/events', api: 'widget' },
  ];

  it('forged, malformed and misplaced credentials on every endpoint are a 401', async () => {
    const key = new TextEncoder().encode(HOST_KEY);
    const header = fc.oneof(
      fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 200 }).map((s) => `Bearer ${s.trim() || 'x'}`),
      fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 80 }),
      fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map(([a, b, c]) => `Bearer ${[a, b, c].map((s) => s.replace(/[+/=]/g, '_') || 'e30').join('.')}`),
      fc.constantFrom(`Basic ${Buffer.from(`x:${HOST_KEY}`).toString('base64')}`, `Bearer  `, 'Bearer', `Token ${HOST_KEY}`, `Bearer ${HOST_KEY}x`, `Bearer ${HOST_KEY.slice(0, -1)}`),
      // A JWT with no signature (alg none), and one signed with the host key itself rather than the derived key.
      fc.record({ wid: fc.constantFrom('fuzz', 'other'), role: fc.constantFrom('admin', 'member') }).map(({ wid, role }) => {
        const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const exp = Math.floor(Date.now() / 1000) + 600;
        return `Bearer ${part({ alg: 'none', typ: 'JWT' })}.${part({ wid, role, sub: 'u', jti: 'j', iss: 'connections-panel', aud: 'connections-panel:widget', exp })}.`;
      }),
      fc.constantFrom('fuzz', 'other').map((wid) => ({ wid })),
    );
    const signedWithHostKey = await new SignJWT({ wid: 'fuzz', role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('connections-panel')
      .setAudience('connections-panel:widget')
      .setSubject('u')
      .setJti('j')
      .setExpirationTime('1h')
      .sign(key);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...AUTHED), header, fc.boolean(), async (endpoint, generated, misplaced) => {
        // Misplaced: the other API's valid credential (a session on /v1, the host key on /api).
        let authorization = typeof generated === 'string' ? generated : `Bearer ${signedWithHostKey}`;
        if (misplaced) authorization = endpoint.api === 'host' ? `Bearer ${admin}` : `Bearer ${HOST_KEY}`;
        const path = endpoint.path.replace(':id', accountId);
        const body = endpoint.method === 'GET' || endpoint.method === 'DELETE' ? undefined : { text: '{}', contentType: 'application/json' };
        await check(`${endpoint.method} ${path} with ${authorization.slice(0, 60)}`, () => send(endpoint.method, path, authorization, body), [401]);
      }),
      { numRuns: RUNS },
    );
  });

  it('unknown and repeated query parameters are a 400 on every endpoint', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...AUTHED), fc.oneof(hostile, fc.constantFrom('debug', 'admin', 'role', 'workspaceId', '__proto__')).filter((k) => k.length > 0 && k !== 'after'), hostile, async (endpoint, key, value) => {
        const path = `${endpoint.path.replace(':id', accountId)}?${enc(key)}=${enc(value)}`;
        const authorization = endpoint.api === 'host' ? host() : `Bearer ${admin}`;
        const body = endpoint.method === 'GET' || endpoint.method === 'DELETE' ? undefined : { text: '{}', contentType: 'application/json' };
        await check(`${endpoint.method} ${path}`, () => send(endpoint.method, path, authorization, body), [400]);
      }),
      { numRuns: RUNS },
    );
    await check('repeated after', () => send('GET', '/api/events?after=a&after=b', `Bearer ${member}`), [400]);
    await fc.assert(
      fc.asyncProperty(hostile, async (after) => {
        await check(`GET /api/events?after=${after.slice(0, 40)}`, () => send('GET', `/api/events?after=${enc(after)}`, `Bearer ${member}`), [400]);
      }),
      { numRuns: RUNS },
    );
  });

  it('unknown platforms are refused when starting a connection and at the OAuth callback', async () => {
    const unknownPlatform = hostile.filter((s) => !(ALL_PLATFORMS as readonly string[]).includes(s) && s.length > 0);
    await fc.assert(
      fc.asyncProperty(unknownPlatform, async (platform) => {
        await check(`connect ${platform}`, () => send('POST', '/api/connections', `Bearer ${member}`, { text: JSON.stringify({ platform }), contentType: 'application/json' }), [400]);
        const res = await request(ctx.app).get(`/oauth/callback/${enc(platform)}?code=c&state=s`);
        assert.ok(res.status === 400 || res.status === 404, `callback ${platform}: ${res.status}`);
        if (res.status === 404) assertClearError(res, `callback ${platform}`);
        await unchanged(`callback ${platform}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('an OAuth callback with generated parameters and cookies is refused with a page for people, and nothing is written', async () => {
    const param = fc.oneof(hostile, fc.uuid(), fc.base64String({ maxLength: 64 }));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('facebook', 'instagram', 'tiktok', 'x', 'linkedin'),
        fc.dictionary(fc.constantFrom('code', 'state', 'error', 'error_description', 'error_reason', 'scopes', 'granted_scopes', 'denied_scopes'), param, { maxKeys: 5 }),
        fc.array(fc.tuple(fc.oneof(fc.uuid().map((u) => `cp_oauth_${u}`), fc.constantFrom('cp_oauth_', 'cp_oauth_x', 'cp_oauth_../..')), fc.base64String({ maxLength: 50 })), { maxLength: 3 }),
        async (platform, query, cookies) => {
          const qs = new URLSearchParams(query as Record<string, string>).toString();
          let req = request(ctx.app).get(`/oauth/callback/${platform}?${qs}`);
          if (cookies.length > 0) req = req.set('Cookie', cookies.map(([k, v]) => `${k}=${v}`).join('; '));
          const res = await req;
          assert.equal(res.status, 400, `${platform}?${qs}: ${res.status}`);
          assert.match(String(res.headers['content-type']), /^text\/html/);
          const data = /<script type="application\/json" id="cp-oauth-result">([\s\S]*?)<\/script>/.exec(res.text)?.[1];
          assert.ok(data, 'the page carries the result');
          const { message } = JSON.parse(data) as { message: { status: string; error: { code: string; message: string } } };
          assert.equal(message.status, 'failed');
          assert.match(message.error.code, /^(attempt_not_found|browser_mismatch)$/);
          assert.ok(!res.text.includes('<script>alert'), 'hostile text is never echoed as markup');
          await unchanged(`callback ${platform}?${qs}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the OAuth start form refuses generated attempt ids and one-time secrets with a JSON 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(badUuid, fc.oneof(hostile, fc.base64String(), fc.integer({ min: 101, max: 500 }).map((n) => 't'.repeat(n))), async (id, t) => {
        await check(
          `start ${id}`,
          () => request(ctx.app).post(`/oauth/start/${id}`).set('Origin', ctx.config.allowedOrigins[0]!).type('form').send(`t=${enc(t)}`),
          [400, 404, 413], // 413: a form over 2 kB
        );
      }),
      { numRuns: RUNS },
    );
  });

  describe('at the HTTP level', () => {
    let server: http.Server;
    let port: number;
    before(async () => {
      server = http.createServer(ctx.app);
      answerClientErrorsAsJson(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    /** Sends raw bytes and reads the whole answer (the server closes after an error). */
    function raw(bytes: Buffer): Promise<{ status: number; headers: string; body: string }> {
      return new Promise((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1');
        const chunks: Buffer[] = [];
        socket.setTimeout(5_000, () => socket.destroy(new Error('no answer in 5 s')));
        socket.on('data', (d) => {
          chunks.push(d);
          // One response is enough: stop once its declared body has arrived.
          const text = Buffer.concat(chunks).toString('latin1');
          const end = text.indexOf('\r\n\r\n');
          const length = /content-length: *(\d+)/i.exec(text.slice(0, end))?.[1];
          if (end >= 0 && length !== undefined && Buffer.concat(chunks).length >= end + 4 + Number(length)) socket.end();
        });
        socket.on('error', reject);
        socket.on('close', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const end = text.indexOf('\r\n\r\n');
          resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), headers: text.slice(0, end), body: text.slice(end + 4) });
        });
        socket.write(bytes);
      });
    }

    it('malformed requests and header injection get a JSON 4xx, and the server keeps serving', async () => {
      const badByte = fc.constantFrom('\u0000', '\u000b', '\u007f', '\n', '\r', '\r\n ', '\u00ff', '\u0001');
      const line = fc.oneof(
        // A control character inside a header value or name.
        fc.tuple(fc.constantFrom('Authorization: Bearer ', 'X-Request-Id: ', 'Cookie: cp_oauth_x=', 'Origin: https://host.example', 'X-Forwarded-For: '), badByte, fc.string({ maxLength: 20 })).map(([a, b, c]) => `${a}${b}${c}`),
        fc.tuple(badByte, fc.string({ maxLength: 10 })).map(([b, c]) => `X-${b}Bad: ${c}`),
        // Header injection: a value carrying a second header and a second request.
        fc.constantFrom('X-Request-Id: a\r\nX-Injected: yes', 'Authorization: Bearer a\nX-Injected: yes', 'Content-Length: 5\r\nContent-Length: 6', 'Transfer-Encoding: chunked\r\nContent-Length: 3', ' folded: value', 'Host: a\r\nHost: b'),
        fc.integer({ min: 20_000, max: 100_000 }).map((n) => `X-Big: ${'h'.repeat(n)}`),
      );
      const requestLine = fc.constantFrom('GET /api/accounts HTTP/1.1', 'GET /api/accounts\u0000 HTTP/1.1', 'GET /api/../../etc/passwd HTTP/1.1', 'GE\u0007T /api/accounts HTTP/1.1', 'GET /api/accounts HTTP/9.9', 'GET http://evil.example/api/accounts HTTP/1.1', 'GET /api/%ZZ HTTP/1.1');
      await fc.assert(
        fc.asyncProperty(requestLine, line, async (first, header) => {
          const res = await raw(Buffer.from(`${first}\r\nHost: 127.0.0.1\r\n${header}\r\nConnection: close\r\n\r\n`, 'latin1'));
          const label = `${JSON.stringify(first)} ${JSON.stringify(header.slice(0, 80))}: ${res.status} ${res.body.slice(0, 200)}`;
          assert.ok(res.status >= 400 && res.status < 500, label);
          assert.match(res.headers, /content-type: application\/json/i, label);
          const body = JSON.parse(res.body) as { error: { code: string; message: string } };
          assert.match(body.error.code, /^[a-z_]+$/, label);
          assert.ok(!/^x-injected:/im.test(res.headers), `no injected header in the answer: ${label}`);
          await unchanged(label);
        }),
        { numRuns: RUNS },
      );
      const healthy = await fetch(`http://127.0.0.1:${port}/api/accounts`, { headers: auth(member) });
      assert.equal(healthy.status, 200, 'still serving');
    });
  });
});
