/**
 * The adapters will use openid-client 6 against the sandbox over real HTTP: these checks make
 * sure the standard-shaped parts (X, LinkedIn with OpenID Connect, Facebook) work with it
 * out of the box. (TikTok's client_key and Instagram's wrapped token response need an
 * adapter's customFetch, as with the real platforms.)
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { withTokenType } from '../../../bff/platforms/linkedin.ts';
import { sandboxEndpoints } from '../../../bff/sandbox/index.ts';
import { REDIRECT_URI, form, makeSandbox } from './helpers.ts';
import type { TestSandbox } from './helpers.ts';

let t: TestSandbox;
let server: Server;
let ep: ReturnType<typeof sandboxEndpoints>;

before(async () => {
  t = makeSandbox();
  server = t.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  ep = sandboxEndpoints(`http://127.0.0.1:${(server.address() as AddressInfo).port}/sandbox`);
});

after(async () => {
  t.sandbox.close();
  await new Promise((resolve) => server.close(resolve));
});

/** Plays the browser: submits the consent form and returns where the platform sends it back. */
async function consent(authorizeUrl: URL, user: string, scope: string[]): Promise<URL> {
  const res = await fetch(authorizeUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ user, scope, decision: 'allow' }),
  });
  assert.equal(res.status, 302, await res.text());
  const back = new URL(res.headers.get('location') ?? '');
  back.hash = ''; // a browser never sends the fragment to the callback
  return back;
}

function configuration(platform: 'x' | 'facebook', auth: client.ClientAuth): client.Configuration {
  const { clientId } = t.sandbox.clients[platform];
  const config = new client.Configuration(
    { issuer: `sandbox-${platform}`, authorization_endpoint: ep[platform]['authorize'], token_endpoint: ep[platform]['token'] },
    clientId,
    undefined,
    auth,
  );
  client.allowInsecureRequests(config);
  return config;
}

describe('openid-client against the sandbox', () => {
  it('X: authorization code with PKCE and Basic auth, then a rotating refresh', async () => {
    const config = configuration('x', client.ClientSecretBasic(t.sandbox.clients.x.clientSecret));
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const scope = ['tweet.read', 'users.read', 'offline.access'];
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: scope.join(' '),
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const back = await consent(url, '1700000000000000001', scope);
    const tokens = await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state });
    assert.equal(tokens.scope, scope.join(' '));
    assert.equal(tokens.expires_in, 7200);
    assert.ok(tokens.refresh_token);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token), (err: client.ResponseBodyError) => {
      assert.equal(err.error, 'invalid_request');
      return true;
    });
  });

  it('LinkedIn: plain openid-client refuses the token answer without token_type (openid-client issue 826)', async () => {
    const { clientId, clientSecret } = t.sandbox.clients.linkedin;
    const config = await client.discovery(new URL(ep.linkedin['issuer'] ?? ''), clientId, clientSecret, undefined, {
      execute: [client.allowInsecureRequests],
    });
    const state = client.randomState();
    const scope = ['openid', 'profile', 'w_member_social'];
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: scope.join(' '), state });
    const back = await consent(url, 'Hn3kQ8vRzA', scope);
    await assert.rejects(client.authorizationCodeGrant(config, back, { expectedState: state }), (err: Error) => {
      assert.match(String((err.cause as Error | undefined)?.message ?? err.message), /token_type/);
      return true;
    });
  });

  it('LinkedIn: discovery, code grant with a validated id_token, userinfo, refresh (token_type repaired)', async () => {
    const { clientId, clientSecret } = t.sandbox.clients.linkedin;
    const config = await client.discovery(new URL(ep.linkedin['issuer'] ?? ''), clientId, clientSecret, undefined, {
      execute: [client.allowInsecureRequests],
    });
    config[client.customFetch] = withTokenType;
    const state = client.randomState();
    const nonce = client.randomNonce();
    const scope = ['openid', 'profile', 'email', 'w_member_social'];
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: scope.join(' '), state, nonce });
    const back = await consent(url, 'Hn3kQ8vRzA', scope);
    const tokens = await client.authorizationCodeGrant(config, back, { expectedState: state, expectedNonce: nonce });
    assert.equal(tokens.claims()?.sub, 'Hn3kQ8vRzA');
    assert.equal(tokens.scope, scope.join(','));
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, 'Hn3kQ8vRzA');
    assert.equal(userinfo.email, 'grace.thompson@example.com');
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token ?? '');
    assert.equal(refreshed.refresh_token, tokens.refresh_token);
  });

  it('Facebook: code grant with client_secret_post and a fb_exchange_token generic grant', async () => {
    const config = configuration('facebook', client.ClientSecretPost(t.sandbox.clients.facebook.clientSecret));
    const state = client.randomState();
    const scope = ['pages_show_list', 'pages_read_engagement'];
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: scope.join(','), state });
    const back = await consent(url, '100000000000001', scope);
    const short = await client.authorizationCodeGrant(config, back, { expectedState: state });
    assert.equal(short.expires_in, 3600);
    const long = await client.genericGrantRequest(config, 'fb_exchange_token', { fb_exchange_token: short.access_token });
    assert.equal(long.expires_in, 5184000);
  });
});
