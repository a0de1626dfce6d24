import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { sql } from 'kysely';
import { TokenCipher } from '../bff/crypto/token-cipher.ts';
import { connectPostgres } from '../bff/db/connect.ts';
import { migrateToLatest } from '../bff/db/migrate.ts';
import { AccountRepository } from '../bff/accounts/account.repository.ts';
import { createBenchDatabase } from './postgres.ts';
import { capturedQueries } from './sql.ts';
import { atLeast, atMost, reference, type Figure } from './report.ts';
import { accountRow, insertAccounts, insertWorkspaces } from './seed.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const WORKSPACE = 'agency';
const ACCOUNTS = 200;
/** Other workspaces' accounts in the same table, so the query has to find the workspace's. */
const OTHER_WORKSPACES = 49;
const CONNECTIONS = 10;
const ROUNDS = 4;
const SECONDS = 4;
/** V8 settings that keep the heap near what the BFF really holds (about 30 MB live). */
const TUNED_HEAP = ['--max-old-space-size=128', '--max-semi-space-size=2'];

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * An entry point in a process of its own, its output discarded: a TypeScript one through tsx,
 * a compiled one (.js) with plain node.
 */
export function start(entry: string, env: Record<string, string>, nodeFlags: string[] = []): ChildProcess {
  // BENCH_CPU_PROFILE=<folder> writes a V8 CPU profile of each server, to see where the time goes.
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROFILE] : [];
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...profile, ...nodeFlags, ...loader, entry], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  child.on('error', (err) => console.error(err));
  return child;
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export async function waitFor(url: string, headers: Record<string, string> = {}): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(url, { headers });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within a minute`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

/**
 * 3. GET /api/accounts of a 200-account workspace through the real BFF entry point
 * (the compiled bff/main.ts that npm start runs, on PostgreSQL, request logs on), under concurrent load from autocannon,
 * against a bare node:http + pg handler sending the rows of the same SQL (the repository's), in
 * the same run: each gets a warm-up, then they take turns.
 */
export async function bffThroughput(notes: string[]): Promise<Figure[]> {
  const database = await createBenchDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cp-bench-'));
  const children: ChildProcess[] = [];
  try {
    const hostApiKey = randomBytes(24).toString('hex');
    const key = randomBytes(32);
    const handle = connectPostgres({ connectionString: database.url, max: 4 });
    await migrateToLatest(handle.db);
    const cipher = new TokenCipher([{ id: 'k1', key }]);
    const now = new Date();
    const others = Array.from({ length: OTHER_WORKSPACES }, (_, i) => `other-${i}`);
    await insertWorkspaces(handle.db, [WORKSPACE, ...others], 'enterprise', now);
    await insertAccounts(handle.db, [
      ...Array.from({ length: ACCOUNTS }, (_, i) => accountRow(cipher, WORKSPACE, i, now)),
      ...others.flatMap((w) => Array.from({ length: ACCOUNTS }, (_, i) => accountRow(cipher, w, i, now))),
    ]);
    await sql`analyze`.execute(handle.db);
    await handle.close();

    /**
     * The BFF as `npm start` runs it: compiled (`npm run build:bff`), with the start script's
     * node flags, on PostgreSQL, request logs on (to /dev/null).
     */
    await promisify(execFile)('npm', ['run', 'build:bff', '--silent'], { cwd: ROOT });
    const startFlags = (JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/).filter((w) => w.startsWith('--'));
    const launchBff = async (nodeFlags: string[] = startFlags) => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const child = start(
        'dist/bff/main.js',
        {
          PORT: String(port),
          PUBLIC_URL: url,
          DATABASE_URL: database.url,
          HOST_API_KEY: hostApiKey,
          TOKEN_ENCRYPTION_KEYS: `k1:${key.toString('base64')}`,
          DATA_DIR: await mkdtemp(path.join(dataDir, 'bff-')),
          LOG_LEVEL: 'info',
        },
        nodeFlags,
      );
      children.push(child);
      await waitFor(`${url}/readyz`);
      return { url, child };
    };
    const { url: bffUrl, child: bff } = await launchBff();
    const basePort = await freePort();
    const baseUrl = `http://127.0.0.1:${basePort}`;
    const [list] = await capturedQueries((db) => new AccountRepository(db).listForDisplay(WORKSPACE));
    const base = start('bench/baseline-server.ts', { PORT: String(basePort), DATABASE_URL: database.url, BASELINE_SQL: list!.sql, BASELINE_PARAMETERS: JSON.stringify(list!.parameters) });
    children.push(base);

    const minted = await fetch(`${bffUrl}/v1/sessions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${hostApiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ workspaceId: WORKSPACE, userId: 'bench', role: 'member', ttlSeconds: 86_400 }),
    });
    if (minted.status !== 201) throw new Error(`POST /v1/sessions answered ${minted.status}: ${await minted.text()}`);
    const session = ((await minted.json()) as { token: string }).token;
    const auth = { Authorization: `Bearer ${session}` };
    await waitFor(`${baseUrl}/api/accounts`);
    const bffBody = (await (await fetch(`${bffUrl}/api/accounts`, { headers: auth })).json()) as { accounts: unknown[] };
    const baseBody = (await (await fetch(`${baseUrl}/api/accounts`)).json()) as { accounts: unknown[] };
    if (bffBody.accounts?.length !== ACCOUNTS || baseBody.accounts?.length !== ACCOUNTS) {
      throw new Error(`expected ${ACCOUNTS} accounts, the BFF gave ${bffBody.accounts?.length}, the baseline ${baseBody.accounts?.length}`);
    }

    const bffIdleRss = await rssMb(bff.pid!);
    const baseIdleRss = await rssMb(base.pid!);
    const load = (url: string, headers: Record<string, string>, duration: number) => autocannon({ url: `${url}/api/accounts`, connections: CONNECTIONS, duration, headers });
    await load(baseUrl, {}, 3);
    await load(bffUrl, auth, 3);
    const runs = { bff: [] as Result[], base: [] as Result[] };
    for (let round = 0; round < ROUNDS; round++) {
      runs.base.push(await load(baseUrl, {}, SECONDS));
      runs.bff.push(await load(bffUrl, auth, SECONDS));
    }
    for (const r of [...runs.bff, ...runs.base]) {
      if (r.errors > 0 || r.non2xx > 0 || r.timeouts > 0) throw new Error(`failed requests under load: ${r.errors} errors, ${r.non2xx} non-2xx, ${r.timeouts} timeouts`);
    }
    const rps = (rs: Result[]) => rs.reduce((sum, r) => sum + r.requests.total, 0) / rs.reduce((sum, r) => sum + r.duration, 0);
    const latency = (rs: Result[], p: 'p50' | 'p99') => rs.reduce((sum, r) => sum + r.latency[p], 0) / rs.length;
    const bffRss = await rssMb(bff.pid!);
    const baseRss = await rssMb(base.pid!);
    await stop(bff);
    await stop(base);
    // The same BFF with V8's heap held small: how much of the RSS is heap V8 lets grow.
    const tuned = await launchBff(TUNED_HEAP);
    await load(tuned.url, auth, 3);
    const tunedRun = await load(tuned.url, auth, SECONDS);
    const tunedRss = await rssMb(tuned.child.pid!);
    if (tunedRun.errors > 0 || tunedRun.non2xx > 0) throw new Error(`failed requests under load with ${TUNED_HEAP.join(' ')}: ${tunedRun.errors} errors, ${tunedRun.non2xx} non-2xx`);
    const bytes = Buffer.byteLength(JSON.stringify(bffBody));
    notes.push(
      `BFF throughput: ${CONNECTIONS} connections, ${ROUNDS} x ${SECONDS} s per server after a 3 s warm-up, taking turns; the BFF is dist/bff/main.js with ${startFlags.join(' ')} (as npm start runs it) on PostgreSQL with request logs (pino, info) to /dev/null; responses ${(bytes / 1000).toFixed(1)} kB.`,
    );
    return [
      atLeast('BFF GET /api/accounts (200 accounts) / bare node:http + pg', rps(runs.bff) / rps(runs.base), 'x', 0.8),
      reference('BFF GET /api/accounts, requests per second', rps(runs.bff), 'req/s'),
      reference('baseline node:http + pg, requests per second', rps(runs.base), 'req/s'),
      reference('BFF latency p50', latency(runs.bff, 'p50'), 'ms'),
      reference('BFF latency p99', latency(runs.bff, 'p99'), 'ms'),
      reference('baseline latency p50', latency(runs.base, 'p50'), 'ms'),
      reference('baseline latency p99', latency(runs.base, 'p99'), 'ms'),
      atMost('BFF RSS after the load', bffRss, 'MB', 150),
      reference('BFF RSS before the load', bffIdleRss, 'MB'),
      reference(`BFF RSS after the load, node ${TUNED_HEAP.join(' ')}`, tunedRss, 'MB'),
      reference(`BFF requests per second, node ${TUNED_HEAP.join(' ')}`, rps([tunedRun]), 'req/s'),
      reference('baseline RSS after the load', baseRss, 'MB'),
      reference('baseline RSS before the load', baseIdleRss, 'MB'),
    ];
  } finally {
    await Promise.all(children.map(stop));
    await rm(dataDir, { recursive: true, force: true });
    await database.drop();
  }
}
