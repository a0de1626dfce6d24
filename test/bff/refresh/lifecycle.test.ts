import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { auth } from '../../helpers/context.ts';
import { decryptCredentials } from '../../../bff/accounts/credentials.ts';
import { connectAccount, startTestServer, type TestServer } from '../../helpers/server.ts';

const DAY = 86_400;
const HOUR = 3_600;

interface PublicEvent {
  type: string;
  message: string;
  accountId: string;
}

describe('token lifecycle, driven by the sandbox clock', () => {
  // A server each: the scheduler looks at every workspace, and each test moves the clock.
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(() => server.close());

  const tokenRequests = async (platform: string) =>
    ((await (await fetch(`${server.sandboxUrl}/control/stats`)).json()) as { tokenRequests: Record<string, number> }).tokenRequests[platform]!;
  const control = (path: string, body: unknown) =>
    fetch(`${server.sandboxUrl}/control/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  async function connectPage(workspace: string) {
    await server.putWorkspace(workspace, { plan: 'free' });
    const token = await server.session(workspace);
    const { result } = await connectAccount(server, token, { platform: 'facebook', user: '100000000000002' });
    assert.equal(result.status, 'connected');
    const events = await fetch(`${server.url}/api/events`, { headers: auth(token) });
    const { cursor } = (await events.json()) as { cursor: string };
    return { token, accountId: result.accountIds![0]!, cursor };
  }

  async function eventsSince(token: string, cursor: string): Promise<PublicEvent[]> {
    const res = await fetch(`${server.url}/api/events?after=${cursor}`, { headers: auth(token) });
    return ((await res.json()) as { events: PublicEvent[] }).events;
  }

  async function account(token: string, id: string) {
    const res = await fetch(`${server.url}/api/accounts/${id}`, { headers: auth(token) });
    return ((await res.json()) as { account: { health: string; reason: string | null; lastRefreshedAt: string | null; tokenExpiresAt: string } }).account;
  }

  it('refreshes a Meta token once it expires within 7 days, and not before', async () => {
    const { token, accountId, cursor } = await connectPage('window');
    const expiresAt = new Date((await account(token, accountId)).tokenExpiresAt).getTime();
    const before = await tokenRequests('facebook');

    // Eight days before expiry: health checks happen, but no refresh.
    server.clock.advance((expiresAt - server.clock.now().getTime()) / 1000 - 8 * DAY);
    await server.services.scheduler.runOnce();
    assert.equal(await tokenRequests('facebook'), before, 'no token request outside the window');
    assert.equal((await account(token, accountId)).lastRefreshedAt, null);

    // Inside the window: one refresh, one token request, one toast.
    server.clock.advance(DAY + HOUR);
    await server.services.scheduler.runOnce();
    assert.equal(await tokenRequests('facebook'), before + 1);
    const refreshed = await account(token, accountId);
    assert.ok(refreshed.lastRefreshedAt);
    assert.ok(new Date(refreshed.tokenExpiresAt).getTime() > server.clock.now().getTime() + 50 * DAY * 1000, 'a fresh 60-day token');
    const events = await eventsSince(token, cursor);
    assert.deepEqual(events.map((e) => [e.type, e.message]), [['token_refreshed', 'Access token refreshed for Osei Bike Repairs']]);

    // Nothing is due again right away.
    await server.services.scheduler.runOnce();
    assert.equal(await tokenRequests('facebook'), before + 1);
  });

  it('stays green through two transient failures and turns amber on the third, with one toast', async () => {
    const { token, accountId, cursor } = await connectPage('transient');
    const expiresAt = new Date((await account(token, accountId)).tokenExpiresAt).getTime();
    server.clock.advance((expiresAt - server.clock.now().getTime()) / 1000 - 6 * DAY);
    assert.equal((await control('faults', { platform: 'facebook', kind: 'error', count: 3 })).status, 200);

    for (let failure = 1; failure <= 3; failure++) {
      const before = await tokenRequests('facebook');
      await server.services.scheduler.runOnce();
      assert.equal(await tokenRequests('facebook'), before + 1, `attempt ${failure} asked the platform once`);
      const state = await account(token, accountId);
      if (failure < 3) assert.equal(state.health, 'healthy', `still green after ${failure}`);
      else assert.deepEqual([state.health, state.reason], ['needs_reconnect', 'refresh_failed']);
      server.clock.advance(HOUR + 60); // past the (capped) retry delay
    }
    const events = await eventsSince(token, cursor);
    assert.deepEqual(events.map((e) => [e.type, e.message]), [['reconnect_required', 'Please reconnect Osei Bike Repairs']]);

    // The platform answers again: the next refresh succeeds and the account recovers by itself.
    await server.services.scheduler.runOnce();
    assert.equal((await account(token, accountId)).health, 'healthy');
    assert.deepEqual((await eventsSince(token, cursor)).map((e) => e.type), ['reconnect_required', 'token_refreshed', 'account_recovered']);
  });

  it('turns an account amber when a permission is removed on the platform later, naming it', async () => {
    const { token, accountId, cursor } = await connectPage('removed-scope');
    const row = (await server.services.accountRepository.findById(accountId))!;
    const userToken = decryptCredentials(server.services.cipher, row).refreshToken!;
    const removed = await fetch(`${server.sandboxUrl}/facebook/graph/v23.0/me/permissions/read_insights`, { method: 'DELETE', headers: { Authorization: `Bearer ${userToken}` } });
    assert.equal(removed.status, 200, await removed.clone().text());

    // A health check within 5 minutes of the last verification costs no platform call.
    server.clock.advance(6 * 60);
    const res = (await (await fetch(`${server.url}/api/health-check`, { method: 'POST', headers: auth(token) })).json()) as { accounts: { reason: string; reasonMessage: string }[]; events: PublicEvent[] };
    assert.equal(res.accounts[0]!.reason, 'missing_permissions');
    assert.match(res.accounts[0]!.reasonMessage, /read_insights/);
    assert.deepEqual(res.events.map((e) => e.type), ['reconnect_required']);
    assert.deepEqual((await eventsSince(token, cursor)).map((e) => e.type), ['reconnect_required']);
  });

  it('turns a revoked account amber at once on a health check, then green again after a reconnect', async () => {
    const { token, accountId, cursor } = await connectPage('revoked');
    assert.equal((await control('revoke', { platform: 'facebook', platformAccountId: '200000000000004' })).status, 200);

    server.clock.advance(6 * 60);
    const res = await fetch(`${server.url}/api/health-check`, { method: 'POST', headers: auth(token) });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { accounts: { id: string; health: string; reason: string }[]; events: PublicEvent[] };
    assert.deepEqual(body.accounts.map((a) => [a.id, a.health, a.reason]), [[accountId, 'needs_reconnect', 'token_revoked']]);
    assert.deepEqual(body.events.map((e) => [e.type, e.message, e.accountId]), [['reconnect_required', 'Please reconnect Osei Bike Repairs', accountId]]);

    // Asking again changes nothing and writes nothing.
    const again = (await (await fetch(`${server.url}/api/health-check`, { method: 'POST', headers: auth(token) })).json()) as { events: unknown[] };
    assert.deepEqual(again.events, []);

    const { result } = await connectAccount(server, token, { reconnect: accountId, user: '100000000000002' });
    assert.equal(result.status, 'connected', JSON.stringify(result.error));
    assert.equal((await account(token, accountId)).health, 'healthy');
    const events = await eventsSince(token, cursor);
    assert.deepEqual(events.map((e) => e.type), ['reconnect_required', 'account_reconnected']);
  });

  it('writes token_expired when a token runs out with no way to renew it', async () => {
    await server.putWorkspace('expiring', { plan: 'professional' });
    const token = await server.session('expiring');
    const row = await server.insertAccount('expiring', {
      platform: 'linkedin',
      kind: 'member',
      display_name: 'Dana Lee',
      granted_scopes: ['openid', 'profile', 'w_member_social'],
      token_expires_at: new Date(server.clock.now().getTime() + HOUR * 1000),
    });
    server.clock.advance(2 * HOUR);
    const res = (await (await fetch(`${server.url}/api/health-check`, { method: 'POST', headers: auth(token) })).json()) as { accounts: { reason: string }[]; events: PublicEvent[] };
    assert.equal(res.accounts[0]!.reason, 'token_expired');
    assert.ok(res.events.some((e) => e.type === 'token_expired' && e.message === 'Dana Lee expired. Please reconnect.' && e.accountId === row.id), JSON.stringify(res.events));
  });

  it('writes one event per change even when two instances notice it at once', async () => {
    await server.putWorkspace('race-events', { plan: 'free' });
    const row = await server.insertAccount('race-events', { display_name: 'Racy Page', can_publish: false });
    const { healthEvents } = server.services;
    const written = await Promise.all(
      [1, 2, 3].map(() => server.database.db.transaction().execute((trx) => healthEvents.record(row, trx))),
    );
    assert.equal(written.filter(Boolean).length, 1);
    const token = await server.session('race-events');
    const { events } = (await (await fetch(`${server.url}/api/events`, { headers: auth(token) })).json()) as { events: PublicEvent[] };
    assert.deepEqual(events.map((e) => e.type), ['reconnect_required']);
  });
});
