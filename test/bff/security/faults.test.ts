/**
 * Faults while the BFF serves: PostgreSQL going away and coming back (through a TCP proxy
 * that cuts and refuses connections; the machine's server is never touched), and platforms
 * that fail or never answer. (SIGKILL in the middle of a refresh pass is proven in
 * test/bff/refresh/instances.test.ts.)
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { auth, HOST_KEY } from '../../helpers/context.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { Browser, callbackResult, connectAccount, HOST_ORIGIN, startTestServer, type TestServer } from '../../helpers/server.ts';
import { consent } from '../../helpers/sandbox.ts';
import { PLATFORM_TIMEOUT_MS, REFRESH_TIMEOUT_MS } from '../../../bff/platforms/http.ts';

const root = path.resolve(import.meta.dirname, '../../..');

/** A TCP proxy in front of PostgreSQL that can drop every connection and refuse new ones. */
class DatabaseProxy {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  #down = false;
  port = 0;

  constructor(target: { host: string; port: number }) {
    this.#server = net.createServer((client) => {
      if (this.#down) return void client.destroy();
      const upstream = net.connect(target.port, target.host);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as net.AddressInfo).port;
  }

  /** PostgreSQL "stops": open connections are cut, new ones are dropped as they arrive. */
  stop(): void {
    this.#down = true;
    for (const s of this.#sockets) s.destroy();
  }

  start(): void {
    this.#down = false;
  }

  async close(): Promise<void> {
    this.stop();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

describe('PostgreSQL stopped and restarted while the BFF serves', { skip: process.env.DATABASE_URL ? false : 'needs PostgreSQL (DATABASE_URL): PGlite runs inside the process and cannot be cut off' }, () => {
  let database: TestDatabase;
  let proxy: DatabaseProxy;
  let bff: ChildProcess;
  let exited: Promise<number | null>;
  let output = '';
  let url: string;

  before(async () => {
    database = await createTestDatabase();
    const target = new URL(process.env.DATABASE_URL!);
    proxy = new DatabaseProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.listen();
    const viaProxy = new URL(process.env.DATABASE_URL!);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    viaProxy.searchParams.set('options', `-c search_path=${database.postgres!.schema}`);
    // The real entry point, in a process of its own: "stays up" means this process.
    bff = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bff/main.ts')], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        LOG_LEVEL: 'warn',
        DATABASE_URL: viaProxy.href,
        HOST_API_KEY: HOST_KEY,
        TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        ALLOWED_ORIGINS: HOST_ORIGIN,
        RATE_LIMIT_PER_MINUTE: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    bff.stdout!.on('data', (d) => (output += d));
    bff.stderr!.on('data', (d) => (output += d));
    exited = new Promise((resolve) => bff.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 45_000;
    let found: string | undefined;
    while (!found && Date.now() < deadline && bff.exitCode === null) {
      found = /Open (http:\/\/localhost:\d+)\//.exec(output)?.[1];
      if (!found) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(found, `the BFF did not start: ${output}`);
    url = found.replace('localhost', '127.0.0.1');
  });

  after(async () => {
    if (bff && bff.exitCode === null) {
      bff.kill('SIGTERM');
      await exited;
    }
    await proxy?.close();
    await database?.close();
  });

  const host = { Authorization: `Bearer ${HOST_KEY}`, 'Content-Type': 'application/json' };

  it('answers 503 database_unavailable with a clear message while it is down, stays up, and recovers by itself', { timeout: 90_000 }, async () => {
    assert.equal((await fetch(`${url}/v1/workspaces/outage`, { method: 'PUT', headers: host, body: JSON.stringify({ plan: 'free' }) })).status, 201);
    const session = (await (await fetch(`${url}/v1/sessions`, { method: 'POST', headers: host, body: JSON.stringify({ workspaceId: 'outage', userId: 'u', role: 'member' }) })).json()) as { token: string };
    assert.equal((await fetch(`${url}/api/accounts`, { headers: auth(session.token) })).status, 200);

    // Requests in flight when the database goes away get an answer: 200 or a clear 503, never a 500.
    const inFlight = Array.from({ length: 30 }, () =>
      fetch(`${url}/api/platforms`, { headers: auth(session.token) }).catch((err: Error) => {
        throw new Error(`no answer (${err.message}, ${String(err.cause)}); the BFF said: ${output.slice(-2000)}`);
      }),
    );
    proxy.stop();
    for (const res of await Promise.all(inFlight)) {
      assert.ok(res.status === 200 || res.status === 503, `in flight: ${res.status} ${await res.text()}`);
    }

    const started = Date.now();
    for (const [method, p, body] of [
      ['GET', '/api/accounts', undefined],
      ['POST', '/api/connections', { platform: 'facebook' }],
      ['PUT', '/v1/workspaces/outage', { plan: 'starter' }],
      ['GET', '/v1/workspaces/outage/accounts', undefined],
    ] as const) {
      const headers = p.startsWith('/v1') ? host : { ...auth(session.token), 'Content-Type': 'application/json' };
      const res = await fetch(`${url}${p}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
      assert.equal(res.status, 503, `${method} ${p}`);
      assert.equal(res.headers.get('retry-after'), '5');
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(error.code, 'database_unavailable');
      assert.match(error.message, /database is not reachable/i);
    }
    assert.ok(Date.now() - started < 30_000, 'each answer came in bounded time');
    assert.equal((await fetch(`${url}/readyz`)).status, 503);
    assert.equal((await fetch(`${url}/healthz`)).status, 200, 'the process is up');
    // The scheduler's hourly pass and the pool's dropped clients must not kill it either.
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(bff.exitCode, null, `the BFF exited: ${output}`);

    proxy.start();
    const deadline = Date.now() + 20_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await fetch(`${url}/api/accounts`, { headers: auth(session.token) })).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(status, 200, 'it recovered by itself, without a restart');
    assert.equal((await fetch(`${url}/readyz`)).status, 200);
    const workspace = (await (await fetch(`${url}/v1/workspaces/outage`, { headers: host })).json()) as { workspace: { plan: string } };
    assert.equal(workspace.workspace.plan, 'free', 'what was written before the outage is there; nothing half-written during it');
    assert.equal(bff.exitCode, null);
    assert.ok(!/unhandled|uncaught/i.test(output), `no crash logged: ${output.slice(0, 500)}`);
  });
});

describe('platforms that fail or never answer', () => {
  let server: TestServer;
  let token: string;
  before(async () => {
    server = await startTestServer();
    await server.putWorkspace('faulty', { plan: 'enterprise' });
    token = await server.session('faulty');
  });
  after(() => server.close());

  const fault = (platform: string, kind: 'error' | 'timeout', count = 1) =>
    fetch(`${server.sandboxUrl}/control/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ platform, kind, count }) });
  const bound = PLATFORM_TIMEOUT_MS + 5_000;

  it('answers in bounded time with a clear error when a token endpoint fails or hangs, and works again after', { timeout: 60_000 }, async () => {
    const { result } = await connectAccount(server, token, { platform: 'tiktok', user: 'tt-open-0001' });
    const accountId = result.accountIds![0]!;
    server.clock.advance(25 * 3600); // the access token has expired: credentials must renew it
    const credentials = async () => {
      const started = Date.now();
      const res = await fetch(`${server.url}/v1/accounts/${accountId}/credentials`, { headers: { Authorization: `Bearer ${HOST_KEY}` } });
      return { res, body: (await res.json()) as { error?: { code: string; message: string } }, ms: Date.now() - started };
    };

    await fault('tiktok', 'error');
    const failed = await credentials();
    assert.equal(failed.res.status, 503);
    assert.ok(failed.body.error!.message.length > 10);

    // A hanging token endpoint and a hanging code exchange, at the same time.
    const attempt = await fetch(`${server.url}/api/connections`, { method: 'POST', headers: { ...auth(token), 'Content-Type': 'application/json', Origin: HOST_ORIGIN }, body: JSON.stringify({ platform: 'x' }) });
    const browser = new Browser();
    const callbackUrl = await consent((await browser.start((await attempt.json()) as { authorizeUrl: string; fields: Record<string, string> })).headers.get('location')!, { user: '1700000000000000002' });
    await fault('tiktok', 'timeout');
    await fault('x', 'timeout');
    const started = Date.now();
    const [hung, callback] = await Promise.all([credentials(), browser.get(callbackUrl).then(async (r) => ({ status: r.status, html: await r.text(), ms: Date.now() - started }))]);
    assert.equal(hung.res.status, 503, JSON.stringify(hung.body));
    // A refresh has the longer deadline: its lost answer would leave a rotated token in doubt.
    assert.ok(hung.ms < REFRESH_TIMEOUT_MS + 5_000, `credentials answered in ${hung.ms} ms`);
    assert.ok(callback.ms < bound, `the callback answered in ${callback.ms} ms`);
    const { message } = callbackResult(callback.html);
    assert.equal(message.status, 'failed');
    assert.equal(message.error?.code, 'platform_unavailable');
    assert.equal((await server.services.accounts.list('faulty')).accounts.filter((a) => a.platform === 'x').length, 0, 'nothing stored');

    // Once the platform answers again, so does the BFF; the account was never turned amber by a transient fault.
    const healthy = await credentials();
    assert.equal(healthy.res.status, 200, JSON.stringify(healthy.body));
    const [account] = (await server.services.accounts.list('faulty')).accounts.filter((a) => a.platform === 'tiktok');
    assert.equal(account!.health, 'healthy');
  });
});
