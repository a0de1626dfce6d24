import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import request from 'supertest';
import type { SandboxPlatform } from '../../../bff/sandbox/index.ts';
import { apiCall, basicAuth, form, grantTokens, makeSandbox, path, withParams } from './helpers.ts';
import { SANDBOX_LINKEDIN_PAGES_CLIENT } from '../../../bff/sandbox/seed.ts';
import type { TestSandbox } from './helpers.ts';

const CONTROL = '/sandbox/control';

function control(t: TestSandbox, method: 'get' | 'post' | 'delete', p: string, body?: unknown) {
  const req = request(t.app)[method](`${CONTROL}${p}`);
  return body === undefined ? req : req.send(body as object);
}

/** A request to the platform's token endpoint that gets past client authentication. */
function tokenCall(t: TestSandbox, platform: SandboxPlatform) {
  const p = t.paths[platform];
  const { clientId, clientSecret } = t.sandbox.clients[platform];
  const fields = { grant_type: 'authorization_code', code: 'nope', redirect_uri: 'https://app.example.com/cb' };
  switch (platform) {
    case 'facebook':
      return request(t.app).get(withParams(p['token'], { ...fields, client_id: clientId, client_secret: clientSecret }));
    case 'tiktok':
      return request(t.app).post(path(p['token'])).type('form').send(form({ ...fields, client_key: clientId, client_secret: clientSecret }));
    case 'x':
      return request(t.app).post(path(p['token'])).set('Authorization', basicAuth(clientId, clientSecret)).type('form').send(form(fields));
    case 'instagram':
    case 'linkedin':
      return request(t.app).post(path(p['token'])).type('form').send(form({ ...fields, client_id: clientId, client_secret: clientSecret }));
  }
}

describe('sandbox control API: clock', () => {
  it('reads and advances the shared clock', async () => {
    const t = makeSandbox();
    const before = await control(t, 'get', '/clock');
    assert.equal(before.status, 200);
    assert.equal(before.body.offsetMs, 0);
    assert.ok(Math.abs(Date.parse(before.body.now) - Date.now()) < 5000);

    const after = await control(t, 'post', '/clock', { advanceSeconds: 3600 });
    assert.equal(after.status, 200);
    assert.equal(after.body.offsetMs, 3_600_000);
    assert.equal(t.clock.offsetMs, 3_600_000, 'the clock object passed in moved');
    assert.ok(Math.abs(Date.parse(after.body.now) - (Date.now() + 3_600_000)) < 5000);
    assert.equal((await control(t, 'get', '/clock')).body.offsetMs, 3_600_000);
  });

  it('refuses a negative, non-numeric, missing or over-ten-years advance with a JSON error', async () => {
    const t = makeSandbox();
    for (const body of [{ advanceSeconds: -1 }, { advanceSeconds: '60' }, {}, { advanceSeconds: 11 * 366 * 24 * 3600 }]) {
      const res = await control(t, 'post', '/clock', body);
      assert.equal(res.status, 400);
      assert.equal(typeof res.body.error.code, 'string');
      assert.equal(typeof res.body.error.message, 'string');
    }
    const malformed = await request(t.app).post(`${CONTROL}/clock`).type('json').send('{"advanceSeconds":');
    assert.equal(malformed.status, 400);
    assert.equal(typeof malformed.body.error.code, 'string');
    assert.equal(t.clock.offsetMs, 0);
  });
});

describe('sandbox control API: revoke', () => {
  const dead: Record<SandboxPlatform, (res: request.Response) => void> = {
    facebook: (res) => {
      assert.equal(res.body.error.code, 190);
      assert.equal(res.body.error.error_subcode, 460);
    },
    instagram: (res) => assert.equal(res.body.error.code, 190),
    tiktok: (res) => {
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'access_token_invalid');
    },
    x: (res) => {
      assert.equal(res.status, 401);
      assert.equal(res.body.title, 'Unauthorized');
    },
    linkedin: (res) => {
      assert.equal(res.status, 401);
      assert.equal(res.body.serviceErrorCode, 65600);
    },
  };
  const accounts: Record<SandboxPlatform, string> = {
    facebook: '100000000000001',
    instagram: '17841400000000011',
    tiktok: 'tt-open-0001',
    x: '1700000000000000001',
    linkedin: 'Hn3kQ8vRzA',
  };

  for (const platform of Object.keys(accounts) as SandboxPlatform[]) {
    it(`revoking a ${platform} account makes its tokens fail with the platform's dead-token error`, async () => {
      const t = makeSandbox();
      const { access_token } = await grantTokens(t, platform);
      assert.equal((await apiCall(t, platform, access_token ?? '')).status, 200);
      const res = await control(t, 'post', '/revoke', { platform, platformAccountId: accounts[platform] });
      assert.equal(res.status, 200);
      assert.equal(res.body.revokedGrants, 1);
      const after = await apiCall(t, platform, access_token ?? '');
      assert.ok(after.status >= 400);
      dead[platform](after);
    });
  }

  it('revoking a Facebook Page kills its Page token and the owner’s grant', async () => {
    const t = makeSandbox();
    const { access_token } = await grantTokens(t, 'facebook');
    const graph = path(t.paths.facebook['graph']);
    const pages = await request(t.app).get(withParams(`${graph}/me/accounts`, { access_token: access_token ?? '', fields: 'id,access_token' }));
    const pageToken = pages.body.data[1].access_token;
    assert.equal((await apiCall(t, 'facebook', pageToken)).status, 200);
    await control(t, 'post', '/revoke', { platform: 'facebook', platformAccountId: '200000000000002' });
    dead.facebook(await apiCall(t, 'facebook', pageToken));
    dead.facebook(await apiCall(t, 'facebook', access_token ?? ''));
  });

  it('revoking a LinkedIn organization kills its administrators’ tokens, refresh included', async () => {
    const t = makeSandbox();
    const tokens = await grantTokens(t, 'linkedin');
    await control(t, 'post', '/revoke', { platform: 'linkedin', platformAccountId: '90000002' });
    dead.linkedin(await apiCall(t, 'linkedin', tokens.access_token ?? ''));
    const { clientId, clientSecret } = SANDBOX_LINKEDIN_PAGES_CLIENT;
    const refreshed = await request(t.app)
      .post(path(t.paths.linkedin['token']))
      .type('form')
      .send(form({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId, client_secret: clientSecret }));
    assert.equal(refreshed.body.error, 'invalid_grant');
  });

  it('leaves other users alone', async () => {
    const t = makeSandbox();
    const kenji = await grantTokens(t, 'x', '1700000000000000002');
    await control(t, 'post', '/revoke', { platform: 'x', platformAccountId: '1700000000000000001' });
    assert.equal((await apiCall(t, 'x', kenji.access_token ?? '')).status, 200);
  });

  it('answers 404 for an unknown account and 400 for a bad body', async () => {
    const t = makeSandbox();
    const unknown = await control(t, 'post', '/revoke', { platform: 'x', platformAccountId: '42' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'unknown_account');
    assert.equal((await control(t, 'post', '/revoke', { platform: 'myspace', platformAccountId: '1' })).status, 400);
    assert.equal((await control(t, 'post', '/revoke', { platform: 'x' })).status, 400);
  });
});

describe('sandbox control API: faults and stats', () => {
  const serverErrorShape: Record<SandboxPlatform, (body: Record<string, unknown>) => void> = {
    facebook: (body) => assert.equal((body['error'] as { type: string }).type, 'OAuthException'),
    instagram: (body) => assert.equal(body['error_type'], 'OAuthException'),
    tiktok: (body) => {
      assert.equal(body['error'], 'server_error');
      assert.equal(typeof body['log_id'], 'string');
    },
    x: (body) => assert.equal(body['status'], 500),
    linkedin: (body) => assert.equal(body['error'], 'server_error'),
  };

  for (const platform of Object.keys(serverErrorShape) as SandboxPlatform[]) {
    it(`an error fault makes the next n ${platform} token calls answer 500 in the platform's shape`, async () => {
      const t = makeSandbox();
      const set = await control(t, 'post', '/faults', { platform, kind: 'error', count: 2 });
      assert.equal(set.status, 200);
      for (let i = 0; i < 2; i++) {
        const res = await tokenCall(t, platform);
        assert.equal(res.status, 500);
        serverErrorShape[platform](res.body);
      }
      const third = await tokenCall(t, platform);
      assert.equal(third.status, 400, 'back to normal: the bogus code is refused');
      const stats = await control(t, 'get', '/stats');
      assert.equal(stats.body.tokenRequests[platform], 3);
    });
  }

  it('faults also hit ig_exchange_token and ig_refresh_token, in Meta’s shape', async () => {
    const t = makeSandbox();
    await control(t, 'post', '/faults', { platform: 'instagram', kind: 'error', count: 2 });
    const exchange = await request(t.app).get(withParams(t.paths.instagram['exchange'], { grant_type: 'ig_exchange_token', access_token: 'x' }));
    const refresh = await request(t.app).get(withParams(t.paths.instagram['refresh'], { grant_type: 'ig_refresh_token', access_token: 'x' }));
    for (const res of [exchange, refresh]) {
      assert.equal(res.status, 500);
      assert.equal(res.body.error.type, 'OAuthException');
    }
  });

  it('a timeout fault never answers the next n calls, then calls go through', async () => {
    const t = makeSandbox();
    await control(t, 'post', '/faults', { platform: 'tiktok', kind: 'timeout', count: 2 });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(tokenCall(t, 'tiktok').timeout(200), (err: Error & { timeout?: number }) => err.timeout === 200);
    }
    assert.equal((await tokenCall(t, 'tiktok')).status, 400);
    assert.equal((await control(t, 'get', '/stats')).body.tokenRequests.tiktok, 3);
  });

  it('DELETE /faults clears queued faults', async () => {
    const t = makeSandbox();
    await control(t, 'post', '/faults', { platform: 'x', kind: 'error', count: 5 });
    assert.deepEqual((await control(t, 'get', '/faults')).body.faults.x, [{ kind: 'error', remaining: 5 }]);
    const cleared = await control(t, 'delete', '/faults');
    assert.deepEqual(cleared.body.faults.x, []);
    assert.equal((await tokenCall(t, 'x')).status, 400);
  });

  it('refuses a bad fault', async () => {
    const t = makeSandbox();
    for (const body of [
      { platform: 'x', kind: 'slow', count: 1 },
      { platform: 'x', kind: 'error', count: 0 },
      { platform: 'x', kind: 'error', count: 1.5 },
      { platform: 'nowhere', kind: 'error', count: 1 },
    ]) {
      assert.equal((await control(t, 'post', '/faults', body)).status, 400);
    }
  });

  it('close() ends a request held by a timeout fault, so the server can close', { timeout: 5000 }, async () => {
    const t = makeSandbox();
    await control(t, 'post', '/faults', { platform: 'x', kind: 'timeout', count: 1 });
    const server = t.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const held = fetch(`${base}${path(t.paths.x['token'])}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=x',
    });
    held.catch(() => undefined);
    // Wait until the held request has reached the sandbox.
    while ((await (await fetch(`${base}${CONTROL}/stats`)).json()).tokenRequests.x < 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    t.sandbox.close();
    await assert.rejects(held);
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  });

  it('stats count every token request (code, fb_exchange_token, ig_exchange_token, ig_refresh_token, refresh) and reset', async () => {
    const t = makeSandbox();
    const fb = await grantTokens(t, 'facebook');
    const { clientId, clientSecret } = t.sandbox.clients.facebook;
    await request(t.app).get(
      withParams(t.paths.facebook['token'], {
        grant_type: 'fb_exchange_token',
        client_id: clientId,
        client_secret: clientSecret,
        fb_exchange_token: fb.access_token ?? '',
      }),
    );
    const ig = await grantTokens(t, 'instagram');
    await request(t.app).get(withParams(t.paths.instagram['exchange'], { grant_type: 'ig_exchange_token', access_token: ig.access_token ?? '' }));
    await request(t.app).get(withParams(t.paths.instagram['refresh'], { grant_type: 'ig_refresh_token', access_token: ig.access_token ?? '' }));
    const x = await grantTokens(t, 'x');
    await request(t.app)
      .post(path(t.paths.x['token']))
      .set('Authorization', basicAuth(t.sandbox.clients.x.clientId, t.sandbox.clients.x.clientSecret))
      .type('form')
      .send(form({ grant_type: 'refresh_token', refresh_token: x.refresh_token }));
    // Not token requests: API reads and revocation.
    await apiCall(t, 'x', x.access_token ?? '');

    const stats = await control(t, 'get', '/stats');
    assert.deepEqual(stats.body.tokenRequests, { facebook: 2, instagram: 3, tiktok: 0, x: 2, linkedin: 0 });
    assert.ok(Object.keys(stats.body.requests.x).some((k) => k.includes('oauth2/token')), JSON.stringify(stats.body.requests.x));
    // Every request, by platform and endpoint; X's billed reads apart.
    assert.ok(stats.body.xBilledReads >= 1, 'the X API read is billed');
    assert.ok(stats.body.total >= 7);
    const reset = await control(t, 'post', '/reset-stats');
    assert.deepEqual(reset.body, {
      tokenRequests: { facebook: 0, instagram: 0, tiktok: 0, x: 0, linkedin: 0 },
      requests: { facebook: {}, instagram: {}, tiktok: {}, x: {}, linkedin: {} },
      xBilledReads: 0,
      total: 0,
    });
  });
});

describe('sandbox control API: accounts', () => {
  it('lists the sandbox users, Pages and organizations per platform', async () => {
    const t = makeSandbox();
    const res = await control(t, 'get', '/accounts');
    assert.equal(res.status, 200);
    const ids = (platform: SandboxPlatform, kind: string) =>
      (res.body[platform] as Array<{ id: string; kind: string }>).filter((a) => a.kind === kind).map((a) => a.id);
    assert.deepEqual(ids('facebook', 'user'), ['100000000000001', '100000000000002', '100000000000003']);
    assert.deepEqual(ids('facebook', 'page'), ['200000000000001', '200000000000002', '200000000000003', '200000000000004', '200000000000005', '200000000000006']);
    assert.deepEqual(ids('facebook', 'instagram_business_account'), ['17841400000000001', '17841400000000002']);
    assert.deepEqual(ids('instagram', 'professional_account'), ['17841400000000011', '17841400000000012', '17841400000000013']);
    assert.deepEqual(ids('tiktok', 'user'), ['tt-open-0001', 'tt-open-0002']);
    assert.deepEqual(ids('x', 'user'), ['1700000000000000001', '1700000000000000002']);
    assert.deepEqual(ids('linkedin', 'member'), ['Hn3kQ8vRzA', 'Pw7tLm2xYc']);
    assert.deepEqual(ids('linkedin', 'organization'), ['90000001', '90000002', '90000003']);
    for (const list of Object.values(res.body) as Array<Array<{ name: string }>>) {
      for (const account of list) assert.ok(account.name.length > 0);
    }
  });

  it('answers unknown control paths with a JSON 404', async () => {
    const t = makeSandbox();
    const res = await control(t, 'get', '/nothing');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
  });
});
