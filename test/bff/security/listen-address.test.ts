/**
 * Issue 12 item 4: the BFF listened on every interface and believed X-Forwarded-* from a fixed
 * 'loopback'. On the embedded default it now listens on 127.0.0.1 only (HOST), and TRUST_PROXY
 * decides whose forwarded address counts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { createTestContext } from '../../helpers/context.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('the listen address and the proxies the BFF believes', () => {
  it('on the embedded default, listens on 127.0.0.1 only, says so in its banner, and refuses other interfaces', { timeout: 60_000 }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cp-host-'));
    const child = spawn(process.execPath, [path.join(root, 'bin', 'connections-panel-bff.js')], {
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      let port: number | undefined;
      for (const deadline = Date.now() + 45_000; !port && Date.now() < deadline; ) {
        const found = /Listening on 127\.0\.0\.1:(\d+)/.exec(output)?.[1];
        if (found) port = Number(found);
        else await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(port, `the banner names the listen address: ${output}`);
      assert.equal(await connects('127.0.0.1', port), true);
      const external = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
      if (external) assert.equal(await connects(external.address, port), false, `not reachable on ${external.address}`);
    } finally {
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('believes X-Forwarded-For only from the proxies TRUST_PROXY names', async () => {
    // Unauthenticated host API calls are limited per client address: a forged X-Forwarded-For
    // from a client that is not a trusted proxy must not buy a fresh budget.
    const attempts = async (trustProxy: false | string[]) => {
      const ctx = await createTestContext({ config: { rateLimitPerMinute: 2, trustProxy } });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++) statuses.push((await request(ctx.app).get('/v1/workspaces/w/accounts').set('X-Forwarded-For', `198.51.100.${i + 1}`)).status);
        return statuses;
      } finally {
        await ctx.close();
      }
    };
    // supertest connects from loopback: trusted by default, so each forwarded address is its own client.
    assert.deepEqual(await attempts(['loopback']), [401, 401, 401]);
    // TRUST_PROXY=false: the forged header is ignored and all three come from one address.
    assert.deepEqual(await attempts(false), [401, 401, 429]);
  });
});
