import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the package bin, connections-panel-bff', () => {
  it('runs the standalone BFF from any folder: prints the URL, answers /healthz, exits cleanly on SIGTERM', { timeout: 60_000 }, async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const bin = path.join(root, pkg.bin['connections-panel-bff']!);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cp-bin-'));
    // Run as an installed bin runs: the file itself (shebang, executable bit), from another folder.
    const child = spawn(bin, [], { cwd: os.tmpdir(), env: { PATH: process.env.PATH, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      let url: string | undefined;
      for (const deadline = Date.now() + 45_000; !url && Date.now() < deadline; ) {
        url = /Open (http:\/\/localhost:\d+)\//.exec(output)?.[1];
        if (!url) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(url, `no URL printed: ${output}`);
      const health = await fetch(`${url}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok' });
      assert.equal((await fetch(`${url}/openapi.json`)).status, 200);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, output);
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to run a worker on the embedded database, naming DATABASE_URL, and names an unknown command', { timeout: 60_000 }, async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const bin = path.join(root, pkg.bin['connections-panel-bff']!);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cp-bin-'));
    const runBin = (args: string[]) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(bin, args, { cwd: os.tmpdir(), env: { PATH: process.env.PATH, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (d) => (output += d));
        child.stderr.on('data', (d) => (output += d));
        child.on('exit', (code) => resolve({ code, output }));
      });
    try {
      const worker = await runBin(['worker']);
      assert.equal(worker.code, 1);
      assert.match(worker.output, /DATABASE_URL is required for a worker/);
      const unknown = await runBin(['wrker']);
      assert.equal(unknown.code, 1);
      assert.match(unknown.output, /Unknown command "wrker"/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
