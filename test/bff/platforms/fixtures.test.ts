/**
 * The platforms' documented answers (test/fixtures/platforms/<platform>/*.json, each naming its
 * source page), fed to each adapter through a local HTTP server: independent of the sandbox,
 * which this project wrote itself. When the sandbox and a fixture disagree, the fixture wins.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { OffsetClock } from '../../../bff/clock.ts';
import type { StoredAccount } from '../../../bff/platforms/adapter.ts';
import { createFacebookAdapter } from '../../../bff/platforms/facebook.ts';
import { createInstagramAdapter } from '../../../bff/platforms/instagram.ts';
import { createLinkedInAdapter } from '../../../bff/platforms/linkedin.ts';
import { createTikTokAdapter } from '../../../bff/platforms/tiktok.ts';
import { createXAdapter } from '../../../bff/platforms/x.ts';
import { rejectsWith } from '../../helpers/platforms.ts';

interface Fixture {
  source: string;
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

function fixture(platform: string, name: string): Fixture {
  const loaded = JSON.parse(readFileSync(new URL(`../../fixtures/platforms/${platform}/${name}.json`, import.meta.url), 'utf8')) as Fixture;
  assert.match(loaded.source, /^https:\/\//, `${platform}/${name} names its source page`);
  return loaded;
}

type Route = (req: IncomingMessage, url: URL) => Fixture | undefined;
let routes: Route[] = [];
let server: Server;
let base = '';
const clock = new OffsetClock();

function send(res: ServerResponse, f: Fixture): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(f.headers ?? {})) {
    headers[name] = value.replace(/^RESET_IN_(\d+)$/, (_m, s: string) => String(Math.floor(Date.now() / 1000) + Number(s)));
  }
  res.writeHead(f.status, headers).end(JSON.stringify(f.body));
}

before(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      for (const route of routes) {
        const answer = route(req, url);
        if (answer) return send(res, answer);
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"no fixture"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  routes = [];
});

const on = (path: string | RegExp, answer: (url: URL) => Fixture): Route => (_req, url) =>
  (typeof path === 'string' ? url.pathname === path : path.test(url.pathname)) ? answer(url) : undefined;
const ok = (body: unknown): Fixture => ({ source: 'https://example.invalid/minimal', status: 200, body });
const common = { clientId: 'client', clientSecret: 'secret', clock, allowInsecure: true, timeoutSeconds: 2 };
const stored = (over: Partial<StoredAccount> = {}): StoredAccount => ({
  platformAccountId: 'acct',
  kind: 'profile',
  connectMethod: 'oauth2',
  grantedScopes: [],
  tokens: { accessToken: 'at', refreshToken: 'rt', expiresAt: new Date(clock.now().getTime() + 3_600_000), refreshTokenExpiresAt: null },
  ...over,
});

describe('LinkedIn, from its documented answers', () => {
  const endpoints = () => ({
    authorize: `${base}/oauth/v2/authorization`,
    token: `${base}/oauth/v2/accessToken`,
    introspect: `${base}/oauth/v2/introspectToken`,
    revoke: `${base}/oauth/v2/revoke`,
    api: base,
    userinfo: `${base}/v2/userinfo`,
    issuer: `${base}/oauth`,
    jwks: `${base}/oauth/openid/jwks`,
  });

  it('connects Pages from a token answer without token_type and a paged organizationAcls (ADMINISTRATOR, CONTENT_ADMINISTRATOR)', async () => {
    routes = [
      on('/oauth/v2/accessToken', () => fixture('linkedin', 'token-response')),
      on('/rest/organizationAcls', (url) => fixture('linkedin', url.searchParams.get('start') === '2' ? 'organization-acls-page-2' : 'organization-acls-page-1')),
      on(/^\/rest\/organizations\/\d+$/, (url) => ok({ id: Number(url.pathname.split('/').pop()), localizedName: `Org ${url.pathname.split('/').pop()}` })),
    ];
    // The fixture pages by 2: ask the adapter's page size, then follow the fixture's paging.
    const adapter = createLinkedInAdapter({ ...common, endpoints: endpoints() });
    const callbackUrl = new URL('https://app.example.com/oauth/callback/linkedin?code=AQTQmah11lalyH65DAIivsjsAQV5P&state=s');
    const grant = await adapter.exchangeCode({ callbackUrl, state: 's', codeVerifier: 'v'.repeat(43), kind: 'organization' });
    assert.equal(grant.userId, 'iFDV9vDrUu');
    assert.equal(grant.tokens.refreshToken?.slice(0, 8), 'AQWAft_W');
    const accounts = await adapter.accounts(grant);
    assert.deepEqual(accounts.map((a) => a.platformAccountId), ['2414183', '10002687']);
  });

  it('reads a 426 as the operator’s retired LINKEDIN_API_VERSION', async () => {
    routes = [on('/rest/organizationAcls', () => fixture('linkedin', 'version-retired'))];
    const adapter = createLinkedInAdapter({ ...common, endpoints: endpoints(), apiVersion: '202301' });
    const err = await rejectsWith(adapter.accounts({ platform: 'linkedin', kind: 'organization', tokens: stored().tokens, grantedScopes: [], dataAccessExpiresAt: null, userId: 'u' }), 'operator', 'api_version_retired');
    assert.match(err.message, /LINKEDIN_API_VERSION/);
  });
});

describe('X, from its documented answers', () => {
  const endpoints = () => ({ authorize: `${base}/i/oauth2/authorize`, token: `${base}/2/oauth2/token`, revoke: `${base}/2/oauth2/revoke`, api: `${base}/2` });

  it('402 credits-depleted is the operator’s billing', async () => {
    routes = [on('/2/users/me', () => fixture('x', 'credits-depleted'))];
    const adapter = createXAdapter({ ...common, endpoints: endpoints() });
    await rejectsWith(adapter.inspect(stored()), 'operator', 'billing_credits_depleted');
  });

  it('429 waits until x-rate-limit-reset', async () => {
    routes = [on('/2/users/me', () => fixture('x', 'rate-limited'))];
    const adapter = createXAdapter({ ...common, endpoints: endpoints() });
    const err = await rejectsWith(adapter.inspect(stored()), 'transient', 'platform_rate_limited');
    assert.ok(err.retryAfterSeconds !== undefined && err.retryAfterSeconds > 800 && err.retryAfterSeconds <= 900);
  });
});

describe('TikTok, from its documented answers', () => {
  it('access_token_invalid inside an HTTP 200 body means refresh, not revoked', async () => {
    routes = [on('/v2/user/info/', () => fixture('tiktok', 'user-info-token-invalid'))];
    const adapter = createTikTokAdapter({ ...common, endpoints: { authorize: `${base}/v2/auth/authorize/`, token: `${base}/v2/oauth/token/`, revoke: `${base}/v2/oauth/revoke/`, api: `${base}/v2` } });
    const inspection = await adapter.inspect(stored({ grantedScopes: ['user.info.basic'] }));
    assert.ok(inspection.expiresAt && inspection.expiresAt.getTime() <= clock.now().getTime());
  });
});

describe('Meta, from its documented answers', () => {
  it('Facebook: 80001 with X-Business-Use-Case-Usage is a rate limit with its wait', async () => {
    routes = [on('/v23.0/me/accounts', () => fixture('facebook', 'rate-limited-business'))];
    const graph = `${base}/v23.0`;
    const adapter = createFacebookAdapter({ ...common, endpoints: { authorize: `${base}/dialog/oauth`, token: `${graph}/oauth/access_token`, revoke: `${graph}/me/permissions`, debugToken: `${graph}/debug_token`, graph } });
    const err = await rejectsWith(
      adapter.accounts({ platform: 'facebook', tokens: stored().tokens, grantedScopes: [], dataAccessExpiresAt: null, userId: 'u' }),
      'transient',
      'platform_rate_limited',
    );
    assert.equal(err.retryAfterSeconds, 19 * 60);
  });

  it('Instagram: code 4 with X-App-Usage is a rate limit', async () => {
    routes = [on(/\/media$/, () => fixture('instagram', 'app-rate-limited'))];
    const graph = `${base}/ig/v23.0`;
    const adapter = createInstagramAdapter({
      ...common,
      endpoints: { authorize: `${base}/oauth/authorize`, token: `${base}/oauth/access_token`, exchange: `${base}/ig/access_token`, refresh: `${base}/ig/refresh_access_token`, graph },
    });
    await rejectsWith(adapter.recentPosts(stored({ kind: 'professional', connectMethod: 'instagram_login' })), 'transient', 'platform_rate_limited');
  });
});
