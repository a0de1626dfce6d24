import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { requestLog } from '../../bff/http/request-log.ts';
import { compactDestination, compactLine, createLogger, usesCompactLines } from '../../bff/logger.ts';
import { createTestContext } from '../helpers/context.ts';

/** Issue 13 item 6: a banner, then one compact line per request on a terminal; JSON lines elsewhere. */
describe('request logs', () => {
  it('are one compact line per request in a terminal: method, path with secrets redacted, status, time', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info' }, compactDestination({ write: (text: string) => lines.push(text) }));
    const ctx = await createTestContext({ logger });
    try {
      await request(ctx.app).get('/healthz?token=abc123&code=xyz&page=2');
      await request(ctx.app).get('/api/accounts');
    } finally {
      await ctx.close();
    }
    const requests = lines.filter((l) => / (GET|POST) /.test(l));
    assert.equal(requests.length, 2, lines.join(''));
    assert.match(requests[0]!, /^\d\d:\d\d:\d\d GET \/healthz\?token=\[redacted\]&code=\[redacted\]&page=2 \d{3} \d+ms\n$/);
    assert.match(requests[1]!, /^\d\d:\d\d:\d\d GET \/api\/accounts 401 \d+ms\n$/);
    assert.ok(lines.every((l) => !l.includes('abc123') && !l.includes('xyz')), 'no secret in any line');
  });

  it('are JSON lines with req { id, method, url }, res { statusCode }, responseTime; warn for 4xx; the request id kept when well formed', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info' }, { write: (text: string) => void lines.push(text) });
    const ctx = await createTestContext({ logger });
    try {
      await request(ctx.app).get('/healthz').set('X-Request-Id', 'req-42');
      await request(ctx.app).get('/api/accounts?access_token=abc123').set('X-Request-Id', 'not valid!');
    } finally {
      await ctx.close();
    }
    const entries = lines.map((l) => JSON.parse(l) as Record<string, any>).filter((e) => e['req']);
    assert.equal(entries.length, 2, lines.join(''));
    const [ok, refused] = entries;
    assert.deepEqual(ok!['req'], { id: 'req-42', method: 'GET', url: '/healthz' });
    assert.equal(refused!['req'].url, '/api/accounts?access_token=[redacted]');
    assert.deepEqual(ok!['res'], { statusCode: 200 });
    assert.equal(ok!['level'], 30);
    assert.equal(ok!['msg'], 'request completed');
    assert.equal(typeof ok!['responseTime'], 'number');
    assert.equal(refused!['level'], 40);
    assert.deepEqual(refused!['res'], { statusCode: 401 });
    assert.match(refused!['req'].id, /^[0-9a-f-]{36}$/);
    assert.ok(lines.every((l) => !l.includes('abc123')));
  });

  it("give each request its own req.log, bound to it; a host app's own req.log stays in place", async () => {
    const lines: string[] = [];
    const hostLines: string[] = [];
    const logger = createLogger({ level: 'info' }, { write: (text: string) => void lines.push(text) });
    const hostLogger = createLogger({ level: 'info' }, { write: (text: string) => void hostLines.push(text) });
    const app = express();
    app.use('/host', (req, _res, next) => {
      req.log = hostLogger;
      next();
    });
    app.use(requestLog(logger));
    app.get(['/a', '/host/a'], async (req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      req.log.info({ n: req.query['n'] }, 'while answering');
      res.status(204).end();
    });
    await Promise.all(['/a?n=1', '/a?n=2', '/host/a?n=3'].map((url, i) => request(app).get(url).set('X-Request-Id', `r${i + 1}`)));
    const said = lines.map((l) => JSON.parse(l) as Record<string, any>).filter((e) => e['msg'] === 'while answering');
    assert.deepEqual(said.map((e) => [e['n'], e['req']]).sort(), [
      ['1', { id: 'r1', method: 'GET', url: '/a?n=1' }],
      ['2', { id: 'r2', method: 'GET', url: '/a?n=2' }],
    ]);
    const host = hostLines.map((l) => JSON.parse(l) as Record<string, any>);
    assert.deepEqual(host.map((e) => [e['msg'], e['n']]), [['while answering', '3']]);
  });

  it('say anything else as time, level, message and details', () => {
    assert.equal(compactLine({ level: 40, time: Date.UTC(2026, 0, 1, 9, 5, 7), msg: 'token refresh failed', accountId: 'a1', err: { message: 'boom' } }), '09:05:07 WARN token refresh failed accountId=a1 err="boom"');
  });

  it('are compact on a terminal, JSON when the output is not one or when LOG_FORMAT=json', () => {
    assert.equal(usesCompactLines('auto', { isTTY: true }), true);
    assert.equal(usesCompactLines('auto', { isTTY: false }), false);
    assert.equal(usesCompactLines('auto', {}), false);
    assert.equal(usesCompactLines('json', { isTTY: true }), false);
    assert.equal(usesCompactLines('pretty', { isTTY: false }), true);
  });
});
