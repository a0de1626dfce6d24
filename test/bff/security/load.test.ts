/**
 * Load: 200 concurrent clients for 30 seconds against the widget and host APIs (database
 * reads, session checks, request logging), with no error, no timeout, and no growth of the
 * BFF's memory (measured after garbage collection, in the BFF's own process).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { HOST_KEY } from '../../helpers/context.ts';

interface AutocannonRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
}
interface AutocannonResult {
  requests: { total: number; average: number; min: number };
  latency: { p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult> & { on(event: 'reqError', listener: (err: Error) => void): void };

const CONNECTIONS = 200;
const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
/** Allowed growth of the heap after garbage collection, from warm to the end of the run. */
const HEAP_GROWTH_BYTES = 24 * 1024 * 1024;
/** How long a client waits for an answer, on PostgreSQL and on PGlite alike. */
const CLIENT_TIMEOUT_SECONDS = 10;

type Ready = { url: string; member: string; admin: string; accountIds: string[]; gc: boolean };

describe(`${CONNECTIONS} concurrent clients for ${SECONDS} s`, () => {
  let child: ChildProcess;
  let target: Ready;
  const waitFor = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        if (key in m) {
          child.off('message', onMessage);
          resolve(m as T);
        }
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`the BFF exited (${code})`)));
    });
  const memory = async () => {
    child.send('memory');
    return (await waitFor<{ memory: NodeJS.MemoryUsage }>('memory')).memory;
  };

  before(async () => {
    child = fork(path.join(import.meta.dirname, '../../helpers/load-target.ts'), [], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      env: { ...process.env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    target = await waitFor<Ready>('url');
    assert.ok(target.gc, 'the BFF can collect garbage on request (--expose-gc)');
  });
  after(async () => {
    if (child.exitCode === null) {
      child.send('close');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('serves every request without an error, and its memory does not grow', { timeout: (SECONDS + 60) * 1000 }, async () => {
    const widget = (token: string) => ({ Authorization: `Bearer ${token}` });
    const requests: AutocannonRequest[] = [
      { path: '/api/accounts', headers: widget(target.member) },
      { path: '/api/platforms', headers: widget(target.member) },
      { path: `/api/accounts/${target.accountIds[0]}`, headers: widget(target.admin) },
      { path: '/api/events', headers: widget(target.member) },
      { path: '/v1/workspaces/load/accounts', headers: { Authorization: `Bearer ${HOST_KEY}` } },
      { path: `/api/accounts/${target.accountIds[5]}`, headers: widget(target.member) },
      { path: '/healthz' },
    ];
    // A short warm-up, so the baseline is taken with caches, pools and JIT settled.
    await autocannon({ url: target.url, connections: CONNECTIONS, duration: 3, timeout: CLIENT_TIMEOUT_SECONDS, requests });
    const warm = await memory();

    const samples: number[] = [];
    const sampler = setInterval(() => {
      memory().then((m) => samples.push(m.heapUsed), () => {});
    }, 5_000);
    const run = autocannon({ url: target.url, connections: CONNECTIONS, duration: SECONDS, timeout: CLIENT_TIMEOUT_SECONDS, requests });
    const errors = new Map<string, number>();
    const t0 = Date.now();
    run.on('reqError', (err) => errors.set(`${err.message} at ${Math.round((Date.now() - t0) / 1000)} s`, (errors.get(`${err.message} at ${Math.round((Date.now() - t0) / 1000)} s`) ?? 0) + 1));
    const result = await run;
    clearInterval(sampler);
    const end = await memory();

    const summary = `${result.requests.total} requests, ${Math.round(result.requests.average)}/s, p99 ${result.latency.p99} ms, max ${result.latency.max} ms; heap ${mb(warm.heapUsed)} -> ${mb(end.heapUsed)} MB (samples ${samples.map(mb).join(', ')}), rss ${mb(warm.rss)} -> ${mb(end.rss)} MB`;
    console.log(`# load: ${summary}`);
    assert.equal(result.errors, 0, `errors (${JSON.stringify([...errors])}): ${summary}`);
    assert.equal(result.timeouts, 0, `timeouts: ${summary}`);
    assert.equal(result.non2xx, 0, `non-2xx answers: ${summary}`);
    // Kept serving: answers came in every second of the run (how many is the benchmark's business, not a test's).
    assert.ok(result.requests.min > 0, `it kept serving: ${summary}`);
    assert.ok(end.heapUsed - warm.heapUsed < HEAP_GROWTH_BYTES, `the heap grew: ${summary}`);
    assert.equal(child.exitCode, null, 'the BFF is still up');
  });
});

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
