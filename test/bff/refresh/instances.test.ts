import { describe, it, before, after } from 'node:test';
import { spawn } from 'node:child_process';
import path from 'node:path';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createServices, type Services } from '../../../bff/services.ts';
import { OffsetClock } from '../../../bff/clock.ts';
import { decryptCredentials, encryptCredentials } from '../../../bff/accounts/credentials.ts';
import { LEASE_MS } from '../../../bff/refresh/policy.ts';
import { connectAccount, startTestServer, type TestServer } from '../../helpers/server.ts';

const ACCOUNTS = 1_000;
const DAY_MS = 86_400_000;

/**
 * Several BFF instances on one database: each with its own services and connection pool
 * (on PostgreSQL), sharing the sandbox and its clock as instances behind a load balancer do.
 */
describe('refreshing with several instances on one database', () => {
  let server: TestServer;
  let template: { workspaceId: string; accountId: string };

  before(async () => {
    server = await startTestServer();
    await server.putWorkspace('template', { plan: 'free' });
    const token = await server.session('template');
    const { result } = await connectAccount(server, token, { platform: 'facebook', user: '100000000000002' });
    template = { workspaceId: 'template', accountId: result.accountIds![0]! };
  });
  after(() => server.close());

  function instance(name: string, wallClock = server.wallClock): Services {
    return createServices({ config: server.config, database: server.database.another(), logger: server.logger, clock: server.clock, wallClock, scheduler: { batchSize: 50, concurrency: 8 } });
  }

  /** `count` copies of the template Page, one per workspace, all inside the refresh window. */
  async function seedDueAccounts(prefix: string, count: number): Promise<string[]> {
    const row = (await server.services.accountRepository.findById(template.accountId))!;
    const credentials = decryptCredentials(server.services.cipher, row);
    const now = server.clock.now();
    const ids: string[] = [];
    const db = server.database.db;
    for (let start = 0; start < count; start += 250) {
      const batch = Array.from({ length: Math.min(250, count - start) }, (_, i) => `${prefix}-${start + i}`);
      await db.insertInto('workspaces').values(batch.map((id) => ({ id, plan: 'enterprise', created_at: now, updated_at: now }))).execute();
      await db
        .insertInto('social_accounts')
        .values(
          batch.map((workspaceId) => {
            const id = randomUUID();
            ids.push(id);
            return {
              ...row,
              id,
              workspace_id: workspaceId,
              ...encryptCredentials(server.services.cipher, id, credentials),
              token_expires_at: new Date(now.getTime() + 5 * DAY_MS),
              next_check_at: now,
              last_refreshed_at: null,
              lease_owner: null,
              lease_expires_at: null,
              created_at: now,
              updated_at: now,
            };
          }),
        )
        .execute();
    }
    return ids;
  }

  const tokenRequests = async () => ((await (await fetch(`${server.sandboxUrl}/control/stats`)).json()) as { tokenRequests: { facebook: number } }).tokenRequests.facebook;

  async function refreshedCount(ids: string[]): Promise<number> {
    const { rows } = await sql<{ n: string | number }>`select count(*) as n from social_accounts where id = any(${ids}::uuid[]) and last_refreshed_at is not null`.execute(server.database.db);
    return Number(rows[0]!.n);
  }

  it(`two instances refreshing ${ACCOUNTS} due accounts at once make exactly one token request per account`, { timeout: 240_000 }, async () => {
    const ids = await seedDueAccounts('pair', ACCOUNTS);
    const a = instance('a');
    const b = instance('b');
    const before = await tokenRequests();
    const [byA, byB] = await Promise.all([a.scheduler.runOnce(), b.scheduler.runOnce()]);
    assert.equal(await tokenRequests(), before + ACCOUNTS, 'one token request per account, none twice');
    assert.equal(await refreshedCount(ids), ACCOUNTS);
    assert.equal(byA + byB, ACCOUNTS);
    if (server.database.kind === 'postgres') assert.ok(byA > 0 && byB > 0, `both instances took a share (${byA} / ${byB})`);
    const { rows } = await sql<{ n: string | number }>`select count(*) as n from social_accounts where lease_owner is not null`.execute(server.database.db);
    assert.equal(Number(rows[0]!.n), 0, 'every lease released');
  });

  it("finishes the work of an instance that died holding leases, once they run out", { timeout: 120_000 }, async () => {
    const ids = await seedDueAccounts('dead', 40);
    // An instance claims a batch and dies before doing anything with it.
    const deadWall = new OffsetClock();
    const dead = instance('dead', deadWall);
    const now = server.wallClock.now();
    const claimed = await dead.accountRepository.claimDue(dead.refresh.instanceId, server.clock.now(), now, new Date(now.getTime() + LEASE_MS), 40);
    assert.equal(claimed.length, 40);

    const survivor = instance('survivor');
    assert.equal(await survivor.scheduler.runOnce(), 0, 'leased accounts are left alone while the lease holds');
    server.wallClock.advance(LEASE_MS / 1000 + 1);
    const before = await tokenRequests();
    assert.equal(await survivor.scheduler.runOnce(), 40);
    assert.equal(await tokenRequests(), before + 40);
    assert.equal(await refreshedCount(ids), 40);
  });

  it(
    'leaves every account usable when an instance is killed with SIGKILL in the middle of a pass',
    // A second process needs a database it can reach: PGlite lives inside this one.
    { timeout: 120_000, skip: process.env.DATABASE_URL ? false : 'needs PostgreSQL (DATABASE_URL): PGlite cannot be shared with a second process' },
    async () => {
      const ids = await seedDueAccounts('killed', 20);
      // The platform hangs, so the worker is caught holding its leases with requests in flight.
      await fetch(`${server.sandboxUrl}/control/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ platform: 'facebook', kind: 'timeout', count: 20 }) });
      const before = await tokenRequests();
      const worker = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../../helpers/refresh-worker.ts')], {
        env: {
          PATH: process.env.PATH,
          WORKER_CONFIG: JSON.stringify({
            config: { ...server.config, sandboxUrl: server.sandboxUrl, tokenEncryptionKeys: server.config.tokenEncryptionKeys.map((k) => ({ id: k.id, key: k.key.toString('base64') })) },
            postgres: server.database.postgres,
          }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      worker.stdout.on('data', (d) => (output += d));
      worker.stderr.on('data', (d) => (output += d));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => worker.on('exit', (_code, signal) => resolve(signal)));
      const leased = async () => {
        const { rows } = await sql<{ n: string | number }>`select count(*) as n from social_accounts where id = any(${ids}::uuid[]) and lease_owner is not null`.execute(server.database.db);
        return Number(rows[0]!.n);
      };
      const deadline = Date.now() + 60_000;
      while (!((await leased()) > 0 && (await tokenRequests()) > before) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.ok((await leased()) > 0, `the worker never got going: ${output}`);
      worker.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');
      await fetch(`${server.sandboxUrl}/control/faults`, { method: 'DELETE' });

      const survivor = instance('survivor');
      server.wallClock.advance(LEASE_MS / 1000 + 1);
      assert.equal(await survivor.scheduler.runOnce(), 20);
      assert.equal(await refreshedCount(ids), 20);
      for (const id of ids) {
        const res = await fetch(`${server.url}/v1/accounts/${id}/credentials`, { headers: { Authorization: `Bearer ${server.config.hostApiKey}` } });
        assert.equal(res.status, 200, await res.text());
      }
    },
  );
});
