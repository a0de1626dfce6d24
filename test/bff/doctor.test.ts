/**
 * `connections-panel-bff doctor` (issue 15): per platform sandbox or real, the redirect URI,
 * the scopes, the API version and its end of support, setup requirements; non-zero exit when
 * misconfigured.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../bff/config.ts';
import { doctorReport, formatDoctorReport } from '../../bff/commands/doctor.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const NOW = new Date('2026-12-02T00:00:00Z');

async function report(env: Record<string, string>, now = NOW) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cp-doctor-'));
  try {
    const { config } = await loadConfig({ DATA_DIR: dataDir, ...env }, dataDir);
    return doctorReport(config, now);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

const REAL = {
  PUBLIC_URL: 'https://connections.example.com',
  LINKEDIN_CLIENT_ID: 'li-member',
  LINKEDIN_CLIENT_SECRET: 'li-member-secret',
  LINKEDIN_PAGES_CLIENT_ID: 'li-pages',
  LINKEDIN_PAGES_CLIENT_SECRET: 'li-pages-secret',
  FACEBOOK_CLIENT_ID: 'fb',
  FACEBOOK_CLIENT_SECRET: 'fb-secret',
};

describe('connections-panel-bff doctor', () => {
  it('says sandbox or real, the redirect URI, each flow’s scopes, the API version and its end of support', async () => {
    const r = await report(REAL);
    assert.equal(r.ok, true, formatDoctorReport(r));
    const linkedin = r.platforms.find((p) => p.platform === 'linkedin')!;
    assert.equal(linkedin.mode, 'real');
    assert.equal(linkedin.redirectUri, 'https://connections.example.com/oauth/callback/linkedin');
    assert.deepEqual(linkedin.scopes, { member: ['openid', 'profile', 'w_member_social'], organization: ['r_organization_social', 'w_organization_social', 'rw_organization_admin'] });
    assert.equal(linkedin.version?.version, '202601');
    assert.equal(linkedin.version?.endOfSupport?.toISOString().slice(0, 10), '2027-01-15');
    assert.ok(linkedin.setup.some((s) => /Community Management/.test(s)));
    const facebook = r.platforms.find((p) => p.platform === 'facebook')!;
    assert.equal(facebook.version?.endOfSupport?.toISOString().slice(0, 10), '2027-10-08');
    assert.ok(facebook.setup.some((s) => /Deauthorize/.test(s)));
    // Beside real credentials, a platform without them is not set up (SANDBOX, issue 12).
    assert.equal(r.platforms.find((p) => p.platform === 'tiktok')?.mode, 'off');
    assert.ok(r.platforms.find((p) => p.platform === 'tiktok')!.setup.some((s) => /Webhooks/.test(s)));
  });

  it('warns 60 days before an end of support, and fails once it has passed', async () => {
    const ending = await report(REAL, new Date('2026-12-01T00:00:00Z'));
    assert.ok(ending.platforms.find((p) => p.platform === 'linkedin')!.warnings.some((w) => /LINKEDIN_API_VERSION=202601 reaches its end of support on 2027-01-15/.test(w)));
    assert.equal(ending.ok, true);
    const retired = await report({ ...REAL, LINKEDIN_API_VERSION: '202601' }, new Date('2027-02-01T00:00:00Z'));
    assert.equal(retired.ok, false);
    assert.match(retired.platforms.find((p) => p.platform === 'linkedin')!.errors.join('\n'), /LINKEDIN_API_VERSION/);
  });

  it('fails for real credentials on a non-https PUBLIC_URL, and warns about a missing LinkedIn Pages app', async () => {
    const r = await report({ ...REAL, PUBLIC_URL: 'http://connections.example.com', LINKEDIN_PAGES_CLIENT_ID: '', LINKEDIN_PAGES_CLIENT_SECRET: '' });
    assert.equal(r.ok, false);
    const linkedin = r.platforms.find((p) => p.platform === 'linkedin')!;
    assert.match(linkedin.errors.join('\n'), /https/);
    assert.match(linkedin.warnings.join('\n'), /LINKEDIN_PAGES_CLIENT_ID/);
  });

  it('runs as the bin’s doctor command, exiting 1 when misconfigured', { timeout: 60_000 }, async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const bin = path.join(root, pkg.bin['connections-panel-bff']!);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cp-doctor-bin-'));
    const run = (env: Record<string, string>) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(bin, ['doctor'], { cwd: os.tmpdir(), env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (d) => (output += d));
        child.stderr.on('data', (d) => (output += d));
        child.on('exit', (code) => resolve({ code, output }));
      });
    try {
      const fine = await run({ SANDBOX: '1' });
      assert.equal(fine.code, 0, fine.output);
      assert.match(fine.output, /LinkedIn: sandbox/);
      assert.match(fine.output, /redirect URI: http:\/\/localhost:\d+\/oauth\/callback\/x/);
      const bad = await run({ ...REAL, PUBLIC_URL: 'http://connections.example.com' });
      assert.equal(bad.code, 1, bad.output);
      assert.match(bad.output, /ERROR: PUBLIC_URL/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('API versions in use', () => {
  it('META_GRAPH_VERSION moves the real Graph endpoints, and the start-up warnings name the variables', async () => {
    const { withGraphVersion, versionWarnings } = await import('../../bff/platforms/versions.ts');
    const { REAL_ENDPOINTS } = await import('../../bff/platforms/facebook.ts');
    const moved = withGraphVersion(REAL_ENDPOINTS, 'v26.0');
    assert.equal(moved['graph'], 'https://graph.facebook.com/v26.0');
    assert.equal(moved['authorize'], 'https://www.facebook.com/v26.0/dialog/oauth');
    const config = { sandboxPlatforms: [], platformCredentials: { linkedin: {}, facebook: {} }, apiVersions: { linkedin: null, metaGraph: null } };
    assert.deepEqual(versionWarnings(config, new Date('2026-06-01T00:00:00Z')), []);
    const soon = versionWarnings(config, new Date('2026-12-01T00:00:00Z'));
    assert.equal(soon.length, 1);
    assert.match(soon[0]!, /LINKEDIN_API_VERSION=202601 reaches its end of support on 2027-01-15/);
    const late = versionWarnings(config, new Date('2027-09-01T00:00:00Z'));
    assert.ok(late.some((w) => /LINKEDIN_API_VERSION=202601 reached its end of support/.test(w)));
    assert.ok(late.some((w) => /META_GRAPH_VERSION=v23.0 reaches its end of support on 2027-10-08/.test(w)));
  });
});
