/**
 * Issue 12 items 2 and 3, against the real entry point (bff/main.ts in its own process, as
 * `npm start` runs it), exactly as the review attacked it:
 * - with credentials for some platforms only, /sandbox/control/* was public, its clock became
 *   the product's clock for every account (real ones included), and the sandbox's authorize
 *   endpoint redirected to any redirect_uri (an open redirect on the production origin);
 * - /demo/session (an unauthenticated admin session) and /demo/workspace were on whenever the
 *   database was PGlite, even with real platform credentials, and were not rate-limited.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { INSTAGRAM_ACCOUNTS, SANDBOX_CLIENTS } from '../../../bff/sandbox/seed.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const HOST_KEY = 'attack-test-host-key-0123456789abcdef';
const REAL = { FACEBOOK_CLIENT_ID: 'real-fb-app', FACEBOOK_CLIENT_SECRET: 'real-fb-secret' };
const YEAR = 366 * 24 * 3600;

interface Running {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts bff/main.ts on a free port and a fresh data folder; resolves once it prints its URL. */
async function startBff(env: Record<string, string>): Promise<Running> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cp-exposure-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bff/main.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', PORT: '0', DATA_DIR: dataDir, HOST_API_KEY: HOST_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  };
  const url = await Promise.race([
    (async () => {
      for (;;) {
        const match = /Open (http:\/\/localhost:\d+)\//.exec(output);
        if (match) return match[1]!;
        await new Promise((r) => setTimeout(r, 100));
      }
    })(),
    exited.then((code) => {
      throw new Error(`bff/main.ts exited with ${code}: ${output}`);
    }),
  ]);
  return { url, output: () => output, stop };
}

/** Exits with a configuration error instead of starting. */
async function refusesToStart(env: Record<string, string>): Promise<string> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cp-exposure-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bff/main.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', PORT: '0', DATA_DIR: dataDir, HOST_API_KEY: HOST_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  await rm(dataDir, { recursive: true, force: true });
  assert.equal(code, 1, `exits with 1: ${output}`);
  return output;
}

const hostApi = (bff: Running, method: string, p: string, body?: unknown) =>
  fetch(`${bff.url}${p}`, {
    method,
    headers: { Authorization: `Bearer ${HOST_KEY}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

/** The sandbox's Instagram authorize URL, sending the browser back to `redirectUri`. */
function instagramAuthorize(bff: Running, redirectUri: string): string {
  const query = new URLSearchParams({ client_id: SANDBOX_CLIENTS.instagram.clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'instagram_business_basic', state: 's' });
  return `${bff.url}/sandbox/instagram/www/oauth/authorize?${query}`;
}

/** Posts the consent form as a person pressing Allow. */
const allow = (url: string) =>
  fetch(url, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ user: INSTAGRAM_ACCOUNTS[0]!.id, scope: 'instagram_business_basic', decision: 'allow' }) });

/** The open redirect the review found: the sandbox sent the browser (and a code) anywhere. */
async function assertNoOpenRedirect(bff: Running): Promise<void> {
  for (const evil of ['https://evil.example/steal', `${bff.url.replace('localhost', '127.0.0.1')}/oauth/callback/instagram`, `${bff.url}/oauth/callback/instagram/../../evil`, `${bff.url}/anything`]) {
    const page = await fetch(instagramAuthorize(bff, evil), { redirect: 'manual' });
    assert.equal(page.status, 400, `${evil}: an error page, not the consent form`);
    assert.equal(page.headers.get('location'), null);
    const posted = await allow(instagramAuthorize(bff, evil));
    assert.equal(posted.status, 400, `${evil}: consenting does not redirect`);
    assert.match(await posted.text(), /redirect_uri is not registered/);
    assert.equal(posted.headers.get('location'), null, `${evil}: no Location`);
  }
  // The BFF's own callback still works.
  const own = `${bff.url}/oauth/callback/instagram`;
  assert.equal((await fetch(instagramAuthorize(bff, own), { redirect: 'manual' })).status, 200);
  const back = await allow(instagramAuthorize(bff, own));
  assert.equal(back.status, 302);
  assert.ok(back.headers.get('location')!.startsWith(`${own}?`));
}

describe('sandbox and demo exposure (bff/main.ts)', { timeout: 240_000 }, () => {
  it('with credentials for some platforms only, the others are not set up: no sandbox, no control API, no demo', { timeout: 90_000 }, async () => {
    const bff = await startBff(REAL);
    try {
      for (const p of ['/sandbox/control/clock', '/sandbox/control/accounts', '/sandbox/instagram/www/oauth/authorize']) {
        assert.equal((await fetch(`${bff.url}${p}`)).status, 404, p);
      }
      const advanced = await fetch(`${bff.url}/sandbox/control/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ advanceSeconds: YEAR }) });
      assert.equal(advanced.status, 404);
      assert.equal((await fetch(`${bff.url}/demo/session`, { method: 'POST' })).status, 404, 'no unauthenticated admin session');
      assert.equal((await fetch(`${bff.url}/demo/workspace`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"plan":"enterprise"}' })).status, 404);

      assert.equal((await hostApi(bff, 'PUT', '/v1/workspaces/w', { plan: 'enterprise' })).status, 201);
      const session = (await (await hostApi(bff, 'POST', '/v1/sessions', { workspaceId: 'w', userId: 'u', role: 'admin' })).json()) as { token: string };
      const start = await fetch(`${bff.url}/api/connections`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json', Origin: new URL(bff.url).origin },
        body: JSON.stringify({ platform: 'instagram' }),
      });
      assert.equal(start.status, 503);
      assert.equal(((await start.json()) as { error: { code: string } }).error.code, 'platform_not_configured');
    } finally {
      await bff.stop();
    }
  });

  it('with SANDBOX=1 beside real platforms: the control API needs the host key, its clock never moves the product, no open redirect, no demo', { timeout: 90_000 }, async () => {
    const bff = await startBff({ ...REAL, SANDBOX: '1' });
    try {
      for (const p of ['/sandbox/control/clock', '/sandbox/control/accounts', '/sandbox/control/stats', '/sandbox/control/faults']) {
        const anonymous = await fetch(`${bff.url}${p}`);
        assert.equal(anonymous.status, 401, `${p} without the host key`);
        assert.equal((await fetch(`${bff.url}${p}`, { headers: { Authorization: 'Bearer guessed-key-0123456789abcdef' } })).status, 401, `${p} with a wrong key`);
      }
      const anonymousAdvance = await fetch(`${bff.url}/sandbox/control/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ advanceSeconds: YEAR }) });
      assert.equal(anonymousAdvance.status, 401);
      const revoke = await fetch(`${bff.url}/sandbox/control/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ platform: 'instagram', platformAccountId: 'x' }) });
      assert.equal(revoke.status, 401);

      // With the host key, the sandbox's clock moves a year...
      const advanced = await hostApi(bff, 'POST', '/sandbox/control/clock', { advanceSeconds: YEAR });
      assert.equal(advanced.status, 200);
      assert.ok(((await advanced.json()) as { offsetMs: number }).offsetMs >= YEAR * 1000);
      // ...and the product's clock does not: what the BFF writes is stamped with real time.
      const put = await hostApi(bff, 'PUT', '/v1/workspaces/w', { plan: 'enterprise' });
      assert.equal(put.status, 201);
      const { workspace } = (await put.json()) as { workspace: { updatedAt: string } };
      assert.ok(Math.abs(Date.parse(workspace.updatedAt) - Date.now()) < 3_600_000, `stamped ${workspace.updatedAt}, not a year ahead`);

      await assertNoOpenRedirect(bff);
      assert.equal((await fetch(`${bff.url}/demo/session`, { method: 'POST' })).status, 404, 'no demo beside real platforms');
    } finally {
      await bff.stop();
    }
  });

  it('DEMO=1 with real credentials or on PostgreSQL refuses to start, naming DEMO', { timeout: 60_000 }, async () => {
    assert.match(await refusesToStart({ ...REAL, DEMO: '1' }), /DEMO=1 is only allowed/);
    assert.match(await refusesToStart({ ...REAL, SANDBOX: '1', DEMO: 'true' }), /DEMO=1 is only allowed/);
  });

  it('on the embedded all-sandbox default: the demo is on but rate-limited by client address, and the sandbox redirects only to the BFF', { timeout: 90_000 }, async () => {
    const bff = await startBff({ RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${bff.url}/demo/session`, { method: 'POST' })).status);
      assert.deepEqual(statuses, [201, 201, 201, 429]);
      const limited = await fetch(`${bff.url}/demo/workspace`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"plan":"free"}' });
      assert.equal(limited.status, 429);
      assert.equal(((await limited.json()) as { error: { code: string } }).error.code, 'rate_limited');
      // Sandbox mode proper (no real credentials): the control API stays open to development tools.
      assert.equal((await fetch(`${bff.url}/sandbox/control/clock`)).status, 200);
      await assertNoOpenRedirect(bff);
    } finally {
      await bff.stop();
    }
  });
});
