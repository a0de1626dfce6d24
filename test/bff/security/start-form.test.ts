/**
 * Consent phishing through the OAuth start (issue 12, item 1), against the real HTTP server.
 *
 * The attack: an attacker starts a connection in their own workspace and sends the start
 * link to a victim; the victim signs in at the platform, and their account (with its tokens)
 * lands in the attacker's workspace. The fix: the start is a form POST whose one-time secret
 * travels in the body, accepted only with an `Origin` on ALLOWED_ORIGINS (or the BFF's own).
 * A GET of the start URL (with or without the secret), or a form posted from another site, a
 * sandboxed frame (`Origin: null`) or a client that sends no Origin, binds nothing, spends
 * nothing, and shows a page that says why. The legitimate POST from the host page still works.
 *
 * Also (item 7): no start secret appears in the request log, and concurrent choices on one
 * attempt settle it exactly once.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../../bff/logger.ts';
import { auth } from '../../helpers/context.ts';
import { Browser, callbackResult, connectAccount, HOST_ORIGIN, startTestServer, type TestServer } from '../../helpers/server.ts';
import { consent } from '../../helpers/sandbox.ts';
import { databaseSnapshot } from '../../helpers/snapshot.ts';

type Started = { attemptId: string; authorizeUrl: string; fields: Record<string, string> };

describe('consent phishing: the start is a form POST from an allowed origin', () => {
  let server: TestServer;
  let attacker: string;
  let victimWorkspace: string;
  const logLines: string[] = [];

  before(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    server = await startTestServer({ deps: { logger: createLogger({ level: 'trace' }, sink) } });
    await server.putWorkspace('attacker', { plan: 'enterprise' });
    await server.putWorkspace('victim', { plan: 'enterprise' });
    attacker = await server.session('attacker');
    victimWorkspace = await server.session('victim');
  });
  after(() => server.close());

  async function start(token: string, body: Record<string, unknown> = { platform: 'x' }): Promise<Started> {
    const res = await fetch(`${server.url}/api/connections`, {
      method: 'POST',
      headers: { ...auth(token), 'Content-Type': 'application/json', Origin: HOST_ORIGIN },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 201, await res.clone().text());
    return (await res.json()) as Started;
  }

  async function attemptRow(id: string) {
    return server.database.db.selectFrom('oauth_attempts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  /** A refusal: the page that says why, no binding cookie, no way to the platform. */
  async function assertRefusedPage(res: Response, status: number, where: string) {
    assert.equal(res.status, status, where);
    assert.equal(res.headers.get('location'), null, `${where}: not sent to the platform`);
    assert.deepEqual(res.headers.getSetCookie(), [], `${where}: no binding cookie`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/, where);
    assert.equal(res.headers.get('cache-control'), 'no-store', where);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/, where);
    const html = await res.text();
    assert.match(html, /Nothing was connected/, where);
    assert.match(html, /start_not_allowed/, where);
    return html;
  }

  it('the start answer carries the secret in `fields`, never in the URL', async () => {
    const started = await start(attacker);
    assert.equal(started.authorizeUrl, `${server.url}/oauth/start/${started.attemptId}`);
    assert.equal(new URL(started.authorizeUrl).search, '');
    assert.ok(started.fields.t && started.fields.t.length >= 32, 'a strong one-time secret');
    assert.ok(!started.authorizeUrl.includes(started.fields.t));
  });

  it("the attacker's start link, opened by a victim (a GET, with the secret pasted in or not), binds nothing and the account never lands", async () => {
    const before = await databaseSnapshot(server.database.db);
    const started = await start(attacker);
    const victim = new Browser();
    for (const link of [started.authorizeUrl, `${started.authorizeUrl}?t=${encodeURIComponent(started.fields.t!)}`]) {
      const html = await assertRefusedPage(await victim.get(link), 405, `GET ${link.replace(started.fields.t!, '<secret>')}`);
      assert.match(html, /opened as a link/);
      assert.ok(!html.includes(started.fields.t!), 'the page does not echo the secret');
    }
    assert.equal(victim.cookies.size, 0);
    const row = await attemptRow(started.attemptId);
    assert.equal(row.started_at, null, 'the attempt was not started');
    assert.equal(row.browser_binding_hash, null, 'no browser was bound');
    assert.equal(row.status, 'pending');
    const after = await databaseSnapshot(server.database.db);
    assert.equal(after.social_accounts, before.social_accounts, 'no account stored');
  });

  it('a start form posted from a foreign site, from an opaque origin (null) or without an Origin is refused and spends nothing', async () => {
    const started = await start(attacker);
    for (const origin of ['https://evil.example', 'null', `${HOST_ORIGIN}.evil.example`, 'http://host.example', `${HOST_ORIGIN}:8443`, null]) {
      const victim = new Browser();
      await assertRefusedPage(await victim.post(started.authorizeUrl, started.fields, origin), 403, `Origin ${origin}`);
      assert.equal(victim.cookies.size, 0);
    }
    assert.equal((await attemptRow(started.attemptId)).started_at, null, 'the secret is still unspent');
    // The refusals spent nothing: the legitimate form from the widget's page still works once.
    const browser = new Browser();
    const toPlatform = await browser.start(started);
    assert.equal(toPlatform.status, 302);
    assert.ok(toPlatform.headers.get('location')!.startsWith(`${server.sandboxUrl}/x/`));
    assert.match(toPlatform.headers.getSetCookie()[0] ?? '', new RegExp(`^cp_oauth_${started.attemptId}=.*HttpOnly`, 'i'));
  });

  it('even a victim lured through the platform with a foreign-posted start gets no account into the attacker\'s workspace', async () => {
    const before = await databaseSnapshot(server.database.db);
    const started = await start(attacker, { platform: 'tiktok' });
    const victim = new Browser();
    const refused = await victim.post(started.authorizeUrl, started.fields, 'https://evil.example');
    assert.equal(refused.status, 403);
    // The attacker's only way on is to start it in their own browser; the victim's callback then has no binding.
    const own = new Browser();
    const consentUrl = (await own.start(started)).headers.get('location')!;
    const callbackUrl = await consent(consentUrl, { user: 'tt-open-0002' });
    const { message } = callbackResult(await (await victim.get(callbackUrl)).text());
    assert.equal(message.status, 'failed');
    assert.equal(message.error?.code, 'browser_mismatch');
    assert.equal((await databaseSnapshot(server.database.db)).social_accounts, before.social_accounts);
  });

  it("the legitimate start from an allowed origin (and from the BFF's own pages) connects", async () => {
    const { result } = await connectAccount(server, victimWorkspace, { platform: 'x', user: '1700000000000000001' });
    assert.equal(result.status, 'connected');
    const started = await start(victimWorkspace, { platform: 'linkedin' });
    const fromOwnPage = await new Browser().post(started.authorizeUrl, started.fields, server.url);
    assert.equal(fromOwnPage.status, 302, 'the BFF serves the example page: its own origin may start');
  });

  it('keeps the start secret out of the request log (the form body, and a pasted ?t= link alike)', async () => {
    const started = await start(victimWorkspace, { platform: 'facebook' });
    const secret = started.fields.t!;
    const from = logLines.length;
    await new Browser().get(`${started.authorizeUrl}?t=${encodeURIComponent(secret)}`);
    await new Browser().post(started.authorizeUrl, { ...started.fields, extra: 'x' }, HOST_ORIGIN); // a 400: the failure is logged too
    await new Browser().post(started.authorizeUrl, started.fields, 'https://evil.example');
    const ok = await new Browser().start(started);
    assert.equal(ok.status, 302);
    const lines = logLines.slice(from);
    assert.ok(lines.filter((l) => l.includes(`/oauth/start/${started.attemptId}`)).length >= 4, 'the starts were logged');
    for (const line of lines) assert.ok(!line.includes(secret), `a log line holds the start secret: ${line.slice(0, 300)}`);
  });
});

describe('choosing accounts settles the attempt exactly once', () => {
  let server: TestServer;
  let token: string;

  before(async () => {
    server = await startTestServer();
    await server.putWorkspace('race', { plan: 'enterprise' });
    token = await server.session('race');
  });
  after(() => server.close());

  it('of concurrent POST /select on one attempt, exactly one succeeds and only its accounts are stored', async () => {
    // A Facebook sign-in covering three Pages: the attempt waits for the choice.
    const { attemptId, result } = await connectAccount(server, token, { platform: 'facebook', user: '100000000000001' });
    assert.equal(result.status, 'choose');
    const ids = result.choices!.map((c) => c.id);
    assert.ok(ids.length >= 3);
    const picks = [[ids[0]!], [ids[1]!], [ids[2]!], [ids[0]!, ids[1]!], [ids[1]!, ids[2]!], ids];
    const answers = await Promise.all(
      picks.map(async (pick) => {
        const res = await fetch(`${server.url}/api/connections/${attemptId}/select`, {
          method: 'POST',
          headers: { ...auth(token), 'Content-Type': 'application/json' },
          body: JSON.stringify({ ids: pick }),
        });
        return { pick, status: res.status, body: (await res.json()) as { accountIds?: string[]; error?: { code: string } } };
      }),
    );
    const won = answers.filter((a) => a.status === 200);
    assert.equal(won.length, 1, JSON.stringify(answers.map((a) => [a.status, a.body.error?.code])));
    for (const lost of answers.filter((a) => a.status !== 200)) {
      assert.equal(lost.status, 409);
      assert.equal(lost.body.error?.code, 'attempt_not_choosing');
    }
    const stored = await server.database.db.selectFrom('social_accounts').select(['id', 'platform_account_id']).where('workspace_id', '=', 'race').where('disconnected_at', 'is', null).execute();
    assert.deepEqual(stored.map((r) => r.platform_account_id).sort(), [...won[0]!.pick].sort(), "only the winner's choice is stored");
    assert.deepEqual(stored.map((r) => r.id).sort(), [...won[0]!.body.accountIds!].sort());
    const attempt = await server.database.db.selectFrom('oauth_attempts').selectAll().where('id', '=', attemptId).executeTakeFirstOrThrow();
    assert.equal(attempt.status, 'connected');
    assert.deepEqual([...(attempt.account_ids ?? [])].sort(), [...won[0]!.body.accountIds!].sort());
  });
});
