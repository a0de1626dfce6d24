import { execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { sql } from 'kysely';
import { TokenCipher } from '../bff/crypto/token-cipher.ts';
import { connectPostgres } from '../bff/db/connect.ts';
import { migrateToLatest } from '../bff/db/migrate.ts';
import { AccountRepository } from '../bff/accounts/account.repository.ts';
import { HistoryRepository } from '../bff/history/history.repository.ts';
import { HISTORY_PAGE_SIZE } from '../bff/history/history.service.ts';
import { createBenchDatabase } from './postgres.ts';
import { capturedQueries } from './sql.ts';
import { atLeast, reference, type Figure } from './report.ts';
import { accountRow, insertAccounts, insertWorkspaces } from './seed.ts';
import { freePort, start, stop, waitFor } from './bff-throughput.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const BIG = 'agency-5000';
const SMALL = 'agency-200';
const BIG_ACCOUNTS = 5_000;
const SMALL_ACCOUNTS = 200;
/** The widget's first page (widget/controllers/account-list.ts). */
const FIRST_PAGE = 50;
const HISTORY_ENTRIES = 500;
const CONNECTIONS = 10;
const SECONDS = 3;
const ROUNDS = 4;

/** User + system CPU time a process has used, in milliseconds (/proc/<pid>/stat, clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * 5. Agencies: GET /api/accounts's first page of a 5,000-account workspace, an account's history
 * page, and the whole list of a 200-account workspace, through the compiled BFF (as npm start
 * runs it, request logs on) against a bare node:http + pg server running the same SQL (the
 * repositories' statements) and sending the same number of rows. Each pair takes turns after
 * a warm-up.
 */
export async function agencies(notes: string[]): Promise<Figure[]> {
  const database = await createBenchDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cp-bench-agencies-'));
  const children: ChildProcess[] = [];
  try {
    const hostApiKey = randomBytes(24).toString('hex');
    const key = randomBytes(32);
    const handle = connectPostgres({ connectionString: database.url, max: 4 });
    await migrateToLatest(handle.db);
    const cipher = new TokenCipher([{ id: 'k1', key }]);
    const now = new Date();
    await insertWorkspaces(handle.db, [BIG, SMALL], 'enterprise', now);
    const big = Array.from({ length: BIG_ACCOUNTS }, (_, i) => accountRow(cipher, BIG, i, now));
    await insertAccounts(handle.db, [...big, ...Array.from({ length: SMALL_ACCOUNTS }, (_, i) => accountRow(cipher, SMALL, i, now))]);
    const historied = big[0]!.id;
    for (let start = 0; start < HISTORY_ENTRIES; start += 250) {
      await handle.db
        .insertInto('account_history')
        .values(Array.from({ length: 250 }, (_, i) => ({ workspace_id: BIG, account_id: historied, at: new Date(now.getTime() - (HISTORY_ENTRIES - start - i) * 60_000), kind: 'refreshed', message: 'Access token refreshed', actor: JSON.stringify({ type: 'system', id: null, name: null }), params: '{}' })))
        .execute();
    }
    await sql`analyze`.execute(handle.db);
    await handle.close();

    await promisify(execFile)('npm', ['run', 'build:bff', '--silent'], { cwd: ROOT });
    const startFlags = (JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/).filter((w) => w.startsWith('--'));
    const bffPort = await freePort();
    const bffUrl = `http://127.0.0.1:${bffPort}`;
    const bff = start(
      'dist/bff/main.js',
      { PORT: String(bffPort), PUBLIC_URL: bffUrl, DATABASE_URL: database.url, HOST_API_KEY: hostApiKey, TOKEN_ENCRYPTION_KEYS: `k1:${key.toString('base64')}`, DATA_DIR: await mkdtemp(path.join(dataDir, 'bff-')), LOG_LEVEL: 'info' },
      startFlags,
    );
    children.push(bff);
    await waitFor(`${bffUrl}/readyz`);

    const [bigList] = await capturedQueries((db) => new AccountRepository(db).listForDisplay(BIG));
    const [smallList] = await capturedQueries((db) => new AccountRepository(db).listForDisplay(SMALL));
    const [history] = await capturedQueries((db) => new HistoryRepository(db).forAccount(BIG, historied, null, HISTORY_PAGE_SIZE + 1));
    const paths = { big: `/api/accounts?limit=${FIRST_PAGE}`, small: '/api/accounts', history: `/api/accounts/${historied}/history` };
    const baseRoutes = {
      [paths.big]: { sql: bigList!.sql, parameters: bigList!.parameters, key: 'accounts', limit: FIRST_PAGE },
      [paths.small]: { sql: smallList!.sql, parameters: smallList!.parameters, key: 'accounts' },
      [paths.history]: { sql: history!.sql, parameters: history!.parameters, key: 'entries', limit: HISTORY_PAGE_SIZE },
    };
    const basePort = await freePort();
    const baseUrl = `http://127.0.0.1:${basePort}`;
    const base = start('bench/baseline-routes.ts', { PORT: String(basePort), DATABASE_URL: database.url, BASELINE_ROUTES: JSON.stringify(baseRoutes) });
    children.push(base);
    await waitFor(`${baseUrl}${paths.small}`);

    const sessionFor = async (workspaceId: string) => {
      const minted = await fetch(`${bffUrl}/v1/sessions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${hostApiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ workspaceId, userId: 'bench', role: 'member', ttlSeconds: 86_400 }),
      });
      if (minted.status !== 201) throw new Error(`POST /v1/sessions answered ${minted.status}`);
      return { Authorization: `Bearer ${((await minted.json()) as { token: string }).token}` };
    };
    const bigAuth = await sessionFor(BIG);
    const smallAuth = await sessionFor(SMALL);

    const check = async (p: string, headers: Record<string, string>, key: string, expected: number) => {
      for (const [url, h] of [[bffUrl, headers], [baseUrl, {}]] as const) {
        const body = (await (await fetch(`${url}${p}`, { headers: h })).json()) as Record<string, unknown[]>;
        if (body[key]?.length !== expected) throw new Error(`${url}${p}: expected ${expected} ${key}, got ${body[key]?.length}`);
      }
    };
    await check(paths.big, bigAuth, 'accounts', FIRST_PAGE);
    await check(paths.small, smallAuth, 'accounts', SMALL_ACCOUNTS);
    await check(paths.history, bigAuth, 'entries', HISTORY_PAGE_SIZE);

    const load = (url: string, headers: Record<string, string>, duration: number) => autocannon({ url, connections: CONNECTIONS, duration, headers });
    // CPU time each server spends per request (user + system, from /proc): steadier than
    // requests per second on a small machine, where the load generator and PostgreSQL share it.
    type Measured = { result: Result; cpuMs: number };
    const measured = async (child: ChildProcess, url: string, headers: Record<string, string>): Promise<Measured> => {
      const before = await cpuMs(child.pid!);
      const result = await load(url, headers, SECONDS);
      return { result, cpuMs: (await cpuMs(child.pid!)) - before };
    };
    const overall = (runs: Measured[]) => {
      const requests = runs.reduce((sum, r) => sum + r.result.requests.total, 0);
      return { rps: requests / runs.reduce((sum, r) => sum + r.result.duration, 0), cpuUs: (runs.reduce((sum, r) => sum + r.cpuMs, 0) * 1000) / requests };
    };
    // Each server ROUNDS times in short runs, taking turns, so a change in the machine's load
    // (this 2-core machine's throughput drifts by a quarter within a minute) weighs on both.
    const pair = async (p: string, headers: Record<string, string>) => {
      await load(`${baseUrl}${p}`, {}, 2);
      await load(`${bffUrl}${p}`, headers, 2);
      const b: Measured[] = [];
      const f: Measured[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        b.push(await measured(base, `${baseUrl}${p}`, {}));
        f.push(await measured(bff, `${bffUrl}${p}`, headers));
      }
      for (const { result: r } of [...b, ...f]) if (r.errors > 0 || r.non2xx > 0 || r.timeouts > 0) throw new Error(`failed requests under load on ${p}: ${r.errors} errors, ${r.non2xx} non-2xx`);
      const [bffAll, baseAll] = [overall(f), overall(b)];
      return { bff: bffAll.rps, base: baseAll.rps, bffCpuUs: bffAll.cpuUs, baseCpuUs: baseAll.cpuUs };
    };
    const bigRun = await pair(paths.big, bigAuth);
    const historyRun = await pair(paths.history, bigAuth);
    const smallRun = await pair(paths.small, smallAuth);
    notes.push(
      `Agencies: ${CONNECTIONS} connections, ${ROUNDS} x ${SECONDS} s per server after a 2 s warm-up, taking turns; the BFF is dist/bff/main.js (request logs on, to /dev/null) on PostgreSQL; the baseline runs the same SQL and sends as many rows (the first ${FIRST_PAGE} of ${BIG_ACCOUNTS.toLocaleString('en')}, a ${HISTORY_PAGE_SIZE}-entry history page of ${HISTORY_ENTRIES}, all ${SMALL_ACCOUNTS}).`,
    );
    return [
      atLeast(`BFF GET /api/accounts?limit=${FIRST_PAGE} (${BIG_ACCOUNTS} accounts) / bare node:http + pg`, bigRun.bff / bigRun.base, 'x', 0.8),
      reference('  BFF first page, requests per second', bigRun.bff, 'req/s'),
      reference('  baseline, requests per second', bigRun.base, 'req/s'),
      reference('  BFF CPU time per first page', bigRun.bffCpuUs, 'µs'),
      reference('  baseline CPU time per first page', bigRun.baseCpuUs, 'µs'),
      atLeast('BFF GET /api/accounts/:id/history / bare node:http + pg', historyRun.bff / historyRun.base, 'x', 0.8),
      reference('  BFF history page, requests per second', historyRun.bff, 'req/s'),
      reference('  baseline, requests per second', historyRun.base, 'req/s'),
      reference('  BFF CPU time per history page', historyRun.bffCpuUs, 'µs'),
      reference('  baseline CPU time per history page', historyRun.baseCpuUs, 'µs'),
      atLeast(`BFF GET /api/accounts (${SMALL_ACCOUNTS} accounts) / bare node:http + pg`, smallRun.bff / smallRun.base, 'x', 0.8),
      reference('  BFF 200-account list, requests per second', smallRun.bff, 'req/s'),
      reference('  baseline, requests per second', smallRun.base, 'req/s'),
      reference('  BFF CPU time per 200-account list', smallRun.bffCpuUs, 'µs'),
      reference('  baseline CPU time per 200-account list', smallRun.baseCpuUs, 'µs'),
    ];
  } finally {
    await Promise.all(children.map(stop));
    await rm(dataDir, { recursive: true, force: true });
    await database.drop();
  }
}
