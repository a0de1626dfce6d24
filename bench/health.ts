import { randomUUID } from 'node:crypto';
import { decryptCredentials, encryptCredentials } from '../bff/accounts/credentials.ts';
import type { NewSocialAccount, SocialAccountRow } from '../bff/db/database.ts';
import { auth } from '../test/helpers/context.ts';
import { connectAccount, startTestServer, type TestServer } from '../test/helpers/server.ts';
import { atMost, exactly, reference, type Figure } from './report.ts';
import { insertAccounts, insertWorkspaces } from './seed.ts';

/** BENCH_HEALTH_SCALE=0.1 runs a tenth of the mix (a quick look while working on it). */
const SCALE = Number(process.env.BENCH_HEALTH_SCALE ?? 1);
const HOUR_S = 3_600;
const MIX = { facebookGrants: 100, pagesPerGrant: 4, instagram: 200, tiktok: 150, x: 150, linkedin: 100 };
const n = (count: number) => Math.max(1, Math.round(count * SCALE));

interface Stats {
  requests: Record<string, Record<string, number>>;
  xBilledReads: number;
  total: number;
}

/**
 * 5. Health: a realistic agency mix (1,000 accounts: 400 Facebook Pages under 100 grants,
 * 200 Instagram, 150 TikTok, 150 X, 100 LinkedIn members) over a simulated day, counted by
 * the sandbox's stats: background platform calls per account per day, the same with the panel
 * open all day (POST /api/health-check every hour in every workspace), billed X reads, and the
 * time from a revocation to amber per platform, by push and by verification.
 */
export async function healthBenchmark(notes: string[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  const day = await simulatedDay(notes);
  const accounts = day.accounts;
  figures.push(atMost('background: platform calls per account per day', round(day.background.total / accounts), 'calls', 2));
  figures.push(reference('background: platform calls in the day', day.background.total, 'calls'));
  figures.push(atMost('panel open all day: platform calls per grant per hour', round(day.panel.total / day.grants / 24), 'calls', 1));
  figures.push(exactly('billed X reads for health (both runs)', day.background.xBilledReads + day.panel.xBilledReads, 'reads', 0));
  notes.push(`health mix: ${accounts} accounts under ${day.grants} grants; background by endpoint ${JSON.stringify(flatten(day.background))}; panel open by endpoint ${JSON.stringify(flatten(day.panel))}`);
  for (const r of await revocations()) {
    const budget = r.signal === 'push' ? 1 / 60 : r.panel ? 1 : 24;
    figures.push(atMost(`revocation to amber, ${r.platform}, ${r.signal}${r.signal === 'verification' ? (r.panel ? ' (panel open)' : ' (background)') : ''}`, round(r.hours), 'h', budget));
  }
  return figures;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function flatten(s: Stats): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [platform, endpoints] of Object.entries(s.requests)) for (const [e, c] of Object.entries(endpoints)) out[`${platform} ${e}`] = c;
  return out;
}

async function stats(server: TestServer, reset = false): Promise<Stats> {
  const res = await fetch(`${server.sandboxUrl}/control/${reset ? 'reset-stats' : 'stats'}`, { method: reset ? 'POST' : 'GET' });
  return (await res.json()) as Stats;
}

async function connectOne(server: TestServer, workspace: string, platform: string, user: string): Promise<string[]> {
  await server.putWorkspace(workspace, { plan: 'enterprise' });
  const { result } = await connectAccount(server, await server.session(workspace), { platform, user });
  if (result.status !== 'connected') throw new Error(`${platform} connect: ${JSON.stringify(result)}`);
  return result.accountIds!;
}

/** A copy of a connected account, as another account of another grant (the same live tokens). */
function clone(server: TestServer, template: SocialAccountRow, workspaceId: string, i: number, grant: string): NewSocialAccount {
  const id = randomUUID();
  const credentials = decryptCredentials(server.services.cipher, template);
  const { id: _id, workspace_id: _w, created_at: _c, ...rest } = template;
  return {
    ...rest,
    id,
    workspace_id: workspaceId,
    platform_account_id: `${template.platform_account_id}-${i}`,
    platform_user_id: grant,
    ...encryptCredentials(server.services.cipher, id, credentials),
  };
}

async function simulatedDay(notes: string[]) {
  const server = await startTestServer();
  try {
    // Facebook Pages and Instagram accounts: live tokens copied (Meta tokens do not rotate);
    // TikTok, X and LinkedIn: each a grant of its own, connected for real (their tokens rotate).
    const fb = (await server.services.accountRepository.findById((await connectOne(server, 'template-fb', 'facebook', '100000000000002'))[0]!))!;
    const ig = (await server.services.accountRepository.findById((await connectOne(server, 'template-ig', 'instagram', '17841400000000011'))[0]!))!;
    const workspaces = Array.from({ length: 10 }, (_, i) => `agency-${i}`);
    const now = server.clock.now();
    await insertWorkspaces(server.database.db, workspaces, 'enterprise', now);
    const rows: NewSocialAccount[] = [];
    for (let g = 0; g < n(MIX.facebookGrants); g++) {
      for (let p = 0; p < MIX.pagesPerGrant; p++) rows.push(clone(server, fb, workspaces[g % 10]!, g * 10 + p, `fb-user-${g}`));
    }
    for (let i = 0; i < n(MIX.instagram); i++) rows.push(clone(server, ig, workspaces[i % 10]!, i, `ig-user-${i}`));
    await insertAccounts(server.database.db, rows);
    const started = performance.now();
    let real = 0;
    for (const [platform, count, users] of [
      ['tiktok', n(MIX.tiktok), ['tt-open-0001', 'tt-open-0002']],
      ['x', n(MIX.x), ['1700000000000000001', '1700000000000000002']],
      ['linkedin', n(MIX.linkedin), ['Pw7tLm2xYc']],
    ] as const) {
      for (let i = 0; i < count; i++) {
        await connectOne(server, `${platform}-${i}`, platform, users[i % users.length]!);
        real++;
      }
    }
    notes.push(`health: ${real} TikTok, X and LinkedIn grants connected through the sandbox in ${Math.round(performance.now() - started)} ms`);
    // The templates leave the mix.
    await server.database.db.updateTable('social_accounts').set({ disconnected_at: now }).where('workspace_id', 'like', 'template-%').execute();
    const accounts = rows.length + real;
    const grants = n(MIX.facebookGrants) + n(MIX.instagram) + real;
    const sessions = await Promise.all(
      [...workspaces, ...['tiktok', 'x', 'linkedin'].flatMap((p) => Array.from({ length: n((MIX as Record<string, number>)[p]!) }, (_, i) => `${p}-${i}`))].map((w) => server.session(w)),
    );

    // Day 1 is the connect day; day 2 is measured: background only, the scheduler polling every 10 minutes.
    server.clock.advance(24 * HOUR_S);
    await server.services.scheduler.runOnce();
    await stats(server, true);
    for (let step = 0; step < 24 * 6; step++) {
      server.clock.advance(600);
      await server.services.scheduler.runOnce();
    }
    const background = await stats(server);

    // Day 3: the panel open all day in every workspace (a health check every hour), background too.
    await stats(server, true);
    for (let hour = 0; hour < 24; hour++) {
      for (const token of sessions) await fetch(`${server.url}/api/health-check`, { method: 'POST', headers: auth(token) });
      for (let step = 0; step < 6; step++) {
        server.clock.advance(600);
        await server.services.scheduler.runOnce();
      }
    }
    const panel = await stats(server);
    return { accounts, grants, background, panel };
  } finally {
    await server.close();
  }
}

/** Simulated hours from a revocation to amber, per platform and signal. */
async function revocations(): Promise<{ platform: string; signal: 'push' | 'verification'; panel: boolean; hours: number }[]> {
  const out: { platform: string; signal: 'push' | 'verification'; panel: boolean; hours: number }[] = [];
  const cases = [
    { platform: 'facebook', user: '100000000000002', push: true },
    { platform: 'instagram', user: '17841400000000011', push: true },
    { platform: 'tiktok', user: 'tt-open-0001', push: true },
    { platform: 'x', user: '1700000000000000002', push: false },
    { platform: 'linkedin', user: 'Pw7tLm2xYc', push: false },
  ];
  for (const c of cases) {
    for (const mode of [...(c.push ? (['push'] as const) : []), 'background', 'panel'] as const) {
      const server = await startTestServer();
      try {
        const workspace = `rev-${c.platform}-${mode}`;
        const [id] = await connectOne(server, workspace, c.platform, c.user);
        const token = await server.session(workspace);
        // Revoked some time into the account's life, after the first daily check.
        server.clock.advance(24 * HOUR_S + 600);
        await server.services.scheduler.runOnce();
        server.clock.advance(5 * HOUR_S + 1_234);
        const row = (await server.services.accountRepository.findById(id!))!;
        const revokedAt = server.clock.now().getTime();
        await fetch(`${server.sandboxUrl}/control/revoke`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ platform: c.platform, platformAccountId: row.platform_account_id, ...(mode === 'push' ? { by: 'user' } : {}) }),
        });
        const amber = async () => {
          const res = await fetch(`${server.url}/api/accounts`, { headers: auth(token) });
          return ((await res.json()) as { accounts: { id: string; health: string }[] }).accounts.find((a) => a.id === id)?.health !== 'healthy';
        };
        let lastPanel = revokedAt - 30 * 60_000; // the panel's hourly check happened half an hour ago
        for (let step = 0; step < 30 * 60 && !(await amber()); step++) {
          server.clock.advance(60); // the poll loop: every minute in this simulation (JOBS_POLL_SECONDS 30 is finer)
          await server.services.scheduler.runOnce();
          if (mode === 'panel' && server.clock.now().getTime() - lastPanel >= HOUR_S * 1000) {
            lastPanel = server.clock.now().getTime();
            await fetch(`${server.url}/api/health-check`, { method: 'POST', headers: auth(token) });
          }
        }
        out.push({ platform: c.platform, signal: mode === 'push' ? 'push' : 'verification', panel: mode === 'panel', hours: (server.clock.now().getTime() - revokedAt) / 3_600_000 });
      } finally {
        await server.close();
      }
    }
  }
  return out;
}
