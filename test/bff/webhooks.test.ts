import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createServices } from '../../bff/services.ts';
import { signWebhook, verifyWebhook } from '../../bff/webhooks/signature.ts';
import { auth, createTestContext, type TestContext } from '../helpers/context.ts';

const SECRET = 'whsec_test_secret';

/** The host's webhook endpoint: records every delivery and answers with the next queued status. */
async function startReceiver() {
  const received: { eventId: string; signature: string; body: string; status: number }[] = [];
  const statuses: number[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const status = statuses.shift() ?? 200;
      received.push({ eventId: String(req.headers['x-connections-event-id']), signature: String(req.headers['x-connections-signature']), body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    statuses,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('webhooks', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let ctx: TestContext;
  let token: string;

  before(async () => {
    receiver = await startReceiver();
    ctx = await createTestContext({ config: { webhook: { url: receiver.url, secret: SECRET } } });
    await ctx.putWorkspace('hooks', { plan: 'enterprise' });
    token = await ctx.session('hooks');
  });
  after(async () => {
    await ctx.close();
    await receiver.close();
  });

  async function disconnectOne(name: string): Promise<void> {
    const row = await ctx.insertAccount('hooks', { display_name: name });
    await request(ctx.app).delete(`/api/accounts/${row.id}`).set(auth(token)).expect(204);
  }

  it('sends each event, signed with HMAC-SHA256 over the timestamp and body', async () => {
    receiver.received.length = 0;
    await disconnectOne('Signed Page');
    assert.equal(await ctx.services.webhooks!.runOnce(), 1);
    assert.equal(receiver.received.length, 1);
    const [delivery] = receiver.received;
    const body = JSON.parse(delivery!.body);
    assert.equal(body.type, 'account_disconnected');
    assert.equal(body.message, 'Signed Page disconnected');
    assert.equal(body.workspaceId, 'hooks');
    assert.equal(delivery!.eventId, body.id);
    const now = Math.floor(Date.now() / 1000);
    assert.equal(verifyWebhook(SECRET, delivery!.body, delivery!.signature, now), true);
    assert.equal(verifyWebhook('wrong-secret', delivery!.body, delivery!.signature, now), false);
    assert.equal(verifyWebhook(SECRET, delivery!.body.replace('Signed', 'Forged'), delivery!.signature, now), false);
    assert.equal(verifyWebhook(SECRET, delivery!.body, delivery!.signature, now + 3600), false, 'an old signature is refused');
    assert.equal(await ctx.services.webhooks!.runOnce(), 0, 'nothing is sent twice');
  });

  it('retries a failed delivery with growing waits until the host accepts it', async () => {
    receiver.received.length = 0;
    receiver.statuses.push(500, 503);
    await disconnectOne('Retried Page');
    assert.equal(await ctx.services.webhooks!.runOnce(), 0);
    assert.equal(await ctx.services.webhooks!.runOnce(), 0, 'not before the wait is over');
    assert.equal(receiver.received.length, 1);
    ctx.wallClock.advance(31);
    assert.equal(await ctx.services.webhooks!.runOnce(), 0);
    ctx.wallClock.advance(31);
    assert.equal(await ctx.services.webhooks!.runOnce(), 0, 'the second wait is longer than the first');
    ctx.wallClock.advance(40);
    assert.equal(await ctx.services.webhooks!.runOnce(), 1);
    assert.deepEqual(receiver.received.map((r) => r.status), [500, 503, 200]);
    assert.equal(new Set(receiver.received.map((r) => r.eventId)).size, 1, 'the same event each time');
    const [latest] = (await ctx.services.deliveries.list()).slice(-1);
    assert.equal(latest!.status, 'delivered');
    assert.equal(latest!.attempts, 3);
  });

  it('loses nothing across a restart and never delivers an event twice, with two instances sending', async () => {
    receiver.received.length = 0;
    for (const name of ['One', 'Two', 'Three', 'Four', 'Five']) await disconnectOne(name);
    // The process that wrote them is gone; two fresh instances share the queue in PostgreSQL.
    const fresh = () => createServices({ config: ctx.config, database: ctx.database.another(), logger: ctx.logger, clock: ctx.clock, wallClock: ctx.wallClock });
    const [a, b] = [fresh(), fresh()];
    const sent = await Promise.all([a.webhooks!.runOnce(), b.webhooks!.runOnce()]);
    assert.equal(sent[0]! + sent[1]!, 5);
    assert.equal(receiver.received.length, 5);
    assert.equal(new Set(receiver.received.map((r) => r.eventId)).size, 5);
  });

  it('signs exactly as the README tells hosts to verify: HMAC-SHA256 of "<t>.<body>", hex', () => {
    const body = '{"id":"1"}';
    const expected = createHmac('sha256', 's').update(`1700000000.${body}`).digest('hex');
    assert.equal(signWebhook('s', body, 1700000000), `t=1700000000,v1=${expected}`);
  });
});
