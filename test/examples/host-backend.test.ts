import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startHostBackend, type HostBackend } from '../../examples/host-backend/server.ts';
import { createLogger } from '../../bff/logger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { Browser, callbackResult } from '../helpers/server.ts';
import { consent } from '../helpers/sandbox.ts';

/** A browser session on the host's own pages: follows its own cookie. */
async function signIn(base: string, user: string): Promise<string> {
  const res = await fetch(`${base}/login?as=${user}`, { redirect: 'manual' });
  assert.equal(res.status, 302);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  assert.match(cookie, /^host_user=/);
  return cookie;
}

describe('examples/host-backend: a host Express app with the BFF mounted at /connections', () => {
  let database: TestDatabase;
  let dir: string;
  let backend: HostBackend;
  before(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'cp-host-backend-'));
    await writeFile(path.join(dir, 'connections-panel.js'), 'export {};\n');
    backend = await startHostBackend({
      env: { PORT: '0', DATA_DIR: dir, RATE_LIMIT_PER_MINUTE: '0' },
      database,
      logger: createLogger({ level: 'silent' }),
      widgetDir: dir,
    });
  });
  after(async () => {
    await backend.close();
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('mints a widget session for the signed-in user only, and the mounted widget API takes it', async () => {
    const anonymous = await fetch(`${backend.url}/my/connections-session`);
    assert.equal(anonymous.status, 401);

    const cookie = await signIn(backend.url, 'bob');
    const minted = await fetch(`${backend.url}/my/connections-session`, { headers: { cookie } });
    assert.equal(minted.status, 200);
    assert.equal(minted.headers.get('cache-control'), 'no-store');
    const { token, expiresAt } = (await minted.json()) as { token: string; expiresAt: string };
    assert.ok(Date.parse(expiresAt) > Date.now());

    const platforms = await fetch(`${backend.url}/connections/api/platforms`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(platforms.status, 200);
    const body = (await platforms.json()) as { platforms: { platform: string; status: string }[]; accountCount: number; accountLimit: number | null };
    assert.equal(body.platforms.length, 7);
    assert.equal(body.platforms.find((p) => p.platform === 'tiktok')?.status, 'available', 'the host\'s workspace is on the professional plan');
    assert.equal(body.accountCount, 0);
    assert.equal((await fetch(`${backend.url}/connections/api/platforms`)).status, 401);

    // Who is signed in, for pages that render in the browser (examples/react, examples/vue).
    assert.equal((await fetch(`${backend.url}/my/user`)).status, 401);
    const me = (await (await fetch(`${backend.url}/my/user`, { headers: { cookie } })).json()) as { user: unknown };
    assert.deepEqual(me.user, { id: 'bob', name: 'Bob', role: 'member' });
  });

  it('runs a whole connection through the mounted router: authorize URL, sandbox and callback all under /connections', async () => {
    const alice = await signIn(backend.url, 'alice');
    const { token } = (await (await fetch(`${backend.url}/my/connections-session`, { headers: { cookie: alice } })).json()) as { token: string };
    const started = await fetch(`${backend.url}/connections/api/connections`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Origin: backend.url },
      body: JSON.stringify({ platform: 'instagram' }),
    });
    assert.equal(started.status, 201);
    const start = (await started.json()) as { authorizeUrl: string; fields: Record<string, string> };
    assert.ok(start.authorizeUrl.startsWith(`${backend.url}/connections/oauth/start/`), start.authorizeUrl);
    const browser = new Browser();
    const toPlatform = await browser.start(start, backend.url);
    assert.equal(toPlatform.status, 302);
    assert.ok(toPlatform.headers.get('location')!.startsWith(`${backend.url}/connections/sandbox/`));
    const callbackUrl = await consent(toPlatform.headers.get('location')!, { user: '17841400000000011' });
    assert.equal(callbackUrl.pathname, '/connections/oauth/callback/instagram');
    const { message, targetOrigins } = callbackResult(await (await browser.get(callbackUrl)).text());
    assert.equal(message.status, 'connected');
    assert.deepEqual(targetOrigins, [backend.url]);

    // Alice is an admin in the host app, so her session shows the token debug panel; Bob's does not.
    const bob = await signIn(backend.url, 'bob');
    const { token: bobToken } = (await (await fetch(`${backend.url}/my/connections-session`, { headers: { cookie: bob } })).json()) as { token: string };
    const id = message.accountIds![0]!;
    const asAlice = (await (await fetch(`${backend.url}/connections/api/accounts/${id}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { account: { debug?: unknown } };
    const asBob = (await (await fetch(`${backend.url}/connections/api/accounts/${id}`, { headers: { Authorization: `Bearer ${bobToken}` } })).json()) as { account: { debug?: unknown } };
    assert.ok(asAlice.account.debug);
    assert.equal(asBob.account.debug, undefined);
  });

  it('serves its own page with the widget from the built bundle, and leaves its other routes alone', async () => {
    const signedOut = await (await fetch(`${backend.url}/`)).text();
    assert.doesNotMatch(signedOut, /<connections-panel/);
    const html = await (await fetch(`${backend.url}/`, { headers: { cookie: await signIn(backend.url, 'alice') } })).text();
    assert.match(html, /<script type="module" src="\/assets\/connections-panel.js"><\/script>/);
    assert.match(html, new RegExp(`<connections-panel bff-url="${backend.url}/connections"`));
    assert.match(html, /fetch\('\/my\/connections-session'/);
    const bundle = await fetch(`${backend.url}/assets/connections-panel.js`);
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type')!, /javascript/);

    // The BFF answers under /connections only; the OpenAPI document names that base.
    const health = await fetch(`${backend.url}/connections/healthz`);
    assert.equal(health.status, 200);
    const doc = (await (await fetch(`${backend.url}/connections/openapi.json`)).json()) as { servers: { url: string }[] };
    assert.deepEqual(doc.servers, [{ url: `${backend.url}/connections` }]);
    assert.equal((await fetch(`${backend.url}/healthz`)).status, 404);
    assert.equal((await fetch(`${backend.url}/login?as=mallory`)).status, 400);
  });
});
