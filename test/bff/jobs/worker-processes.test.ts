import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { connectPostgres } from '../../../bff/db/connect.ts';
import { TokenCipher, parseKeyList } from '../../../bff/crypto/token-cipher.ts';
import { decryptCredentials, encryptCredentials } from '../../../bff/accounts/credentials.ts';
import { EVENT_ID_HEADER } from '../../../bff/webhooks/signature.ts';
import { connectAccount, type TestServer } from '../../helpers/server.ts';
import { freePort } from '../../helpers/free-port.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const ACCOUNTS = 30;
const DAY_MS = 86_400_000;


/** A process run the way a host runs the package's bin, with its output kept for failures. */
function run(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const pkgBin = path.join(root, 'bin', 'connections-panel-bff.js');
  const child = spawn(process.execPath, [pkgBin, ...args], { cwd: os.tmpdir(), env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return { child, output: () => output, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, output: () => string, ms = 90_000): Promise<void> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`${what} did not happen:\n${output()}`);
}

/**
 * SPEC "Running the BFF": one web process (JOBS=off) and two workers
 * (`connections-panel-bff worker`) as real processes on one PostgreSQL share the background
 * work: every due account is refreshed exactly once, every webhook delivered exactly once.
 */
describe('a web process and two workers on one PostgreSQL', () => {
  it(
    'refresh every due account exactly once and deliver every webhook exactly once',
    { timeout: 240_000, skip: process.env.DATABASE_URL ? false : 'needs PostgreSQL (DATABASE_URL): workers share a database across processes' },
    async () => {
      // A database of its own, so reruns and other test files never collide.
      const adminUrl = new URL(process.env.DATABASE_URL!);
      const name = `cp_workers_${process.pid}_${randomBytes(3).toString('hex')}`;
      const admin = connectPostgres({ connectionString: adminUrl.href, max: 1 });
      await sql`create database ${sql.id(name)}`.execute(admin.db);
      const dbUrl = new URL(adminUrl.href);
      dbUrl.pathname = `/${name}`;

      const received = new Map<string, number>();
      const receiver = http.createServer((req, res) => {
        const id = String(req.headers[EVENT_ID_HEADER.toLowerCase()]);
        received.set(id, (received.get(id) ?? 0) + 1);
        req.resume();
        req.on('end', () => res.writeHead(204).end());
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cp-workers-'));
      const keys = `k1:${randomBytes(32).toString('base64')}`;
      const hostKey = `host-${randomBytes(24).toString('hex')}`;
      const webPort = await freePort();
      const web = `http://127.0.0.1:${webPort}`;
      const shared = {
        DATABASE_URL: dbUrl.href,
        HOST: '127.0.0.1',
        HOST_API_KEY: hostKey,
        TOKEN_ENCRYPTION_KEYS: keys,
        PUBLIC_URL: web,
        ALLOWED_ORIGINS: `${web},https://host.example`,
        WEBHOOK_URL: webhookUrl,
        WEBHOOK_SECRET: 'whsec-test-secret-0123456789',
        RATE_LIMIT_PER_MINUTE: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
      };
      const processes: ReturnType<typeof run>[] = [];
      const database = connectPostgres({ connectionString: dbUrl.href, max: 2 });
      const allOutput = () => processes.map((p, i) => `--- process ${i}\n${p.output()}`).join('\n');
      try {
        const webProcess = run([], { ...shared, PORT: String(webPort), JOBS: 'off' });
        processes.push(webProcess);
        await waitFor('the web process starting', () => /Open http/.test(webProcess.output()), allOutput);
        const ready = (await (await fetch(`${web}/readyz`)).json()) as { jobs: boolean };
        assert.equal(ready.jobs, false, 'the web process says it runs no background work');

        // One account connected through the web process and its sandbox, then copied into due accounts.
        const host = { Authorization: `Bearer ${hostKey}`, 'Content-Type': 'application/json' };
        assert.equal((await fetch(`${web}/v1/workspaces/template`, { method: 'PUT', headers: host, body: JSON.stringify({ plan: 'free' }) })).status, 201);
        const session = (await (await fetch(`${web}/v1/sessions`, { method: 'POST', headers: host, body: JSON.stringify({ workspaceId: 'template', userId: 'u', role: 'admin' }) })).json()) as { token: string };
        const { result } = await connectAccount({ url: web } as TestServer, session.token, { platform: 'facebook', user: '100000000000002' });
        assert.equal(result.status, 'connected');
        const cipher = new TokenCipher(parseKeyList(keys));
        const template = await database.db.selectFrom('social_accounts').selectAll().where('id', '=', result.accountIds![0]!).executeTakeFirstOrThrow();
        const credentials = decryptCredentials(cipher, template);
        const now = new Date();
        const ids: string[] = [];
        await database.db.insertInto('workspaces').values(Array.from({ length: ACCOUNTS }, (_, i) => ({ id: `due-${i}`, plan: 'enterprise', created_at: now, updated_at: now }))).execute();
        await database.db
          .insertInto('social_accounts')
          .values(
            Array.from({ length: ACCOUNTS }, (_, i) => {
              const id = randomUUID();
              ids.push(id);
              return {
                ...template,
                id,
                workspace_id: `due-${i}`,
                ...encryptCredentials(cipher, id, credentials),
                token_expires_at: new Date(now.getTime() + 5 * DAY_MS),
                next_check_at: now,
                last_refreshed_at: null,
                created_at: now,
                updated_at: now,
              };
            }),
          )
          .execute();
        const tokenRequests = async () => ((await (await fetch(`${web}/sandbox/control/stats`)).json()) as { tokenRequests: { facebook: number } }).tokenRequests.facebook;
        const before = await tokenRequests();

        const workers = [0, 1].map(() => null);
        for (const _ of workers) {
          const port = await freePort();
          const worker = run(['worker'], { ...shared, PORT: String(port), JOBS_POLL_SECONDS: '1' });
          processes.push(worker);
          await waitFor('a worker starting', () => /worker is running/.test(worker.output()), allOutput);
          assert.deepEqual(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json(), { status: 'ok' });
          assert.equal(((await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { jobs: boolean }).jobs, true);
        }

        const refreshed = async () =>
          Number((await sql<{ n: string }>`select count(*) as n from social_accounts where id = any(${ids}::uuid[]) and last_refreshed_at is not null`.execute(database.db)).rows[0]!.n);
        const pending = async () => Number((await sql<{ n: string }>`select count(*) as n from webhook_deliveries where status <> 'delivered'`.execute(database.db)).rows[0]!.n);
        await waitFor('every due account refreshed and every webhook delivered', async () => (await refreshed()) === ACCOUNTS && (await pending()) === 0, allOutput);
        // A few more polls: anything done twice would show now.
        await new Promise((r) => setTimeout(r, 3_000));

        assert.equal(await tokenRequests(), before + ACCOUNTS, 'one token request per due account, none twice');
        const perAccount = await database.db.selectFrom('events').select(['account_id', (eb) => eb.fn.countAll<string>().as('n')]).where('type', '=', 'token_refreshed').groupBy('account_id').execute();
        assert.equal(perAccount.length, ACCOUNTS);
        assert.ok(perAccount.every((row) => Number(row.n) === 1), 'one token_refreshed event per account');
        const eventIds = (await database.db.selectFrom('events').select('id').execute()).map((e) => String(e.id));
        assert.ok(eventIds.length > ACCOUNTS);
        assert.deepEqual([...received.keys()].sort(), [...eventIds].sort(), 'every event delivered');
        assert.ok([...received.values()].every((n) => n === 1), `every event delivered once: ${JSON.stringify([...received].filter(([, n]) => n !== 1))}`);

        // SIGTERM: each process drains and exits cleanly.
        for (const p of processes) p.child.kill('SIGTERM');
        assert.deepEqual(await Promise.all(processes.map((p) => p.exited)), processes.map(() => 0), allOutput());
      } finally {
        for (const p of processes) p.child.kill('SIGKILL');
        await database.close();
        receiver.close();
        await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db).catch(() => {});
        await admin.close();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  );
});
