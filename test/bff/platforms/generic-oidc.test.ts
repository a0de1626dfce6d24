/**
 * The adapters' openid-client plumbing (bff/platforms/oauth-client.ts) against an independent,
 * standards-compliant server, oidc-provider, so the flow is proven beyond our own sandbox:
 * authorization URL with state and PKCE, code exchange with state check and a signature-
 * verified id_token, rotating refresh, introspection and revocation, and the error mapping.
 * (The X adapter itself cannot run here: it identifies the user through X's /2/users/me.)
 */
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { Module, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { OffsetClock } from '../../../bff/clock.ts';
import { PlatformError } from '../../../bff/platforms/adapter.ts';
import { OAuthClient, grantedScopesFrom, tokenSetFrom } from '../../../bff/platforms/oauth-client.ts';

const CLIENT_ID = 'generic-client';
const CLIENT_SECRET = 'generic-client-secret-0123456789';
const REDIRECT_URI = 'https://app.example.com/connections/callback/generic';
const ACCOUNT_ID = 'ada-lovelace';
const SCOPE = 'openid profile';

/** The part of oidc-provider 8 this test uses (the package ships no type declarations). */
interface InteractionDetails {
  prompt: { name: string; details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[] } };
  params: Record<string, unknown>;
  session?: { accountId?: string };
  grantId?: string;
}
interface ProviderGrant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  save(): Promise<string>;
}
interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission: boolean }): Promise<void>;
  Grant: { new (init: { accountId: string; clientId: string }): ProviderGrant; find(id: string): Promise<ProviderGrant | undefined> };
}
type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;

/**
 * Loads oidc-provider. Two workarounds, both for the test process only:
 * - the specifier sits in a variable so TypeScript does not look for declarations it lacks;
 * - under tsx 4.20 on Node 20, require() of `generator-function` (an ES module exporting
 *   'module.exports' for CommonJS callers) returns its namespace object instead of the
 *   function, and koa's is-generator-function then throws on the first app.use(). The
 *   package's own CommonJS file is put in the require cache first.
 */
async function loadOidcProvider(): Promise<ProviderConstructor> {
  const require = createRequire(import.meta.url);
  const koaRequire = createRequire(require.resolve('is-generator-function'));
  const resolved = koaRequire.resolve('generator-function');
  const commonJs = new Module(resolved);
  commonJs.filename = resolved;
  commonJs.exports = koaRequire(join(dirname(resolved), 'index.js'));
  commonJs.loaded = true;
  koaRequire.cache[resolved] = commonJs;

  const specifier: string = 'oidc-provider';
  const { default: Provider } = (await import(specifier)) as { default: ProviderConstructor };
  return Provider;
}

let server: Server;
let provider: OidcProvider;
let issuer: string;
let metadata: client.ServerMetadata;
/** What the person answers at the next interaction. */
let decision: 'allow' | 'deny' = 'allow';

/** The person at the authorization server: signs in as Ada and approves, or declines. */
async function interact(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (decision === 'deny') {
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false });
    return;
  }
  if (details.prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId: ACCOUNT_ID } }, { mergeWithLastSubmission: false });
    return;
  }
  const clientId = String(details.params['client_id']);
  const grant =
    (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
    new provider.Grant({ accountId: details.session?.accountId ?? ACCOUNT_ID, clientId });
  if (details.prompt.details.missingOIDCScope) grant.addOIDCScope(details.prompt.details.missingOIDCScope.join(' '));
  if (details.prompt.details.missingOIDCClaims) grant.addOIDCClaims(details.prompt.details.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

before(async () => {
  const Provider = await loadOidcProvider();
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  server = createServer((req, res) => handle(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const signingKey = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: ['generic-oidc-test-cookie-key'] },
    pkce: { methods: ['S256'], required: () => true },
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true, allowedPolicy: async () => true },
      revocation: { enabled: true },
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, name: 'Ada Lovelace' }),
    }),
    // Refresh tokens for this client without offline_access (which oidc-provider grants only
    // with prompt=consent), and a new one on every refresh, as TikTok and X do.
    issueRefreshToken: async () => true,
    rotateRefreshToken: () => true,
    ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, RefreshToken: 14 * 24 * 3600, Interaction: 600, Session: 3600, Grant: 3600 },
    claims: { openid: ['sub'], profile: ['name'] },
  });
  const callback = provider.callback();
  handle = (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      interact(req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    } else {
      callback(req, res);
    }
  };

  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as client.ServerMetadata;
  metadata = {
    issuer: discovery.issuer,
    authorization_endpoint: discovery.authorization_endpoint,
    token_endpoint: discovery.token_endpoint,
    revocation_endpoint: discovery.revocation_endpoint,
    introspection_endpoint: discovery.introspection_endpoint,
    jwks_uri: discovery.jwks_uri,
  };
});

after(async () => {
  server.closeAllConnections();
  server.close();
});

/** The adapters' client, set up as X's (Basic auth) with LinkedIn's id_token signature checks. */
function oauthClient(overrides: { clock?: OffsetClock; timeoutSeconds?: number } = {}): OAuthClient {
  return new OAuthClient({
    label: 'Generic',
    server: metadata,
    clientId: CLIENT_ID,
    clientAuth: client.ClientSecretBasic(CLIENT_SECRET),
    clock: overrides.clock ?? new OffsetClock(),
    allowInsecure: true,
    timeoutSeconds: overrides.timeoutSeconds ?? 5,
    verifyIdTokenSignatures: true,
  });
}

/** Plays the browser: follows redirects, keeping cookies, until the client's redirect URI. */
async function followToCallback(authorizeUrl: URL): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = authorizeUrl;
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const location = res.headers.get('location');
    assert.ok(location, `expected a redirect from ${url.pathname}, got ${res.status}: ${await res.text()}`);
    const next = new URL(location, url);
    if (next.href.startsWith(REDIRECT_URI)) return next;
    url = next;
  }
  throw new Error('too many redirects');
}

async function attempt(oauth: OAuthClient): Promise<{ url: URL; state: string; codeVerifier: string }> {
  const state = client.randomState();
  const codeVerifier = client.randomPKCECodeVerifier();
  const url = oauth.authorizationUrl({
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: SCOPE,
    state,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { url, state, codeVerifier };
}

async function rejectsWith(promise: Promise<unknown>, kind: PlatformError['kind'], code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof PlatformError, `expected a PlatformError, got ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    assert.equal(err.code, code, err.message);
    return true;
  });
}

describe('openid-client flow against oidc-provider', () => {
  it('builds an authorization URL with state and an S256 challenge the server accepts', async () => {
    decision = 'allow';
    const oauth = oauthClient();
    const { url, state, codeVerifier } = await attempt(oauth);
    assert.equal(url.origin + url.pathname, metadata.authorization_endpoint);
    assert.equal(url.searchParams.get('state'), state);
    assert.equal(url.searchParams.get('code_challenge'), createHash('sha256').update(codeVerifier).digest('base64url'));
    const callbackUrl = await followToCallback(url);
    assert.ok(callbackUrl.searchParams.get('code'));
    assert.equal(callbackUrl.searchParams.get('state'), state);
  });

  it('exchanges the code with the state check and a verified id_token, then refreshes with rotation', async () => {
    decision = 'allow';
    const clock = new OffsetClock();
    const oauth = oauthClient({ clock });
    const { url, state, codeVerifier } = await attempt(oauth);
    const callbackUrl = await followToCallback(url);
    const response = await oauth.exchangeCode(callbackUrl, { state, codeVerifier });
    assert.equal(response.claims()?.sub, ACCOUNT_ID);
    assert.equal(response.claims()?.iss, issuer);
    assert.deepEqual(grantedScopesFrom(response, []).sort(), SCOPE.split(' ').sort());

    const tokens = tokenSetFrom(response, clock.now(), undefined);
    assert.ok(tokens.refreshToken, 'the server issued a refresh token');
    assert.ok(tokens.expiresAt);
    assert.ok(Math.abs((tokens.expiresAt.getTime() - clock.now().getTime()) / 1000 - 3600) <= 2);

    const refreshed = await oauth.refresh(tokens.refreshToken);
    assert.ok(refreshed.refresh_token);
    assert.notEqual(refreshed.refresh_token, tokens.refreshToken);
    assert.notEqual(refreshed.access_token, tokens.accessToken);
    // A standard server answers the retired refresh token with invalid_grant: a dead grant.
    await rejectsWith(oauth.refresh(tokens.refreshToken), 'permanent', 'invalid_grant');
  });

  it('introspects and revokes tokens', async () => {
    decision = 'allow';
    const oauth = oauthClient();
    const { url, state, codeVerifier } = await attempt(oauth);
    const response = await oauth.exchangeCode(await followToCallback(url), { state, codeVerifier });
    const live = await oauth.introspect(response.access_token);
    assert.equal(live.active, true);
    assert.equal(live.sub, ACCOUNT_ID);
    await oauth.revoke(response.access_token, 'access_token');
    assert.equal((await oauth.introspect(response.access_token)).active, false);
  });

  it('refuses a callback whose state is not this attempt', async () => {
    decision = 'allow';
    const oauth = oauthClient();
    const { url, codeVerifier } = await attempt(oauth);
    const callbackUrl = await followToCallback(url);
    await rejectsWith(oauth.exchangeCode(callbackUrl, { state: client.randomState(), codeVerifier }), 'rejected', 'state_mismatch');
  });

  it('maps a failed PKCE check to a refused code', async () => {
    decision = 'allow';
    const oauth = oauthClient();
    const { url, state } = await attempt(oauth);
    const callbackUrl = await followToCallback(url);
    await rejectsWith(oauth.exchangeCode(callbackUrl, { state, codeVerifier: client.randomPKCECodeVerifier() }), 'rejected', 'invalid_code');
  });

  it('maps a declined consent to access_denied', async () => {
    decision = 'deny';
    try {
      const oauth = oauthClient();
      const { url, state, codeVerifier } = await attempt(oauth);
      const callbackUrl = await followToCallback(url);
      assert.equal(callbackUrl.searchParams.get('error'), 'access_denied');
      assert.deepEqual(oauth.redirectError(callbackUrl.searchParams), {
        code: 'access_denied',
        message: 'You declined access on Generic. Nothing was connected.',
      });
      await rejectsWith(oauth.exchangeCode(callbackUrl, { state, codeVerifier }), 'rejected', 'access_denied');
    } finally {
      decision = 'allow';
    }
  });

  it('checks id_token times against the product clock', async () => {
    decision = 'allow';
    // A product clock a day ahead of the server makes its fresh id_token look expired.
    const clock = new OffsetClock();
    clock.advance(24 * 3600);
    const oauth = oauthClient({ clock });
    const { url, state, codeVerifier } = await attempt(oauth);
    await rejectsWith(oauth.exchangeCode(await followToCallback(url), { state, codeVerifier }), 'rejected', 'invalid_id_token');
  });

  it('maps an unreachable server to a transient failure', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const oauth = new OAuthClient({
      label: 'Generic',
      server: { ...metadata, token_endpoint: `http://127.0.0.1:${port}/token` },
      clientId: CLIENT_ID,
      clientAuth: client.ClientSecretBasic(CLIENT_SECRET),
      clock: new OffsetClock(),
      allowInsecure: true,
      timeoutSeconds: 5,
    });
    await rejectsWith(oauth.refresh('any-refresh-token'), 'transient', 'platform_unreachable');
  });
});
