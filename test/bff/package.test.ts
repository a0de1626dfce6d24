import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { connectAccount, type TestServer } from '../helpers/server.ts';
import { freePort } from '../helpers/free-port.ts';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const HOST_KEY = 'package-test-host-key-0123456789';

/**
 * The README's mount snippet, as a host writes it in its own server (plain JavaScript), plus
 * the listen and the shutdown every server has.
 */
const HOST_SERVER = `import express from 'express';
import { createBff } from 'connections-panel/bff';

const app = express();
const bff = await createBff({ env: process.env }); // config, database + migrations, sandbox, clock, services
app.use('/connections', bff.router);               // PUBLIC_URL ends in /connections
await bff.start();                                 // background work (unless JOBS=off)
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('host listening'));
process.on('SIGTERM', async () => {
  server.close();
  await bff.stop();
  process.exit(0);
});
`;

/** Records every module the process resolves, to show what a production import loads. */
const RECORD_HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.LOADED_LOG, result.url + '\\n');
  return result;
}
`;


/**
 * SPEC "Running the BFF": the package export `connections-panel/bff` is compiled JavaScript
 * with types, built on prepack, importable from plain Node without a TypeScript loader.
 */
describe('the BFF package, as a host installs it', () => {
  let work: string;
  let files: string[];
  let host: string;

  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'cp-bff-package-'));
    // Pack a copy of the sources, so the build prepack runs never races another test's build here.
    const source = path.join(work, 'source');
    const { stdout: listed } = await exec('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    for (const file of listed.split('\0').filter(Boolean)) {
      if (file === 'node_modules') continue;
      await cp(path.join(root, file), path.join(source, file), { recursive: true, verbatimSymlinks: true }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err; // deleted in the work tree, not yet committed
      });
    }
    await symlink(path.join(root, 'node_modules'), path.join(source, 'node_modules'));
    const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', work], { cwd: source, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
    // prepack's build logs come first on stdout; npm's JSON report is the last thing it prints.
    const report = JSON.parse(stdout.slice(stdout.lastIndexOf('\n[\n') + 1)) as { filename: string; files: { path: string }[] }[];
    files = report[0]!.files.map((f) => f.path);

    // An empty folder with the tarball installed. This machine cannot download, so instead of
    // `npm install <tarball>` the tarball is unpacked into node_modules/connections-panel and
    // its dependencies are linked from the repository's node_modules (the versions the lock file pins).
    host = path.join(work, 'host');
    const installed = path.join(host, 'node_modules', 'connections-panel');
    await mkdir(installed, { recursive: true });
    await exec('tar', ['-xzf', path.join(work, report[0]!.filename), '-C', installed, '--strip-components=1']);
    for (const name of await readdir(path.join(root, 'node_modules'))) {
      if (name.startsWith('.') || name === 'connections-panel') continue;
      await symlink(path.join(root, 'node_modules', name), path.join(host, 'node_modules', name));
    }
    await writeFile(path.join(host, 'package.json'), JSON.stringify({ name: 'host', private: true, type: 'module' }));
    await writeFile(path.join(host, 'server.js'), HOST_SERVER);
    await writeFile(path.join(host, 'record-hooks.js'), RECORD_HOOKS);
    await writeFile(path.join(host, 'record.js'), "import { register } from 'node:module';\nregister('./record-hooks.js', import.meta.url);\n");
  });
  after(() => rm(work, { recursive: true, force: true }));

  it('ships compiled JavaScript with types and keeps sources, tests, benchmarks and CI out', () => {
    for (const file of ['dist/bff/index.js', 'dist/bff/index.d.ts', 'dist/bff/main.js', 'dist/bff/worker.js', 'dist/connections-panel.js', 'bin/connections-panel-bff.js', 'package.json']) {
      assert.ok(files.includes(file), `${file} is in the tarball`);
    }
    for (const file of files) {
      assert.doesNotMatch(file, /^(test|bench|scripts|\.ci|bff|contract|widget)\//, `${file} stays out of the tarball`);
      assert.doesNotMatch(file, /(^|\/)[^/]+(?<!\.d)\.ts$/, `${file}: no TypeScript source`);
    }
  });

  it('runs the README mount snippet in plain Node: mounts at /connections, connects through the sandbox, and the background job refreshes after a clock move', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['server.js'], {
      cwd: host,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        PUBLIC_URL: `${base}/connections`,
        ALLOWED_ORIGINS: `${base},https://host.example`,
        DATA_DIR: path.join(work, 'data'),
        HOST_API_KEY: HOST_KEY,
        JOBS_POLL_SECONDS: '1',
        RATE_LIMIT_PER_MINUTE: '0',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      for (const deadline = Date.now() + 60_000; !/host listening/.test(output) && Date.now() < deadline; ) {
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(output, /host listening/, output);
      const bff = `${base}/connections`;
      const hostApi = { Authorization: `Bearer ${HOST_KEY}`, 'Content-Type': 'application/json' };
      assert.equal((await fetch(`${bff}/v1/workspaces/acme`, { method: 'PUT', headers: hostApi, body: JSON.stringify({ plan: 'free' }) })).status, 201);
      const { token } = (await (await fetch(`${bff}/v1/sessions`, { method: 'POST', headers: hostApi, body: JSON.stringify({ workspaceId: 'acme', userId: 'u', role: 'member' }) })).json()) as { token: string };
      const { result } = await connectAccount({ url: bff } as TestServer, token, { platform: 'facebook', user: '100000000000002' });
      assert.equal(result.status, 'connected', output);

      const moved = await fetch(`${bff}/sandbox/control/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ advanceSeconds: 55 * 86_400 }) });
      assert.equal(moved.status, 200);
      let types: string[] = [];
      for (const deadline = Date.now() + 60_000; !types.includes('token_refreshed') && Date.now() < deadline; ) {
        const res = await fetch(`${bff}/api/events`, { headers: { Authorization: `Bearer ${token}` } });
        types = ((await res.json()) as { events: { type: string }[] }).events.map((e) => e.type);
        if (!types.includes('token_refreshed')) await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(types.includes('token_refreshed'), `the background job refreshed the account: ${types.join(', ')}\n${output}`);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, output);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('loads none of the sandbox when every platform has real credentials', { timeout: 60_000 }, async () => {
    const log = path.join(work, 'loaded.txt');
    const credentials = Object.fromEntries(['FACEBOOK', 'INSTAGRAM', 'TIKTOK', 'X', 'LINKEDIN'].flatMap((p) => [[`${p}_CLIENT_ID`, `${p.toLowerCase()}-id`], [`${p}_CLIENT_SECRET`, `${p.toLowerCase()}-secret`]]));
    const script = "import { createBff } from 'connections-panel/bff'; const bff = await createBff({ env: process.env }); console.log(bff.sandbox === null ? 'no sandbox' : 'sandbox'); await bff.stop();";
    const { stdout } = await exec(process.execPath, ['--import', './record.js', '--input-type=module', '-e', script], {
      cwd: host,
      env: { PATH: process.env.PATH, LOADED_LOG: log, DATA_DIR: path.join(work, 'data-real'), HOST_API_KEY: HOST_KEY, LOG_LEVEL: 'warn', ...credentials },
      timeout: 60_000,
    });
    assert.match(stdout, /no sandbox/);
    const loaded = (await import('node:fs/promises').then((fs) => fs.readFile(log, 'utf8'))).split('\n').filter((u) => u.includes('/connections-panel/'));
    assert.ok(loaded.some((u) => u.endsWith('/dist/bff/index.js')), 'the compiled entry was loaded');
    const sandbox = loaded.filter((u) => /\/dist\/bff\/sandbox\//.test(u) && !/\/sandbox\/(endpoints|seed)\.js$/.test(u));
    assert.deepEqual([...new Set(sandbox)], [], 'no sandbox module but its endpoint list and seed data');
  });
});
