import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { createApp } from '../../bff/app.ts';
import { connectPostgres } from '../../bff/db/connect.ts';
import { createLogger } from '../../bff/logger.ts';
import { IncomingMessage, ServerResponse } from 'node:http';
import { closeServer, listen, listeningPort } from '../../bff/server.ts';
import { auth, createTestContext, HOST_KEY, type TestContext } from '../helpers/context.ts';
import { ERROR_CODES } from '../../contract/errors.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('health endpoints', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('GET /healthz says the process is up and GET /readyz that the database answers', async () => {
    assert.deepEqual((await request(ctx.app).get('/healthz').expect(200)).body, { status: 'ok' });
    assert.deepEqual((await request(ctx.app).get('/readyz').expect(200)).body, { status: 'ready', jobs: true, problems: [] });
  });

  it('GET /errors is the error reference as a page: a section per catalog code, under a strict policy', async () => {
    const res = await request(ctx.app).get('/errors').expect(200);
    assert.match(res.headers['content-type'] ?? '', /text\/html/);
    assert.match(res.headers['content-security-policy'] ?? '', /default-src 'none'/);
    assert.doesNotMatch(res.headers['content-security-policy'] ?? '', /unsafe-inline/);
    for (const code of ERROR_CODES) {
      assert.match(res.text, new RegExp(`<section id="${code}"><h3><code>${code}</code></h3><p>[^<]+</p><p><strong>What to do:</strong> [^<]+</p></section>`), code);
    }
  });

  it('answers 503 on /readyz and on API calls when the database cannot be reached, and stays up', async () => {
    const unreachable = connectPostgres({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
    const down = await createTestContext({ deps: { database: unreachable } });
    try {
      const ready = await request(down.app).get('/readyz');
      assert.equal(ready.status, 503);
      assert.equal(ready.body.error.code, 'database_unavailable');
      const res = await request(down.app).put('/v1/workspaces/w').set('Authorization', `Bearer ${HOST_KEY}`).send({ plan: 'free' });
      assert.equal(res.status, 503);
      assert.equal(res.body.error.code, 'database_unavailable');
      assert.equal(res.headers['retry-after'], '5');
      assert.equal((await request(down.app).get('/healthz')).status, 200);
    } finally {
      await unreachable.close();
      await down.close();
    }
  });
});

describe('logging', () => {
  it('never writes tokens, Authorization headers, cookies or OAuth codes to the log', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'debug' }, sink);
    const ctx = await createTestContext({ logger });
    try {
      await ctx.putWorkspace('logged', { plan: 'free' });
      const token = await ctx.session('logged');
      await request(ctx.app).get('/api/accounts').set(auth(token)).set('Cookie', 'cp_bind=COOKIE-SECRET').expect(200);
      await request(ctx.app).get('/oauth/callback/facebook?code=CODE-SECRET&state=STATE-SECRET');
      await request(ctx.app).get('/api/accounts').set(auth('INVALID-SECRET-TOKEN')).expect(401);
      const text = lines.join('');
      assert.ok(lines.length >= 4, 'requests were logged');
      for (const secret of [token, HOST_KEY, 'COOKIE-SECRET', 'CODE-SECRET', 'STATE-SECRET', 'INVALID-SECRET-TOKEN']) {
        assert.ok(!text.includes(secret), `log holds ${secret.slice(0, 12)}`);
      }
      assert.match(text, /\/oauth\/callback\/facebook\?code=\[redacted\]&state=\[redacted\]/);
    } finally {
      await ctx.close();
    }
  });
});

describe('the standalone server (bff/server.ts listen)', () => {
  it("makes each request and response with the Express app's own prototypes, so Express need not change them; a plain handler gets plain ones", async () => {
    const ctx = await createTestContext();
    const server = await listen(ctx.app, 0, '127.0.0.1');
    const plain = await listen((_req, res) => void res.end('plain'), 0, '127.0.0.1');
    try {
      const arrived: boolean[] = [];
      // Runs before the app: what the request is made as, before Express touches it.
      server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
        arrived.push(Object.getPrototypeOf(req) === ctx.app.request && Object.getPrototypeOf(res) === ctx.app.response);
      });
      const res = await fetch(`http://127.0.0.1:${listeningPort(server, 0)}/healthz`);
      assert.deepEqual(await res.json(), { status: 'ok' });
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', 'the whole app ran');
      await ctx.putWorkspace('served', { plan: 'free' });
      const token = await ctx.session('served');
      const list = await fetch(`http://127.0.0.1:${listeningPort(server, 0)}/api/accounts`, { headers: auth(token) });
      assert.equal(list.status, 200);
      assert.deepEqual(arrived, [true, true]);

      let plainPrototype: unknown;
      plain.prependListener('request', (req: IncomingMessage) => void (plainPrototype = Object.getPrototypeOf(req)));
      assert.equal(await (await fetch(`http://127.0.0.1:${listeningPort(plain, 0)}/`)).text(), 'plain');
      assert.equal(plainPrototype, IncomingMessage.prototype);
    } finally {
      await closeServer(server);
      await closeServer(plain);
      await ctx.close();
    }
  });
});

describe('createBff().router', () => {
  it("mounts inside a host's own Express app without taking over the host's routes", async () => {
    const ctx = await createTestContext();
    try {
      const host = express();
      host.get('/dashboard', (_req, res) => {
        res.send('host dashboard');
      });
      host.use('/connections', ctx.bff.router);
      host.use((_req, res) => {
        res.status(404).send('host 404');
      });

      assert.equal((await request(host).get('/dashboard')).text, 'host dashboard');
      assert.equal((await request(host).get('/elsewhere')).text, 'host 404');
      assert.deepEqual((await request(host).get('/connections/healthz')).body, { status: 'ok' });
      const created = await request(host).put('/connections/v1/workspaces/mounted').set('Authorization', `Bearer ${HOST_KEY}`).send({ plan: 'free' });
      assert.equal(created.status, 201);
      const session = await request(host).post('/connections/v1/sessions').set('Authorization', `Bearer ${HOST_KEY}`).send({ workspaceId: 'mounted', userId: 'u', role: 'member' });
      const platforms = await request(host).get('/connections/api/platforms').set(auth(session.body.token));
      assert.equal(platforms.status, 200);
      assert.equal(platforms.body.accountLimit, 3);
      const missing = await request(host).get('/connections/api/nope').set(auth(session.body.token));
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'not_found');
    } finally {
      await ctx.close();
    }
  });
});

describe('the demo session', () => {
  it('exists only when the app is built with it (the standalone BFF on the embedded database)', async () => {
    const ctx = await createTestContext();
    try {
      assert.equal((await request(ctx.app).post('/demo/session')).status, 404);
      const demo = createApp({ config: ctx.config, database: ctx.database, logger: ctx.logger }, { demo: true });
      const res = await request(demo).post('/demo/session');
      assert.equal(res.status, 201);
      assert.equal(res.body.workspaceId, 'demo');
      const accounts = await request(demo).get('/api/accounts').set(auth(res.body.token));
      assert.deepEqual(accounts.body, { accounts: [], cursor: null, counts: { total: 0, needsReconnect: 0, paused: 0 } });
    } finally {
      await ctx.close();
    }
  });

  it('switches the demo workspace\'s plan, so the page can show the upgrade prompts', async () => {
    const ctx = await createTestContext();
    try {
      assert.equal((await request(ctx.app).post('/demo/workspace').send({ plan: 'free' })).status, 404);
      const demo = createApp({ config: ctx.config, database: ctx.database, logger: ctx.logger }, { demo: true });
      const { token } = (await request(demo).post('/demo/session')).body as { token: string };
      const res = await request(demo).post('/demo/workspace').send({ plan: 'free', accountLimit: 1 });
      assert.equal(res.status, 200);
      assert.equal(res.body.workspace.plan, 'free');
      const platforms = await request(demo).get('/api/platforms').set(auth(token));
      assert.equal(platforms.body.accountLimit, 1);
      assert.equal(platforms.body.platforms.find((p: { platform: string }) => p.platform === 'tiktok').status, 'upgrade_required');
      const bad = await request(demo).post('/demo/workspace').send({ plan: 'platinum' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /plan/);
      // The "Try it" box's connect link: a page the new window opens.
      const link = await request(demo).post('/demo/connect-link').send({});
      assert.equal(link.status, 201);
      const opened = await request(demo).get(new URL(link.body.url).pathname + new URL(link.body.url).search);
      assert.equal(opened.status, 200);
      assert.match(opened.text, /Demo workspace/);
    } finally {
      await ctx.close();
    }
  });

  it('serves the built widget at /dist when given its folder', async () => {
    const ctx = await createTestContext();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cp-dist-'));
    try {
      await writeFile(path.join(dir, 'connections-panel.js'), 'export {};');
      const app = ctx.bff.app({ widgetDir: dir });
      const res = await request(app).get('/dist/connections-panel.js');
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /javascript/);
      assert.equal((await request(app).get('/dist/')).status, 404);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await ctx.close();
    }
  });
});

describe('CORS and rate limits', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext({ config: { rateLimitPerMinute: 3 } });
  });
  after(() => ctx.close());

  it('lets only allowed origins call the widget API from a browser', async () => {
    const allowed = await request(ctx.app).options('/api/accounts').set('Origin', 'https://host.example').set('Access-Control-Request-Method', 'GET').set('Access-Control-Request-Headers', 'authorization');
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers['access-control-allow-origin'], 'https://host.example');
    const denied = await request(ctx.app).options('/api/accounts').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    assert.equal(denied.headers['access-control-allow-origin'], undefined);
  });

  it('limits the host API and connection starts per client per minute (429 with a clear error)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await request(ctx.app).put('/v1/workspaces/rl').set('Authorization', `Bearer ${HOST_KEY}`).send({ plan: 'free' })).status);
    }
    assert.deepEqual(statuses, [201, 200, 200, 429]);
    const limited = await request(ctx.app).put('/v1/workspaces/rl').set('Authorization', `Bearer ${HOST_KEY}`).send({ plan: 'free' });
    assert.equal(limited.body.error.code, 'rate_limited');
    assert.equal(limited.headers['retry-after'], '60');
  });
});

describe('the standalone entry point', () => {
  function run(env: Record<string, string>) {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bff/main.ts')], {
      cwd: root,
      env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited, output: () => output };
  }

  it('starts on the embedded database, prints the URL to open, serves, and exits cleanly on SIGTERM', { timeout: 60_000 }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cp-main-'));
    const proc = run({ PORT: '0', DATA_DIR: dataDir });
    const deadline = Date.now() + 45_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline) {
      url = /Open (http:\/\/localhost:\d+)\//.exec(proc.output())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(url, `no URL printed: ${proc.output()}`);
    assert.match(proc.output(), /Host API key \(development/);
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/);
    // The demo page gets a session for the demo workspace, and the sandbox platforms answer.
    const demo = await fetch(`${url}/demo/session`, { method: 'POST' });
    assert.equal(demo.status, 201);
    const { token } = (await demo.json()) as { token: string };
    const platforms = await fetch(`${url}/api/platforms`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(platforms.status, 200);
    const sandbox = await fetch(`${url}/sandbox/control/accounts`);
    assert.equal(sandbox.status, 200);
    // PORT=0: the port picked is the one the redirect URIs and the sandbox's address are built on.
    assert.match(proc.output(), new RegExp(`Sandbox platforms: .*\\(${url}/sandbox\\)`));
    const started = await fetch(`${url}/api/connections`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{"platform":"facebook"}' });
    assert.ok(((await started.json()) as { authorizeUrl: string }).authorizeUrl.startsWith(`${url}/oauth/`));
    proc.child.kill('SIGTERM');
    assert.equal(await proc.exited, 0);
  });

  it('refuses to start on PostgreSQL without an encryption key, with a clear message', { timeout: 30_000 }, async () => {
    const proc = run({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', HOST_API_KEY: 'h'.repeat(32) });
    assert.equal(await proc.exited, 1);
    assert.match(proc.output(), /TOKEN_ENCRYPTION_KEYS is required when DATABASE_URL is set/);
  });
});
