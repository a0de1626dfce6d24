import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The package as a host installs it: `npm run build` gives the script-tag bundle, the npm
 * entry (Lit left as an import), its types and the custom-elements manifest, all reachable
 * through the exports map.
 */
describe('the widget package', () => {
  before(async () => {
    await run('npm', ['run', 'build', '--silent'], { cwd: root, timeout: 120_000 });
  });

  it('lists both public elements in custom-elements.json, with their attributes, events and CSS properties', async () => {
    const manifest = JSON.parse(await readFile(path.join(root, 'dist/custom-elements.json'), 'utf8')) as {
      modules: { declarations?: { tagName?: string; attributes?: { name: string }[]; events?: { name?: string }[]; cssProperties?: { name: string }[] }[] }[];
    };
    const elements = new Map(manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName).map((d) => [d.tagName!, d]));
    const panel = elements.get('connections-panel');
    assert.ok(panel, 'connections-panel is in the manifest');
    assert.deepEqual(
      panel.attributes!.map((a) => a.name),
      ['bff-url', 'composer-url', 'support-url', 'upgrade-url', 'oauth-mode', 'locale'],
    );
    assert.deepEqual(panel.events!.filter((e) => e.name).map((e) => e.name), ['cp-create-post', 'cp-account-action', 'cp-accounts-changed']);
    assert.ok(panel.cssProperties!.some((p) => p.name === '--cp-accent-color'));
    assert.deepEqual(elements.get('connections-summary')?.attributes?.map((a) => a.name), ['bff-url', 'panel-url', 'locale']);
  });

  it('keeps Lit out of the npm entry and inside the script-tag bundle', async () => {
    const npmEntry = await readFile(path.join(root, 'dist/npm/index.js'), 'utf8');
    assert.match(npmEntry, /from\s*["']lit["']/);
    const bundle = await readFile(path.join(root, 'dist/connections-panel.js'), 'utf8');
    assert.doesNotMatch(bundle, /from\s*["']lit/);
    assert.doesNotMatch(bundle, /import\s*["']/);
  });

  it('type-checks a host that imports it by name through the exports map', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cp-consumer-'));
    try {
      await mkdir(path.join(dir, 'node_modules'));
      await symlink(root, path.join(dir, 'node_modules', 'connections-panel'), 'dir');
      await writeFile(
        path.join(dir, 'host.ts'),
        `import { ConnectionsPanel, CpCreatePostEvent, createApiClient, type Account } from 'connections-panel';
const panel: ConnectionsPanel = document.createElement('connections-panel');
panel.bffUrl = 'https://bff.example';
panel.session = async () => 'token';
panel.addEventListener('cp-create-post', (e: CpCreatePostEvent) => console.log(e.accountId));
const first = async (): Promise<Account | undefined> => (await createApiClient({ baseUrl: '/', session: 't' }).listAccounts())[0];
void first;
// @ts-expect-error: the element's properties are typed
panel.healthCheckIntervalMs = 'soon';
`,
      );
      await writeFile(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, lib: ['ES2023', 'DOM'], types: [], skipLibCheck: true }, files: ['host.ts'] }),
      );
      await run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { timeout: 120_000 }).catch((err: { stdout?: string }) => {
        assert.fail(`the host does not type-check:\n${err.stdout}`);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
