import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

describe('sandbox as its own process (bff/sandbox/main.ts)', () => {
  it('listens on 127.0.0.1, prints its base URL, saves state, and exits cleanly on SIGTERM', { timeout: 20_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-main-'));
    const stateFile = join(dir, 'state.json');
    const child = spawn(process.execPath, ['--import', 'tsx', 'bff/sandbox/main.ts'], {
      cwd: repo,
      env: { ...process.env, PORT: '0', SANDBOX_STATE_FILE: stateFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      const base = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /(http:\/\/127\.0\.0\.1:\d+\/sandbox)/.exec(output);
          if (match?.[1]) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
      });
      const advanced = await fetch(`${base}/control/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceSeconds: 60 }),
      });
      assert.equal(advanced.status, 200);
      assert.equal(((await advanced.json()) as { offsetMs: number }).offsetMs, 60_000);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
      assert.ok(existsSync(stateFile), 'the state is written by the time the process exits');
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
