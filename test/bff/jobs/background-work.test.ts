import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { connectAccount, startTestServer, type TestServer } from '../../helpers/server.ts';
import { auth } from '../../helpers/context.ts';
import type { PublicEvent } from '../../../contract/types.ts';

const DAY = 86_400;

/**
 * SPEC "Background work": a loop claims due work every JOBS_POLL_SECONDS, so a move of the
 * sandbox's clock shows its effect within a poll, with nobody asking for a health check.
 */
describe('background work: a poll every JOBS_POLL_SECONDS', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const stats = async (s: TestServer) => (await (await fetch(`${s.sandboxUrl}/control/stats`)).json()) as { tokenRequests: Record<string, number> };
  const moveClock = (s: TestServer, seconds: number) =>
    fetch(`${s.sandboxUrl}/control/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ advanceSeconds: seconds }) });

  async function connectPage(s: TestServer) {
    await s.putWorkspace('w', { plan: 'free' });
    const token = await s.session('w');
    const { result } = await connectAccount(s, token, { platform: 'facebook', user: '100000000000002' });
    assert.equal(result.status, 'connected');
    return { token, accountId: result.accountIds![0]! };
  }

  async function events(s: TestServer, token: string): Promise<PublicEvent[]> {
    return ((await (await fetch(`${s.url}/api/events`, { headers: auth(token) })).json()) as { events: PublicEvent[] }).events;
  }

  it('refreshes a Meta token after a sandbox clock move within a poll, without a health-check call', { timeout: 60_000 }, async () => {
    server = await startTestServer({ config: { jobsPollSeconds: 1 } });
    const { token } = await connectPage(server);
    await server.bff.start();
    // Let the first poll (at start) pass: the refresh below has to come from a later one.
    await server.bff.runDueWork();
    const before = (await stats(server)).tokenRequests['facebook']!;
    assert.equal((await moveClock(server, 55 * DAY)).status, 200);

    let refreshed: PublicEvent | undefined;
    for (const deadline = Date.now() + 30_000; !refreshed && Date.now() < deadline; ) {
      refreshed = (await events(server, token)).find((e) => e.type === 'token_refreshed');
      if (!refreshed) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(refreshed, 'the background loop refreshed the token after the clock move');
    assert.equal(refreshed.message, 'Access token refreshed for Osei Bike Repairs');
    assert.equal((await stats(server)).tokenRequests['facebook'], before + 1, 'one token request');
  });

  it('with JOBS=off, start() runs nothing in this process (and /readyz says so)', { timeout: 60_000 }, async () => {
    server = await startTestServer({ config: { jobsPollSeconds: 1, jobs: false } });
    await connectPage(server);
    assert.equal(server.bff.runsJobs, false);
    const ready = await fetch(`${server.url}/readyz`);
    assert.equal(((await ready.json()) as { jobs: boolean }).jobs, false);
    await server.bff.start();
    const before = (await stats(server)).tokenRequests['facebook']!;
    await moveClock(server, 55 * DAY);
    // Three polls' worth of time: a process that ran background work would have refreshed by now.
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal((await stats(server)).tokenRequests['facebook'], before, 'nothing refreshed by a web-only process');
    // The work was due: a process that runs background work does it.
    await server.bff.runDueWork();
    assert.equal((await stats(server)).tokenRequests['facebook'], before + 1);
  });

  it('stop() in the middle of a refresh waits for it: the account is refreshed, no lease is left, nothing more is claimed', { timeout: 60_000 }, async () => {
    server = await startTestServer({ config: { jobsPollSeconds: 1 } });
    const { accountId } = await connectPage(server);
    // The platform answers slowly, so stop() comes while the refresh is in flight.
    const adapter = server.services.platforms.get('facebook');
    const refresh = adapter.refresh.bind(adapter);
    let inFlight!: () => void;
    const started = new Promise<void>((resolve) => (inFlight = resolve));
    adapter.refresh = async (account) => {
      inFlight();
      await new Promise((r) => setTimeout(r, 500));
      return refresh(account);
    };
    await moveClock(server, 55 * DAY);
    await server.bff.start();
    await started;
    await server.bff.stop();
    const row = (await server.services.accountRepository.findById(accountId))!;
    assert.ok(row.last_refreshed_at, 'the refresh in flight was finished, not dropped');
    assert.equal(row.lease_owner, null, 'its lease was released');
    const before = (await stats(server)).tokenRequests['facebook']!;
    await moveClock(server, 55 * DAY);
    await new Promise((r) => setTimeout(r, 2_500));
    assert.equal((await stats(server)).tokenRequests['facebook'], before, 'a stopped BFF polls no more');
  });
});
