/**
 * Issue 12 item 6: URLs from platforms were trusted. A platform (here the sandbox behind a
 * hostile proxy that rewrites every picture and permalink it serves) answers with
 * `javascript:`, `data:`, `vbscript:` and plain-http URLs; the BFF must store and return none
 * of them (only https, and the sandbox's own origin). And `returnTo` must be http(s) itself: a
 * `blob:` URL carries an allowed origin but is refused.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { auth } from '../../helpers/context.ts';
import { connectAccount, HOST_ORIGIN, startTestServer, type TestServer } from '../../helpers/server.ts';

const HOSTILE: Record<string, string[]> = {
  avatars: ['javascript:alert(document.cookie)', 'http://tracker.example/pixel.png'],
  media: ['data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 'vbscript:msgbox(1)'],
  posts: ['javascript:alert(2)', 'https://www.facebook.com/permalink/ok'],
  profiles: ['JaVaScRiPt:alert(3)'],
};

/** Replaces every sandbox picture/permalink URL in a JSON body with hostile ones, in turn. */
function poison(value: unknown, counter: Record<string, number>): unknown {
  if (typeof value === 'string') {
    const kind = /\/sandbox\/(avatars|media|posts|profiles)\//.exec(value)?.[1];
    if (!kind) return value;
    const choices = HOSTILE[kind]!;
    const n = (counter[kind] = (counter[kind] ?? -1) + 1);
    return choices[n % choices.length];
  }
  if (Array.isArray(value)) return value.map((v) => poison(v, counter));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, counter)]));
  return value;
}

/** A platform that lies: forwards to the real sandbox, rewrites its JSON answers. */
async function hostilePlatform(target: () => string | undefined): Promise<{ url: string; close(): Promise<void> }> {
  const counter: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    forward(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(503);
      res.end();
    });
  });
  async function forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const base = target();
    if (!base) throw new Error('the BFF is not listening yet');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const upstream = new URL(`${base}/sandbox${req.url}`);
    const headers = { ...req.headers, host: upstream.host };
    delete headers['accept-encoding'];
    const answer = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const out = http.request(upstream, { method: req.method, headers }, resolve);
      out.on('error', reject);
      out.end(Buffer.concat(chunks));
    });
    const body: Buffer[] = [];
    for await (const chunk of answer) body.push(chunk as Buffer);
    let text = Buffer.concat(body);
    if (/json/.test(String(answer.headers['content-type']))) text = Buffer.from(JSON.stringify(poison(JSON.parse(text.toString('utf8')), counter)));
    const { 'content-length': _l, 'transfer-encoding': _t, ...rest } = answer.headers;
    res.writeHead(answer.statusCode ?? 500, { ...rest, 'content-length': text.length });
    res.end(text);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const isSafe = (url: string | null) => url === null || url.startsWith('https://');

describe('URLs from platforms', () => {
  let server: TestServer;
  let platform: { url: string; close(): Promise<void> };
  before(async () => {
    platform = await hostilePlatform(() => server?.url);
    server = await startTestServer({ config: { sandboxUrl: platform.url } });
    await server.putWorkspace('urls', { plan: 'enterprise' });
  });
  after(async () => {
    await server.close();
    await platform.close();
  });

  it('stores and returns no javascript:, data:, vbscript: or plain-http URL a platform sends; https ones are kept', async () => {
    const token = await server.session('urls', 'admin');
    // One Page: connected at once, with its picture and recent posts read from the platform.
    const { result } = await connectAccount(server, token, { platform: 'facebook', user: '100000000000002' });
    assert.equal(result.status, 'connected', JSON.stringify(result));
    const { accounts } = (await (await fetch(`${server.url}/api/accounts`, { headers: auth(token) })).json()) as { accounts: { id: string; avatarUrl: string | null }[] };
    assert.equal(accounts.length, 1);
    assert.equal(accounts[0]!.avatarUrl, null, 'the javascript: picture is dropped');
    const detail = (await (await fetch(`${server.url}/api/accounts/${accounts[0]!.id}`, { headers: auth(token) })).json()) as {
      account: { avatarUrl: string | null; recentPosts: { permalinkUrl: string | null; mediaUrl: string | null }[] };
    };
    const posts = detail.account.recentPosts;
    assert.ok(posts.length > 0, 'posts were read');
    for (const post of posts) {
      assert.ok(isSafe(post.permalinkUrl), `permalink ${post.permalinkUrl}`);
      assert.ok(isSafe(post.mediaUrl), `thumbnail ${post.mediaUrl}`);
    }
    assert.ok(posts.some((p) => p.permalinkUrl === 'https://www.facebook.com/permalink/ok'), 'an https permalink is kept');

    // Nothing unsafe reached the database either.
    const db = server.services.database.db;
    const rows = await db.selectFrom('social_accounts').select('avatar_url').execute();
    for (const row of rows) assert.ok(isSafe(row.avatar_url), `stored avatar ${row.avatar_url}`);
    const stored = await db.selectFrom('posts').select(['permalink_url', 'media_url']).execute();
    assert.ok(stored.length > 0);
    for (const row of stored) {
      assert.ok(isSafe(row.permalink_url), `stored permalink ${row.permalink_url}`);
      assert.ok(isSafe(row.media_url), `stored thumbnail ${row.media_url}`);
    }
  });

  it('offers no unsafe picture in a choice of Pages', async () => {
    const token = await server.session('urls', 'admin');
    const { result } = await connectAccount(server, token, { platform: 'facebook', user: '100000000000001' });
    assert.equal(result.status, 'choose');
    assert.ok(result.choices!.length > 1);
    for (const choice of result.choices!) assert.ok(isSafe(choice.avatarUrl), `choice picture ${choice.avatarUrl}`);
  });

  it('refuses a returnTo that is not http(s) itself, even on an allowed origin (blob:, and friends)', async () => {
    const token = await server.session('urls');
    for (const returnTo of [`blob:${HOST_ORIGIN}/0b6c9a3e-1111-2222-3333-444444444444`, `javascript:${HOST_ORIGIN}/`, `data:text/html,${HOST_ORIGIN}`, `https://user:pass@${new URL(HOST_ORIGIN).host}/back`]) {
      const res = await fetch(`${server.url}/api/connections`, {
        method: 'POST',
        headers: { ...auth(token), 'Content-Type': 'application/json', Origin: HOST_ORIGIN },
        body: JSON.stringify({ platform: 'facebook', mode: 'redirect', returnTo }),
      });
      assert.equal(res.status, 400, returnTo);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_return_to', returnTo);
    }
    const ok = await fetch(`${server.url}/api/connections`, {
      method: 'POST',
      headers: { ...auth(token), 'Content-Type': 'application/json', Origin: HOST_ORIGIN },
      body: JSON.stringify({ platform: 'facebook', mode: 'redirect', returnTo: `${HOST_ORIGIN}/connections` }),
    });
    assert.equal(ok.status, 201);
  });
});
