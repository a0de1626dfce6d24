/**
 * Security headers (helmet), the Content-Security-Policy the widget and the example page work
 * under, the callback page's own policy, CORS limited to the configured origins, and the rate
 * limit on starting OAuth. (The host API's rate limit is proven in test/bff/operations.test.ts.)
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../../bff/app.ts';
import { auth, createTestContext, HOST_KEY, type TestContext } from '../../helpers/context.ts';
import { Browser, callbackResult, startTestServer, type TestServer } from '../../helpers/server.ts';

const root = path.resolve(import.meta.dirname, '../../..');

/** The directives of a Content-Security-Policy header. */
function directives(header: string | undefined): Map<string, string[]> {
  assert.ok(header, 'a Content-Security-Policy header');
  return new Map(header.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...values] = d.split(/\s+/);
    return [name!, values];
  }));
}

describe('security headers and the Content-Security-Policy', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
    await ctx.putWorkspace('h', { plan: 'enterprise' });
  });
  after(() => ctx.close());

  it('sends helmet headers and a strict policy on every kind of response', async () => {
    const app = createApp({ config: ctx.config, database: ctx.database, logger: ctx.logger }, { staticDir: path.join(root, 'examples/host-page') });
    const token = await ctx.session('h');
    for (const [label, res] of [
      ['the example page', await request(app).get('/')],
      ['/healthz', await request(app).get('/healthz')],
      ['/api/accounts', await request(app).get('/api/accounts').set(auth(token))],
      ['a widget 404', await request(app).get('/api/nothing').set(auth(token))],
      ['a widget 401', await request(app).get('/api/accounts')],
      ['/v1/workspaces/h', await request(app).get('/v1/workspaces/h').set('Authorization', `Bearer ${HOST_KEY}`)],
      ['/oauth/callback.js', await request(app).get('/oauth/callback.js')],
    ] as const) {
      const where = `${label} (${res.status})`;
      const csp = directives(res.headers['content-security-policy']);
      assert.deepEqual(csp.get('script-src'), ["'self'"], `${where}: scripts from our origin only: no inline script, no eval`);
      assert.deepEqual(csp.get('style-src'), ["'self'"], where);
      assert.deepEqual(csp.get('object-src'), ["'none'"], where);
      assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], where);
      assert.deepEqual(csp.get('connect-src'), ["'self'", ...ctx.config.allowedOrigins], where);
      assert.deepEqual(csp.get('img-src'), ["'self'", 'data:', 'https:'], where);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', where);
      assert.equal(res.headers['x-frame-options'], 'DENY', where);
      assert.equal(res.headers['referrer-policy'], 'same-origin', `${where}: nothing to other sites; our own forms keep their Origin`);
      assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin', `${where}: host pages on other origins load pictures and the bundle`);
      assert.equal(res.headers['cross-origin-opener-policy'], undefined, `${where}: the OAuth popup keeps its opener`);
      assert.equal(res.headers['x-powered-by'], undefined, where);
      assert.equal(res.headers['strict-transport-security'], undefined, `${where}: no HSTS on a plain-http BFF`);
    }
  });

  it('adds HSTS and upgrade-insecure-requests when the BFF is on https', async () => {
    const app = createApp({ config: { ...ctx.config, publicUrl: 'https://connections.example' }, database: ctx.database, logger: ctx.logger });
    const res = await request(app).get('/healthz');
    assert.match(String(res.headers['strict-transport-security']), /max-age=\d+/);
    assert.ok(directives(res.headers['content-security-policy']).has('upgrade-insecure-requests'));
  });

  it('serves the widget bundle at /dist to any origin (CORS *, no credentials), chunks immutable, the entry revalidated', async () => {
    const { mkdtemp, mkdir, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(path.join(tmpdir(), 'cp-dist-'));
    await mkdir(path.join(dir, 'chunks'));
    await writeFile(path.join(dir, 'connections-panel.js'), 'export {};\n');
    await writeFile(path.join(dir, 'chunks', 'account-detail-CA-CAhHa.js'), 'export {};\n');
    const app = createApp({ config: ctx.config, database: ctx.database, logger: ctx.logger }, { widgetDir: dir });
    const entry = await request(app).get('/dist/connections-panel.js').set('Origin', 'https://any-host.example');
    assert.equal(entry.status, 200);
    assert.match(String(entry.headers['content-type']), /javascript/);
    assert.equal(entry.headers['access-control-allow-origin'], '*');
    assert.equal(entry.headers['access-control-allow-credentials'], undefined, 'never with credentials');
    assert.equal(entry.headers['cache-control'], 'public, max-age=300, must-revalidate');
    assert.ok(entry.headers['etag']);
    assert.equal(entry.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.equal((await request(app).get('/dist/connections-panel.js').set('If-None-Match', String(entry.headers['etag']))).status, 304);
    const chunk = await request(app).get('/dist/chunks/account-detail-CA-CAhHa.js');
    assert.equal(chunk.headers['access-control-allow-origin'], '*');
    assert.equal(chunk.headers['cache-control'], 'public, max-age=31536000, immutable');
    const preflight = await request(app).options('/dist/connections-panel.js').set('Origin', 'https://any-host.example').set('Access-Control-Request-Method', 'GET');
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], '*');
    const missing = await request(app).get('/dist/nothing.js');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'not_found');
  });

  it('the example host page and the widget need nothing the policy forbids: no inline script or style, no eval', async () => {
    const html = await readFile(path.join(root, 'examples/host-page/index.html'), 'utf8');
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /\bsrc=|type="application\/json"/, `inline script: ${tag}`);
    assert.doesNotMatch(html, /<style\b|\sstyle=|\son[a-z]+=/i, 'no inline style or event handler attributes');
    const files: string[] = [];
    for (const entry of await readdir(path.join(root, 'widget'), { recursive: true })) if (String(entry).endsWith('.ts')) files.push(path.join(root, 'widget', String(entry)));
    assert.ok(files.length > 5, 'the widget sources were found');
    for (const file of files) {
      const source = await readFile(file, 'utf8');
      const where = path.relative(root, file);
      assert.doesNotMatch(source, /\beval\(|new Function\(|setTimeout\(\s*['"`]|setInterval\(\s*['"`]/, `${where}: no eval`);
      assert.doesNotMatch(source, /\sstyle="|\son[a-z]+="|innerHTML\s*=|insertAdjacentHTML|document\.write/, `${where}: no inline style attributes, inline handlers or HTML strings`);
    }
  });

  it('lets only the configured origins call the widget API from a browser, and gives the host API no CORS at all', async () => {
    const token = await ctx.session('h');
    const evil = await request(ctx.app).get('/api/accounts').set(auth(token)).set('Origin', 'https://evil.example');
    assert.equal(evil.headers['access-control-allow-origin'], undefined);
    const lookalike = await request(ctx.app).options('/api/accounts').set('Origin', 'https://host.example.evil.example').set('Access-Control-Request-Method', 'GET');
    assert.equal(lookalike.headers['access-control-allow-origin'], undefined);
    const allowed = await request(ctx.app).get('/api/accounts').set(auth(token)).set('Origin', 'https://host.example');
    assert.equal(allowed.headers['access-control-allow-origin'], 'https://host.example');
    assert.equal(allowed.headers['access-control-allow-credentials'], undefined, 'no cookies cross-origin: the session is a bearer token');
    for (const origin of ['https://host.example', 'https://evil.example']) {
      const hostApi = await request(ctx.app).options('/v1/workspaces/h').set('Origin', origin).set('Access-Control-Request-Method', 'PUT');
      assert.equal(hostApi.headers['access-control-allow-origin'], undefined, `host API, ${origin}`);
    }
  });

  it('limits how often a client may start OAuth (429 with Retry-After and a clear error)', async () => {
    const limited3 = await createTestContext({ config: { rateLimitPerMinute: 3 } });
    try {
      await limited3.putWorkspace('h', { plan: 'enterprise' });
      await startsAreLimited(limited3, await limited3.session('h'));
    } finally {
      await limited3.close();
    }
  });

  async function startsAreLimited(ctx: TestContext, token: string): Promise<void> {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await request(ctx.app).post('/api/connections').set(auth(token)).send({ platform: 'facebook' })).status);
    assert.deepEqual(statuses, [201, 201, 201, 429]);
    const limited = await request(ctx.app).post('/api/connections').set(auth(token)).send({ platform: 'facebook' });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '60');
    assert.equal(limited.body.error.code, 'rate_limited');
    // Reading is not limited: the panel keeps working.
    assert.equal((await request(ctx.app).get('/api/accounts').set(auth(token))).status, 200);
  }
});

describe("the OAuth pages' own policies", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    await server.putWorkspace('p', { plan: 'enterprise' });
  });
  after(() => server.close());

  it('the callback page allows its one script and its one style block (by hash), and keeps the opener', async () => {
    // A callback that matches no attempt still gets the page, with its policy.
    const callback = await fetch(`${server.url}/oauth/callback/x?error=access_denied&state=unknown`);
    const html = await callback.text();
    assert.equal(callbackResult(html).message.status, 'failed');
    const csp = directives(callback.headers.get('content-security-policy') ?? undefined);
    assert.deepEqual(csp.get('default-src'), ["'none'"], String(callback.headers.get('content-security-policy')));
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const { createHash } = await import('node:crypto');
    assert.deepEqual(csp.get('style-src'), [`'sha256-${createHash('sha256').update(style).digest('base64')}'`]);
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /\bsrc=|type="application\/json"/, `inline script: ${tag}`);
    assert.equal(callback.headers.get('cross-origin-opener-policy'), null);
  });

  it("the sandbox's consent page is a plain form under its own script-free policy", async () => {
    const token = await server.session('p');
    const started = await fetch(`${server.url}/api/connections`, { method: 'POST', headers: { ...auth(token), 'Content-Type': 'application/json' }, body: JSON.stringify({ platform: 'tiktok' }) });
    const toPlatform = await new Browser().start((await started.json()) as { authorizeUrl: string; fields: Record<string, string> });
    const page = await fetch(toPlatform.headers.get('location')!, { redirect: 'manual' });
    assert.equal(page.status, 200);
    const csp = directives(page.headers.get('content-security-policy') ?? undefined);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.equal(csp.get('script-src'), undefined, 'no script allowed at all');
    const html = await page.text();
    assert.doesNotMatch(html, /<script/i);
    assert.match(html, /<form method="post"/);
  });
});
