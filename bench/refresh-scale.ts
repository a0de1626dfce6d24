import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import { AccountRepository } from '../bff/accounts/account.repository.ts';
import { decryptCredentials, encryptCredentials } from '../bff/accounts/credentials.ts';
import type { NewSocialAccount } from '../bff/db/database.ts';
import { LEASE_MS } from '../bff/refresh/policy.ts';
import { DEFAULT_SCHEDULER, type SchedulerOptions } from '../bff/refresh/scheduler.ts';
import { connectAccount, startTestServer, type TestServer } from '../test/helpers/server.ts';
import { Child } from './child.ts';
import { createBenchDatabase } from './postgres.ts';
import { atMost, exactly, holds, reference, type Figure } from './report.ts';
import { accountRow, insertAccounts, insertWorkspaces } from './seed.ts';
import { capturedQueries } from './sql.ts';
import type { WorkerInput } from './refresh-worker.ts';

/** BENCH_REFRESH_SCALE=0.1 runs a tenth of the size (a quick look while working on it). */
const SCALE = Number(process.env.BENCH_REFRESH_SCALE ?? 1);
const TOTAL = Math.round(100_000 * SCALE);
const DUE = Math.round(10_000 * SCALE);
const PER_WORKSPACE = TOTAL / DUE;
const DAY_MS = 86_400_000;
/** The production settings (batches of 100, 8 platform calls at once per instance). */
const SCHEDULER: SchedulerOptions = DEFAULT_SCHEDULER;

/**
 * 4. Refresh at scale: 100,000 accounts in 10,000 workspaces, 10,000 of them (a Facebook Page
 * each, connected for real through the sandbox, inside the 7-day window) due. Shows the claim
 * query's plan; runs one full pass with one instance, then (the same accounts due again) with
 * two, each instance a process of its own with the production scheduler settings, all
 * refreshing against one sandbox over HTTP.
 */
export async function refreshScale(notes: string[]): Promise<Figure[]> {
  const database = await createBenchDatabase();
  const previous = process.env.DATABASE_URL;
  let server: TestServer | undefined;
  try {
    // The test server puts its schema in the database DATABASE_URL names: the benchmark's own.
    process.env.DATABASE_URL = database.url;
    try {
      server = await startTestServer();
    } finally {
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
    }
    const s = server;
    const db = s.database.db;

    await s.putWorkspace('template', { plan: 'free' });
    const { result } = await connectAccount(s, await s.session('template'), { platform: 'facebook', user: '100000000000002' });
    const template = (await s.services.accountRepository.findById(result.accountIds![0]!))!;
    const credentials = decryptCredentials(s.services.cipher, template);

    const seeding = performance.now();
    const now = s.clock.now();
    const workspaces = Array.from({ length: DUE }, (_, i) => `ws-${String(i).padStart(5, '0')}`);
    await insertWorkspaces(db, workspaces, 'enterprise', now);
    const dueIds: string[] = [];
    const rows: NewSocialAccount[] = [];
    workspaces.forEach((workspaceId, w) => {
      const id = randomUUID();
      dueIds.push(id);
      rows.push({
        ...template,
        id,
        workspace_id: workspaceId,
        ...encryptCredentials(s.services.cipher, id, credentials),
        token_expires_at: new Date(now.getTime() + 5 * DAY_MS),
        next_check_at: new Date(now.getTime() - (w % 600) * 1_000),
        last_refreshed_at: null,
        lease_owner: null,
        lease_expires_at: null,
        created_at: now,
        updated_at: now,
      });
      for (let i = 1; i < PER_WORKSPACE; i++) {
        // Checked within the next hour: not due during the pass.
        rows.push(accountRow(s.services.cipher, workspaceId, i, now, { next_check_at: new Date(now.getTime() + 10 * 60_000 + ((w * PER_WORKSPACE + i) % 3_000) * 1_000) }));
      }
    });
    await insertAccounts(db, rows);
    await sql`analyze`.execute(db);
    const seedSeconds = (performance.now() - seeding) / 1000;

    // The claim query exactly as the scheduler sends it, planned and run (then rolled back).
    const wallNow = s.wallClock.now();
    const [claim] = await capturedQueries((d) => new AccountRepository(d).claimDue('explain', s.clock.now(), wallNow, new Date(wallNow.getTime() + LEASE_MS), SCHEDULER.batchSize));
    let plan = '';
    await db
      .transaction()
      .execute(async (trx) => {
        const { rows: lines } = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, buffers) ${claim!.sql}`, [...claim!.parameters]));
        plan = lines.map((l) => l['QUERY PLAN']).join('\n');
        throw new RolledBack();
      })
      .catch((err) => {
        if (!(err instanceof RolledBack)) throw err;
      });
    const usesIndex = /Index Scan using social_accounts_due_idx/.test(plan) && !/Seq Scan on social_accounts/.test(plan);
    const claimMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1]);
    notes.push(`Claim query (${SCHEDULER.batchSize} of ${DUE.toLocaleString('en')} due among ${TOTAL.toLocaleString('en')}), EXPLAIN (ANALYZE, BUFFERS):\n${claim!.sql}\n${plan}`);

    const workerInput: WorkerInput = {
      config: { ...s.config, sandboxUrl: s.sandboxUrl, tokenEncryptionKeys: s.config.tokenEncryptionKeys.map((k) => ({ id: k.id, key: k.key.toString('base64') })) },
      postgres: s.database.postgres!,
      scheduler: SCHEDULER,
    };
    const tokenRequests = async () => ((await (await fetch(`${s.sandboxUrl}/control/stats`)).json()) as { tokenRequests: { facebook: number } }).tokenRequests.facebook;
    const refreshed = async () => {
      const { rows: counted } = await sql<{ n: string }>`select count(*) as n from social_accounts where id = any(${dueIds}::uuid[]) and last_refreshed_at is not null`.execute(db);
      return Number(counted[0]!.n);
    };

    /** One full pass by `instances` fresh instances started together; the time until the last one finishes. */
    const pass = async (instances: number) => {
      const workers = Array.from({ length: instances }, () => new Child(new URL('./refresh-worker.ts', import.meta.url), { BENCH_WORKER: JSON.stringify(workerInput) }));
      try {
        await Promise.all(workers.map((w) => w.next('ready', 60_000)));
        const before = await tokenRequests();
        const started = performance.now();
        const done = await Promise.all(workers.map((w) => w.ask({ type: 'go' }, 'done')));
        const seconds = (performance.now() - started) / 1000;
        return { seconds, processed: done.map((d) => d.processed as number), tokenRequests: (await tokenRequests()) - before, refreshed: await refreshed() };
      } finally {
        for (const w of workers) w.send({ type: 'exit' });
        await Promise.all(workers.map((w) => w.stop()));
      }
    };

    const one = await pass(1);
    // The same accounts due again, as if their next window had come.
    await sql`update social_accounts set next_check_at = ${s.clock.now()}, token_expires_at = ${new Date(s.clock.now().getTime() + 5 * DAY_MS)}, last_refreshed_at = null where id = any(${dueIds}::uuid[])`.execute(db);
    const two = await pass(2);
    notes.push(
      `Refresh at scale: seeded ${TOTAL.toLocaleString('en')} accounts in ${seedSeconds.toFixed(1)} s; scheduler batches of ${SCHEDULER.batchSize}, ${SCHEDULER.concurrency} platform calls at once per instance; ` +
        `each refresh is a Facebook Page's user-token exchange plus a read of its Page token (2 sandbox requests) and one transaction; two instances split the pass ${two.processed.join(' / ')}.`,
    );
    const n = DUE.toLocaleString('en');
    return [
      holds('refresh claim query uses social_accounts_due_idx (EXPLAIN)', usesIndex, 'index scan, no seq scan'),
      reference(`refresh claim query, ${SCHEDULER.batchSize} rows (EXPLAIN ANALYZE)`, claimMs, 'ms'),
      reference('refreshes per second, one instance', DUE / one.seconds, '/s'),
      atMost(`refresh pass, ${n} due of ${TOTAL.toLocaleString('en')}, one instance`, one.seconds, 's', 3_600),
      atMost(`refresh pass, ${n} due, two instances`, two.seconds, 's', 3_600),
      reference('refreshes per second, two instances', DUE / two.seconds, '/s'),
      reference('refresh pass speed-up with two instances', one.seconds / two.seconds, 'x'),
      exactly(`token requests in one pass, one instance`, one.tokenRequests, 'requests', DUE),
      exactly(`token requests in one pass, two instances`, two.tokenRequests, 'requests', DUE),
      exactly(`accounts refreshed, two instances`, two.refreshed, 'accounts', DUE),
      exactly(`accounts processed, two instances together`, two.processed.reduce((a, b) => a + b, 0), 'accounts', DUE),
    ];
  } finally {
    await server?.close();
    await database.drop();
  }
}

class RolledBack extends Error {}
