import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import { OffsetClock } from '../../../bff/clock.ts';
import { createSandbox } from '../../../bff/sandbox/index.ts';
import { REDIRECT_URI, apiCall, basicAuth, decide, form, grantTokens, makeSandbox, path, withParams } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('sandbox state file', () => {
  it('keeps tokens, rotations, revocations, codes and the clock across a restart', async () => {
    const stateFile = join(dir, 'nested', 'sandbox.json');
    const first = makeSandbox({ stateFile });
    const x = await grantTokens(first, 'x');
    const xBasic = basicAuth(first.sandbox.clients.x.clientId, first.sandbox.clients.x.clientSecret);
    const rotated = await request(first.app)
      .post(path(first.paths.x['token']))
      .set('Authorization', xBasic)
      .type('form')
      .send(form({ grant_type: 'refresh_token', refresh_token: x.refresh_token }));
    assert.equal(rotated.status, 200);
    const tiktok = await grantTokens(first, 'tiktok');
    await request(first.app).post('/sandbox/control/revoke').send({ platform: 'tiktok', platformAccountId: 'tt-open-0001' });
    await request(first.app).post('/sandbox/control/clock').send({ advanceSeconds: 3600 });
    const pending = await decide(
      first.app,
      withParams(first.paths.linkedin['authorize'], {
        client_id: first.sandbox.clients.linkedin.clientId,
        redirect_uri: REDIRECT_URI,
        scope: 'openid profile',
        state: 's',
      }),
      { user: 'Pw7tLm2xYc', scope: ['openid', 'profile'], decision: 'allow' },
    );

    await first.sandbox.flush();
    const saved = JSON.parse(readFileSync(stateFile, 'utf8'));
    assert.equal(saved.version, 1);
    assert.equal(saved.clockOffsetMs, 3_600_000);
    assert.deepEqual(
      readdirSync(join(dir, 'nested')),
      ['sandbox.json'],
      'written through a temporary file that is renamed away',
    );

    // A new process: a fresh clock and a new sandbox on the same file.
    const clock = new OffsetClock();
    const second = makeSandbox({ stateFile, clock });
    assert.ok(clock.offsetMs >= 3_600_000, 'the clock does not go back in time');
    assert.equal((await apiCall(second, 'x', rotated.body.access_token)).status, 200);
    const replay = await request(second.app)
      .post(path(second.paths.x['token']))
      .set('Authorization', xBasic)
      .type('form')
      .send(form({ grant_type: 'refresh_token', refresh_token: x.refresh_token }));
    assert.equal(replay.status, 400, 'the rotated refresh token stays rotated');
    // Like X, the replay revoked the whole grant, and that revocation is kept too.
    const refreshed = await request(second.app)
      .post(path(second.paths.x['token']))
      .set('Authorization', xBasic)
      .type('form')
      .send(form({ grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token }));
    assert.equal(refreshed.status, 400);
    assert.equal((await apiCall(second, 'tiktok', tiktok.access_token ?? '')).status, 401, 'the revocation stays');

    const redeemed = await request(second.app)
      .post(path(second.paths.linkedin['token']))
      .type('form')
      .send(
        form({
          grant_type: 'authorization_code',
          code: pending.searchParams.get('code') ?? '',
          redirect_uri: REDIRECT_URI,
          client_id: second.sandbox.clients.linkedin.clientId,
          client_secret: second.sandbox.clients.linkedin.clientSecret,
        }),
      );
    assert.equal(redeemed.status, 200, 'a code issued before the restart can still be redeemed');
  });

  it('without a state file nothing survives', async () => {
    const first = makeSandbox();
    const x = await grantTokens(first, 'x');
    const second = makeSandbox();
    assert.equal((await apiCall(second, 'x', x.access_token ?? '')).status, 401);
  });

  it('refuses a file that is not a sandbox state file', () => {
    const stateFile = join(dir, 'bogus.json');
    writeFileSync(stateFile, JSON.stringify({ hello: 'world' }));
    assert.throws(() => createSandbox({ clock: new OffsetClock(), stateFile }), /not a sandbox state file/);
  });
});
