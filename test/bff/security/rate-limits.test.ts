/**
 * Issue 12 item 5: rate limits locked out the wrong people. Reproduced against the real HTTP
 * server with the default limit (60 a minute), every request from the same client address:
 * - 60 unauthenticated requests with garbage credentials on /v1 used to spend the host key's
 *   budget, so the real host then got 429. Now failures count in a bucket of their own.
 * - 60 OAuth starts by one workspace used to block every other workspace's starts.
 * - POST /api/health-check had no limit at all (it costs platform calls per account).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { auth, HOST_KEY } from '../../helpers/context.ts';
import { HOST_ORIGIN, startTestServer, type TestServer } from '../../helpers/server.ts';

const LIMIT = 60;

describe('rate limits are keyed by caller', () => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  before(async () => {
    server = await startTestServer({ config: { rateLimitPerMinute: LIMIT } });
    // Set up through the host API: 7 of the host key's 60.
    for (const ws of ['victim', 'attacker', 'other']) {
      await server.putWorkspace(ws, { plan: 'enterprise' });
      tokens[ws] = await server.session(ws);
    }
    tokens['attacker2'] = await server.session('attacker');
  });
  after(() => server.close());

  const v1 = (key: string) => fetch(`${server.url}/v1/workspaces/victim`, { headers: { Authorization: `Bearer ${key}` } });
  const start = (token: string) =>
    fetch(`${server.url}/api/connections`, {
      method: 'POST',
      headers: { ...auth(token), 'Content-Type': 'application/json', Origin: HOST_ORIGIN },
      body: JSON.stringify({ platform: 'facebook' }),
    });
  const healthCheck = (token: string) => fetch(`${server.url}/api/health-check`, { method: 'POST', headers: { ...auth(token), Origin: HOST_ORIGIN } });

  it('garbage on /v1 never spends the host key\'s budget: the sender gets 429, the real host keeps working', async () => {
    const garbage: number[] = [];
    for (let i = 0; i < LIMIT; i++) {
      const res = await (i % 3 === 0 ? fetch(`${server.url}/v1/workspaces/victim`) : v1(i % 3 === 1 ? 'not-the-key' : 'eyJhbGciOiJub25lIn0.e30.x'));
      garbage.push(res.status);
    }
    assert.ok(garbage.every((s) => s === 401), `every bad request is a 401: ${[...new Set(garbage)]}`);
    const blocked = await v1('still-not-the-key');
    assert.equal(blocked.status, 429, 'the flood ends in 429 for its sender');
    assert.equal(((await blocked.json()) as { error: { code: string } }).error.code, 'rate_limited');
    assert.equal(blocked.headers.get('retry-after'), '60');

    // The real host, from the very same address: its own bucket, untouched by the flood.
    const real = await v1(HOST_KEY);
    assert.equal(real.status, 200, 'the real host is not locked out');
  });

  it('60 OAuth starts by one workspace do not block another workspace', async () => {
    for (let i = 0; i < LIMIT; i++) assert.equal((await start(tokens['attacker']!)).status, 201, `start ${i + 1}`);
    const blocked = await start(tokens['attacker']!);
    assert.equal(blocked.status, 429);
    assert.equal(((await blocked.json()) as { error: { code: string } }).error.code, 'rate_limited');
    const victim = await start(tokens['victim']!);
    assert.equal(victim.status, 201, 'another workspace still starts connections');
    // A second session of the limited workspace shares its workspace's bucket.
    const again = await start(tokens['attacker2']!);
    assert.equal(again.status, 429, 'a new session does not reset the workspace\'s limit');
  });

  it('limits POST /api/health-check per workspace', async () => {
    for (let i = 0; i < LIMIT; i++) assert.equal((await healthCheck(tokens['attacker']!)).status, 200, `check ${i + 1}`);
    const blocked = await healthCheck(tokens['attacker']!);
    assert.equal(blocked.status, 429);
    assert.equal(blocked.headers.get('retry-after'), '60');
    assert.equal((await healthCheck(tokens['victim']!)).status, 200, 'another workspace still checks');
    assert.equal((await fetch(`${server.url}/api/accounts`, { headers: auth(tokens['attacker']!) })).status, 200, 'reading is not limited');
  });

  it('forged sessions on /api count by client address, never against a workspace', async () => {
    for (let i = 0; i < LIMIT; i++) assert.equal((await start('eyJhbGciOiJIUzI1NiJ9.eyJ3IjoidmljdGltIn0.forged')).status, 401);
    assert.equal((await start('eyJhbGciOiJIUzI1NiJ9.eyJ3IjoidmljdGltIn0.forged')).status, 429);
    assert.equal((await start(tokens['other']!)).status, 201, 'a valid session from the same address is not locked out');
  });
  it('the host key has one bucket of its own, and hitting it does not stop the widget API', async () => {
    let status = 200;
    let calls = 0;
    while (status === 200 && calls < LIMIT + 5) {
      status = (await v1(HOST_KEY)).status;
      calls++;
    }
    assert.equal(status, 429, 'the host key is limited too');
    assert.ok(calls <= LIMIT, `within ${LIMIT} calls (took ${calls})`);
    assert.equal((await fetch(`${server.url}/api/accounts`, { headers: auth(tokens['other']!) })).status, 200);
  });
});
