import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, createApiClient } from '../../widget/api/api-client.ts';
import { connectAccount, HOST_ORIGIN, startTestServer, type TestServer } from '../helpers/server.ts';

describe("the widget's API client, against the real BFF", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    await server.putWorkspace('client', { plan: 'free', accountLimit: 1 });
  });
  after(() => server.close());

  it('reads platforms and accounts, follows a connection, and disconnects', async () => {
    const token = await server.session('client', 'admin');
    const client = createApiClient({ baseUrl: `${server.url}/`, session: token });
    const platforms = await client.listPlatforms();
    assert.equal(platforms.accountLimit, 1);
    assert.equal(platforms.platforms.find((p) => p.platform === 'tiktok')?.status, 'upgrade_required');
    assert.deepEqual(await client.listAccounts(), []);
    const { cursor } = await client.events(undefined);

    const started = await client.startConnection({ platform: 'facebook', mode: 'redirect', returnTo: `${HOST_ORIGIN}/page` });
    assert.ok(started.authorizeUrl.startsWith(`${server.url}/oauth/start/`));
    assert.deepEqual(await client.connectionStatus(started.attemptId), { status: 'pending' });

    const { result } = await connectAccount(server, token, { platform: 'facebook', user: '100000000000002' });
    assert.deepEqual(await client.connectionStatus(result.attemptId), { status: 'connected', accountIds: result.accountIds });
    const [account] = await client.listAccounts();
    const detail = await client.getAccount(account!.id);
    assert.equal(detail.displayName, account!.displayName);
    assert.ok(detail.debug, 'admin sessions get the debug panel');

    const refused = await client.startConnection({ platform: 'facebook' }).catch((err: unknown) => err);
    assert.ok(refused instanceof ApiError);
    assert.equal(refused.status, 403);
    assert.equal(refused.code, 'account_limit_reached');

    const checked = await client.healthCheck();
    assert.deepEqual(checked.accounts.map((x) => x.id), [account!.id]);
    assert.ok(Array.isArray(checked.events));

    await client.disconnect(account!.id);
    assert.deepEqual(await client.listAccounts(), []);
    const { events } = await client.events(cursor);
    assert.deepEqual(events.map((e) => e.type), ['account_connected', 'account_disconnected']);
  });

  it('asks the host for a fresh session once when the BFF answers 401', async () => {
    const fresh = await server.session('client');
    const asked: number[] = [];
    const client = createApiClient({
      baseUrl: server.url,
      session: () => {
        asked.push(asked.length);
        return asked.length === 1 ? 'expired.session.token' : fresh;
      },
    });
    assert.deepEqual(await client.listAccounts(), []);
    assert.equal(asked.length, 2);
    assert.deepEqual(await client.listAccounts(), []);
    assert.equal(asked.length, 2, 'the fresh token is reused');
  });

  it('cancels a call through its AbortSignal', async () => {
    const client = createApiClient({ baseUrl: server.url, session: await server.session('client') });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(client.listAccounts(controller.signal), { name: 'AbortError' });
  });
});
