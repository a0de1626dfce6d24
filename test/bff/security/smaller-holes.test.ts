/**
 * Issue 12 item 7 (the parts this file owns), each reproduced as the review did it:
 * - the sandbox's state file grew without bound from unauthenticated consent posts and was
 *   rewritten synchronously on each one;
 * - PGlite's data folder and files were world-readable;
 * - a request without a Host header got Node's bare, non-JSON 400.
 * (The webhook verify() example: webhook-verify.test.ts.)
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { OffsetClock } from '../../../bff/clock.ts';
import { createSandbox, sandboxEndpoints } from '../../../bff/sandbox/index.ts';
import { connectPglite } from '../../../bff/db/connect.ts';
import { migrateToLatest } from '../../../bff/db/migrate.ts';
import { loadConfig } from '../../../bff/config.ts';
import { grantTokens } from '../sandbox/helpers.ts';
import { startTestServer } from '../../helpers/server.ts';

const dirs: string[] = [];
const tempDir = async (name: string) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), name));
  dirs.push(dir);
  return dir;
};
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const REDIRECT = 'https://app.example.com/oauth/callback';

describe('the sandbox state file', () => {
  it('stays bounded and is written asynchronously, coalesced, under a flood of unauthenticated consent posts', async () => {
    const stateFile = path.join(await tempDir('cp-state-'), 'sandbox-state.json');
    const frozen = new Date();
    const clock = new OffsetClock({ now: () => frozen });
    // A long write window makes "not written during the requests" deterministic.
    const sandbox = createSandbox({ clock, stateFile, maxCodes: 50, writeDelayMs: 60_000, redirectUris: [REDIRECT] });
    const app = express();
    app.use('/sandbox', sandbox.router);
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sandbox`;
      const authorize = new URL(sandboxEndpoints(base).linkedin['authorize']!);
      for (const [k, v] of Object.entries({ client_id: sandbox.clients.linkedin.clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid profile', state: 's' })) {
        authorize.searchParams.set(k, v);
      }
      // The attack: anyone can post the consent form; each post used to add a code and rewrite the file.
      const FLOOD = 300;
      for (let i = 0; i < FLOOD; i++) {
        const res = await fetch(authorize, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ user: 'Hn3kQ8vRzA', decision: 'allow' }) });
        assert.equal(res.status, 302);
        assert.equal(sandbox.stateStats().writes, 0, `request ${i + 1} answered without writing the file`);
      }
      assert.equal(existsSync(stateFile), false, 'nothing written on the request path');
      assert.equal(sandbox.stateStats().codes, 50, 'at most maxCodes codes are kept');

      await sandbox.flush();
      assert.equal(sandbox.stateStats().writes, 1, `${FLOOD} changes, one write`);
      const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { codes: Record<string, unknown> };
      assert.equal(Object.keys(saved.codes).length, 50, 'the file is bounded too');

      // Expired codes and tokens are pruned: a day past a code's expiry, a week past a token's.
      const t = { app, sandbox, clock, paths: sandboxEndpoints('/sandbox') };
      await grantTokens(t, 'x');
      const withTokens = sandbox.stateStats().tokens;
      assert.ok(withTokens >= 2);
      clock.advance(200 * 24 * 3600); // past X's access and refresh token lifetimes, plus retention
      const one = await fetch(authorize, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ user: 'Hn3kQ8vRzA', decision: 'allow' }) });
      assert.equal(one.status, 302);
      await sandbox.flush();
      const pruned = JSON.parse(readFileSync(stateFile, 'utf8')) as { codes: Record<string, unknown>; tokens: Record<string, unknown> };
      assert.equal(Object.keys(pruned.codes).length, 1, 'only the fresh code is left');
      assert.ok(Object.keys(pruned.tokens).length < withTokens, 'expired tokens are gone');
      assert.deepEqual(await readdir(path.dirname(stateFile)), ['sandbox-state.json'], 'no temporary file left behind');
      assert.equal((await stat(stateFile)).mode & 0o777, 0o600);
    } finally {
      sandbox.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('the embedded database on disk', () => {
  it('creates the data folder 0700 and every PGlite file 0600, whatever the umask', async () => {
    const dataDir = path.join(await tempDir('cp-pglite-'), 'data');
    const previous = process.umask(0o022); // the usual default: files 0644, folders 0755
    try {
      await loadConfig({ DATA_DIR: dataDir }); // writes dev-keys.json into the data folder
      const database = await connectPglite(dataDir);
      await migrateToLatest(database.db);
      await database.close();
    } finally {
      process.umask(previous);
    }
    const walk = async (dir: string): Promise<string[]> => {
      const found = [dir];
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        found.push(...(entry.isDirectory() ? await walk(full) : [full]));
      }
      return found;
    };
    const paths = await walk(dataDir);
    assert.ok(paths.length > 10, 'PGlite wrote its files');
    const readable: string[] = [];
    for (const p of paths) {
      const info = await stat(p);
      if ((info.mode & 0o077) !== 0) readable.push(`${path.relative(dataDir, p) || '.'} ${(info.mode & 0o777).toString(8)}`);
      if (info.isDirectory()) assert.equal(info.mode & 0o700, 0o700, `${p} is usable by its owner`);
    }
    assert.deepEqual(readable, [], 'nothing in the data folder is readable by group or others');
    assert.equal((await stat(dataDir)).mode & 0o777, 0o700);
  });
});

describe('a request without a Host header', () => {
  it('gets a JSON 400, not Node\'s bare one; HTTP/1.0 without Host still works', async () => {
    const server = await startTestServer();
    try {
      const { port } = new URL(server.url);
      const raw = (request: string) =>
        new Promise<string>((resolve, reject) => {
          const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(request));
          let data = '';
          socket.on('data', (d) => (data += d));
          socket.on('end', () => resolve(data));
          socket.on('error', reject);
        });
      for (const p of ['/healthz', '/api/accounts', '/v1/workspaces/x', '/oauth/callback/facebook?state=x', '/sandbox/control/clock']) {
        const answer = await raw(`GET ${p} HTTP/1.1\r\nConnection: close\r\n\r\n`);
        assert.match(answer, /^HTTP\/1\.1 400 /, `${p}: ${answer.slice(0, 80)}`);
        assert.match(answer, /content-type: application\/json/i, `${p} answers JSON`);
        const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message: string } };
        assert.equal(body.error.code, 'malformed_request');
        assert.match(body.error.message, /Host/);
      }
      const old = await raw('GET /healthz HTTP/1.0\r\n\r\n');
      assert.match(old, /^HTTP\/1\.1 200 /);
    } finally {
      await server.close();
    }
  });
});
