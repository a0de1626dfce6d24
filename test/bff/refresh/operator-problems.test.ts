/**
 * Problems only the operator can fix (a retired API version, X's credits) and platform rate
 * limits never turn an account amber, and the operator's are listed on /readyz (issue 15).
 */
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { auth } from '../../helpers/context.ts';
import { connectAccount, startTestServer, type TestServer } from '../../helpers/server.ts';

const HOUR = 3_600;

describe('operator problems and rate limits in the background checks', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(() => server.close());

  const fault = (platform: string, kind: string, count: number) =>
    fetch(`${server.sandboxUrl}/control/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ platform, kind, count }) });

  async function remaining(platform: string): Promise<number> {
    const { faults } = (await (await fetch(`${server.sandboxUrl}/control/faults`)).json()) as { faults: Record<string, Array<{ remaining: number }>> | Array<{ platform: string; remaining: number }> };
    const list = Array.isArray(faults) ? faults.filter((f) => f.platform === platform) : (faults[platform] ?? []);
    return list.reduce((n, f) => n + f.remaining, 0);
  }

  async function connectPage(workspace: string) {
    await server.putWorkspace(workspace, { plan: 'free' });
    const token = await server.session(workspace);
    const { result } = await connectAccount(server, token, { platform: 'facebook', user: '100000000000002' });
    assert.equal(result.status, 'connected');
    return { token, accountId: result.accountIds![0]! };
  }

  async function account(token: string, id: string) {
    const res = await fetch(`${server.url}/api/accounts/${id}`, { headers: auth(token) });
    return ((await res.json()) as { account: { health: string; reason: string | null } }).account;
  }

  it('a retired Graph version keeps the account green, and /readyz names META_GRAPH_VERSION', async () => {
    const { token, accountId } = await connectPage('version');
    assert.equal((await fault('facebook', 'version', 100)).status, 200);
    for (let round = 0; round < 4; round++) {
      server.clock.advance(25 * HOUR);
      await server.services.scheduler.runOnce();
    }
    assert.ok((await remaining('facebook')) < 100, 'the checks met the fault');
    const row = await server.services.accountRepository.findById(accountId);
    assert.equal(row?.consecutive_refresh_failures, 0);
    assert.equal(row?.last_error_code, null);
    assert.deepEqual(await account(token, accountId), { ...(await account(token, accountId)), health: 'healthy', reason: null });
    // What /readyz lists (the test context's app holds a second Services; these ran the checks).
    const problem = server.services.problems.list().find((p) => p.area === 'facebook');
    assert.equal(problem?.code, 'api_version_retired');
    assert.match(problem?.message ?? '', /META_GRAPH_VERSION/);
  });

  it('rate limits never count towards amber', async () => {
    const { token, accountId } = await connectPage('limits');
    assert.equal((await fault('facebook', 'rate_limit', 100)).status, 200);
    for (let round = 0; round < 4; round++) {
      server.clock.advance(25 * HOUR);
      await server.services.scheduler.runOnce();
    }
    assert.ok((await remaining('facebook')) < 100, 'the checks met the fault');
    const row = await server.services.accountRepository.findById(accountId);
    assert.equal(row?.consecutive_refresh_failures, 0);
    assert.equal((await account(token, accountId)).health, 'healthy');
  });

  it('X credits depleted at connect: the attempt fails with the operator’s billing code, said to the operator', async () => {
    await server.putWorkspace('billing', { plan: 'professional' });
    const token = await server.session('billing');
    assert.equal((await fault('x', 'billing', 1)).status, 200);
    const { result } = await connectAccount(server, token, { platform: 'x', user: '1700000000000000001' });
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.code, 'billing_credits_depleted');
    assert.doesNotMatch(result.error?.message ?? '', /reconnect/i);
  });
});
