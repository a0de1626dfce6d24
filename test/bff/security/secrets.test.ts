/**
 * After a whole working day of the product (every platform connected and reconnected, a
 * choice of Pages, refreshes on schedule and on demand, rotated refresh tokens, failures,
 * revocations, health checks, denials, disconnects), no token or code the platforms issued
 * appears in any log line, in any response of the BFF, or in plain text in the database.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../../bff/logger.ts';
import { auth, HOST_KEY } from '../../helpers/context.ts';
import { Browser, connectAccount, startTestServer, type TestServer } from '../../helpers/server.ts';
import { databaseText } from '../../helpers/snapshot.ts';

const DAY = 86_400;

describe('secrets stay secret', () => {
  let server: TestServer;
  const logLines: string[] = [];
  /** Every response the BFF sent (status line, headers, body), except the sandbox's own. */
  const responses: { path: string; text: string }[] = [];
  /** The one endpoint that hands an access token out, to the host's server, by design. */
  const credentialResponses: string[] = [];
  const sessionTokens: string[] = [];

  before(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    server = await startTestServer({
      deps: { logger: createLogger({ level: 'trace' }, sink) },
      onRequest: (req, res) => {
        const path = req.url ?? '';
        if (path.startsWith('/sandbox/')) return;
        const chunks: Buffer[] = [];
        const write = res.write.bind(res) as (...args: unknown[]) => boolean;
        const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
        const keep = (chunk: unknown) => {
          if (typeof chunk === 'string') chunks.push(Buffer.from(chunk));
          else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
        };
        res.write = ((chunk: unknown, ...rest: unknown[]) => {
          keep(chunk);
          return write(chunk, ...rest);
        }) as typeof res.write;
        res.end = ((chunk?: unknown, ...rest: unknown[]) => {
          if (typeof chunk !== 'function') keep(chunk);
          const text = `${res.statusCode} ${JSON.stringify(res.getHeaders())}\n${Buffer.concat(chunks).toString('utf8')}`;
          if (/^\/v1\/accounts\/[^/]+\/credentials/.test(path)) credentialResponses.push(text);
          else responses.push({ path, text });
          return end(chunk, ...rest);
        }) as typeof res.end;
      },
    });
  });
  after(() => server.close());

  const host = { Authorization: `Bearer ${HOST_KEY}` };
  const post = (token: string, path: string, body: unknown = {}) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { ...auth(token), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const control = (path: string, body: unknown) =>
    fetch(`${server.sandboxUrl}/control/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('runs the whole product, then finds no issued token or code in logs, responses or the database', { timeout: 120_000 }, async () => {
    await server.putWorkspace('day', { plan: 'enterprise' });
    const admin = await server.session('day', 'admin');
    const member = await server.session('day', 'member');
    sessionTokens.push(admin, member);

    // Connect every platform (popup and redirect), reconnect each, and read everything back.
    const users = { facebook: '100000000000002', instagram: '17841400000000011', tiktok: 'tt-open-0001', x: '1700000000000000001', linkedin: 'Pw7tLm2xYc' };
    const ids: Record<string, string> = {};
    for (const [platform, user] of Object.entries(users)) {
      const { result } = await connectAccount(server, admin, { platform, user, mode: platform === 'x' ? 'redirect' : 'popup', returnTo: platform === 'x' ? 'https://host.example/c' : undefined });
      const id = result.accountIds?.[0] ?? (await server.services.accounts.list('day')).accounts.find((a) => a.platform === platform)!.id;
      ids[platform] = id;
      const again = await connectAccount(server, admin, { reconnect: id, user });
      assert.equal(again.result.status, 'connected', JSON.stringify(again.result));
      for (const token of [admin, member]) {
        assert.equal((await fetch(`${server.url}/api/accounts/${id}`, { headers: auth(token) })).status, 200);
      }
    }
    // A grant with several Pages, and the choice.
    const pages = await connectAccount(server, admin, { platform: 'facebook', user: '100000000000001' });
    assert.equal(pages.result.status, 'choose');
    assert.equal((await post(admin, `/api/connections/${pages.attemptId}/select`, { ids: pages.result.choices!.slice(0, 2).map((c) => c.id) })).status, 200);
    // A denial and a declined scope.
    await connectAccount(server, admin, { platform: 'tiktok', user: 'tt-open-0002', decision: 'deny' });
    await connectAccount(server, admin, { reconnect: ids.instagram!, user: users.instagram, scopes: ['instagram_business_basic'] });

    // On-demand renewals with rotating refresh tokens (X, TikTok), and the host's credentials reads.
    for (const platform of ['x', 'tiktok', 'linkedin', 'facebook']) {
      assert.equal((await fetch(`${server.url}/v1/accounts/${ids[platform]}/credentials`, { headers: host })).status, 200);
    }
    server.clock.advance(DAY + 60);
    for (const platform of ['x', 'tiktok']) {
      const res = await fetch(`${server.url}/v1/accounts/${ids[platform]}/credentials`, { headers: host });
      assert.equal(res.status, 200, await res.clone().text());
    }
    // Scheduled refreshes of Meta tokens, one failing with a 500 first, then health checks.
    server.clock.advance(55 * DAY);
    await control('faults', { platform: 'facebook', kind: 'error', count: 1 });
    await server.services.scheduler.runOnce();
    server.clock.advance(3600);
    await server.services.scheduler.runOnce();
    assert.equal((await post(admin, '/api/health-check')).status, 200);
    // A revocation on the platform side turns an account amber; its credentials are refused.
    await control('revoke', { platform: 'x', platformAccountId: users.x });
    server.clock.advance(3 * 3600);
    assert.equal((await post(member, '/api/health-check')).status, 200);
    assert.equal((await fetch(`${server.url}/v1/accounts/${ids.x}/credentials`, { headers: host })).status, 409);
    // Events, lists, and a disconnect (which revokes at the platform).
    assert.equal((await fetch(`${server.url}/api/events`, { headers: auth(member) })).status, 200);
    assert.equal((await fetch(`${server.url}/v1/workspaces/day/accounts`, { headers: host })).status, 200);
    assert.equal((await fetch(`${server.url}/api/accounts/${ids.linkedin}`, { method: 'DELETE', headers: auth(admin) })).status, 204);
    // Requests carrying secrets where they do not belong are logged, but not the secrets.
    const someToken = server.sandbox.issuedSecrets()[0]!;
    await fetch(`${server.url}/api/accounts?access_token=${someToken}`, { headers: auth(member) });
    await new Browser().get(`${server.url}/oauth/callback/facebook?code=${someToken}&state=${someToken}`);
    await fetch(`${server.url}/api/accounts`, { headers: { Authorization: `Bearer ${someToken}` } });

    const secrets = server.sandbox.issuedSecrets();
    const clientSecrets = Object.values(server.sandbox.clients).map((c) => c.clientSecret);
    assert.ok(secrets.length > 40, `the sandbox issued many tokens and codes (${secrets.length})`);
    assert.ok(logLines.length > 100, `the day was logged (${logLines.length} lines)`);
    assert.ok(responses.length > 40, `responses were recorded (${responses.length})`);
    // The scan can see a token when there is one: the credentials endpoint hands them out by design.
    assert.ok(credentialResponses.some((text) => secrets.some((s) => text.includes(s))), 'the scan finds a token where one is');

    const find = (text: string, list: string[]) => list.find((s) => text.includes(s));
    for (const line of logLines) {
      const leaked = find(line, [...secrets, ...clientSecrets, ...sessionTokens, HOST_KEY]);
      assert.equal(leaked, undefined, `a log line holds a secret (${leaked?.slice(0, 12)}…): ${line.slice(0, 300)}`);
    }
    for (const { path, text } of responses) {
      const leaked = find(text, [...secrets, ...clientSecrets, HOST_KEY]);
      assert.equal(leaked, undefined, `the response to ${path.slice(0, 80)} holds a secret (${leaked?.slice(0, 12)}…)`);
    }
    const stored = await databaseText(server.database.db);
    assert.ok(stored.includes('social_accounts'), 'the database was read');
    for (const line of stored.split('\n')) {
      const leaked = find(line, [...secrets, ...clientSecrets]);
      assert.equal(leaked, undefined, `the database holds a secret in plain text (${leaked?.slice(0, 12)}…): ${line.slice(0, 200)}`);
    }
  });
});
