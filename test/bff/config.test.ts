import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../bff/config.ts';

const key = () => `k1:${randomBytes(32).toString('base64')}`;
const tmp = () => mkdtemp(path.join(os.tmpdir(), 'cp-config-'));
const PG = 'postgres://postgres@127.0.0.1:5432/test';

async function problems(env: Record<string, string>): Promise<string> {
  try {
    await loadConfig({ DATA_DIR: await tmp(), ...env });
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has the SPEC defaults on the embedded database, with every platform on the sandbox', async () => {
    const dir = await tmp();
    const { config } = await loadConfig({ DATA_DIR: dir });
    assert.equal(config.port, 3000);
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.equal(config.databaseUrl, null);
    assert.equal(config.dataDir, dir);
    assert.deepEqual(config.allowedOrigins, ['http://localhost:3000']);
    assert.equal(config.webhook, null);
    assert.deepEqual(config.sandboxPlatforms, ['facebook', 'instagram', 'tiktok', 'x', 'linkedin']);
    assert.equal(config.sandboxUrl, null);
    assert.equal(config.rateLimitPerMinute, 60);
  });

  it('derives PUBLIC_URL from PORT and defaults DATA_DIR to ./.data', async () => {
    const cwd = await tmp();
    const { config } = await loadConfig({ PORT: '8080' }, cwd);
    assert.equal(config.publicUrl, 'http://localhost:8080');
    assert.equal(config.dataDir, path.join(cwd, '.data'));
  });

  it('creates development keys once in the data folder and reuses them after a restart', async () => {
    const dir = await tmp();
    const first = await loadConfig({ DATA_DIR: dir });
    assert.equal(first.notices.generatedEncryptionKey, true);
    assert.equal(first.notices.generatedHostApiKey, true);
    const file = path.join(dir, 'dev-keys.json');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const second = await loadConfig({ DATA_DIR: dir });
    assert.equal(second.notices.generatedEncryptionKey, false, 'warns only when it creates the key');
    assert.equal(second.config.hostApiKey, first.config.hostApiKey);
    assert.deepEqual(second.config.tokenEncryptionKeys, first.config.tokenEncryptionKeys);
    assert.match(await readFile(file, 'utf8'), /hostApiKey/);
  });

  it('uses the keys from the environment when given, without writing development keys', async () => {
    const dir = await tmp();
    const { config, notices } = await loadConfig({ DATA_DIR: dir, HOST_API_KEY: 'h'.repeat(30), TOKEN_ENCRYPTION_KEYS: key() });
    assert.equal(config.hostApiKey, 'h'.repeat(30));
    assert.equal(notices.devKeysFile, null);
    await assert.rejects(stat(path.join(dir, 'dev-keys.json')));
  });

  it('refuses to start on PostgreSQL without an encryption key or a host key, saying how to fix it', async () => {
    const noKey = await problems({ DATABASE_URL: PG, HOST_API_KEY: 'h'.repeat(30) });
    assert.match(noKey, /TOKEN_ENCRYPTION_KEYS is required when DATABASE_URL is set/);
    assert.match(noKey, /randomBytes\(32\)/);
    const noHost = await problems({ DATABASE_URL: PG, TOKEN_ENCRYPTION_KEYS: key() });
    assert.match(noHost, /HOST_API_KEY is required/);
  });

  it('reports every bad variable at once', async () => {
    const message = await problems({
      PORT: 'eighty',
      PUBLIC_URL: 'ftp://x',
      DATABASE_URL: 'mysql://x',
      HOST_API_KEY: 'short',
      TOKEN_ENCRYPTION_KEYS: 'k1:tooshort',
      ALLOWED_ORIGINS: 'https://ok.example,https://bad.example/path',
      WEBHOOK_URL: 'https://hooks.example/x',
      X_CLIENT_ID: 'only-id',
      SANDBOX: 'maybe',
      SANDBOX_URL: 'nope',
      RATE_LIMIT_PER_MINUTE: '-1',
    });
    for (const name of ['PORT', 'PUBLIC_URL', 'DATABASE_URL', 'HOST_API_KEY must be at least', 'TOKEN_ENCRYPTION_KEYS', 'ALLOWED_ORIGINS', 'WEBHOOK_URL and WEBHOOK_SECRET', 'X_CLIENT_ID and X_CLIENT_SECRET', 'SANDBOX must', 'SANDBOX_URL', 'RATE_LIMIT_PER_MINUTE']) {
      assert.ok(message.includes(name), `mentions ${name}`);
    }
  });

  it('makes a platform real when it has credentials; the others are not set up unless SANDBOX=1', async () => {
    const creds = { FACEBOOK_CLIENT_ID: 'fb-id', FACEBOOK_CLIENT_SECRET: 'fb-secret' };
    const real = await loadConfig({ DATA_DIR: await tmp(), ...creds });
    assert.deepEqual(real.config.platformCredentials.facebook, { clientId: 'fb-id', clientSecret: 'fb-secret' });
    assert.deepEqual(real.config.sandboxPlatforms, []);
    const mixed = await loadConfig({ DATA_DIR: await tmp(), ...creds, SANDBOX: 'true' });
    assert.deepEqual(mixed.config.sandboxPlatforms, ['instagram', 'tiktok', 'x', 'linkedin']);
    const all = await loadConfig({ DATA_DIR: await tmp(), SANDBOX: '1' });
    assert.equal(all.config.sandboxPlatforms.length, 5);
    const none = await loadConfig({ DATA_DIR: await tmp(), SANDBOX: '0' });
    assert.deepEqual(none.config.sandboxPlatforms, []);
  });

  it('reads the remaining variables', async () => {
    const { config } = await loadConfig({
      DATA_DIR: await tmp(),
      PUBLIC_URL: 'https://bff.example/connections/',
      ALLOWED_ORIGINS: 'https://app.example, https://admin.example',
      WEBHOOK_URL: 'https://app.example/hooks',
      WEBHOOK_SECRET: 's3cret',
      SANDBOX_URL: 'http://127.0.0.1:4000/',
      RATE_LIMIT_PER_MINUTE: '0',
    });
    assert.equal(config.publicUrl, 'https://bff.example/connections');
    assert.deepEqual(config.allowedOrigins, ['https://app.example', 'https://admin.example']);
    assert.deepEqual(config.webhook, { url: 'https://app.example/hooks', secret: 's3cret' });
    assert.equal(config.sandboxUrl, 'http://127.0.0.1:4000');
    assert.equal(config.rateLimitPerMinute, 0);
  });

  describe('deployment variables: HOST, TRUST_PROXY, JOBS, JOBS_POLL_SECONDS, LOG_FORMAT', () => {
    const pg = { DATABASE_URL: PG, HOST_API_KEY: 'h'.repeat(30), TOKEN_ENCRYPTION_KEYS: key() };

    it('listens on loopback on the embedded default and on every interface with DATABASE_URL', async () => {
      assert.equal((await loadConfig({ DATA_DIR: await tmp() })).config.host, '127.0.0.1');
      assert.equal((await loadConfig({ DATA_DIR: await tmp(), ...pg })).config.host, '0.0.0.0');
      assert.equal((await loadConfig({ DATA_DIR: await tmp(), ...pg, HOST: '10.1.2.3' })).config.host, '10.1.2.3');
      assert.equal((await loadConfig({ DATA_DIR: await tmp(), HOST: '::' })).config.host, '::');
      assert.equal((await loadConfig({ DATA_DIR: await tmp(), HOST: 'bff.internal' })).config.host, 'bff.internal');
    });

    it('defaults TRUST_PROXY to loopback and reads flags, hop counts, addresses and subnets', async () => {
      const read = async (value?: string) => (await loadConfig({ DATA_DIR: await tmp(), ...(value === undefined ? {} : { TRUST_PROXY: value }) })).config.trustProxy;
      assert.deepEqual(await read(), ['loopback']);
      assert.equal(await read('true'), true);
      assert.equal(await read('false'), false);
      assert.equal(await read('2'), 2);
      assert.deepEqual(await read('loopback, 10.0.0.0/8, fd00::/8, 203.0.113.7'), ['loopback', '10.0.0.0/8', 'fd00::/8', '203.0.113.7']);
    });

    it('runs background work unless JOBS=off, polling every 30 s unless JOBS_POLL_SECONDS says otherwise', async () => {
      const defaults = (await loadConfig({ DATA_DIR: await tmp() })).config;
      assert.equal(defaults.jobs, true);
      assert.equal(defaults.jobsPollSeconds, 30);
      const custom = (await loadConfig({ DATA_DIR: await tmp(), JOBS: 'off', JOBS_POLL_SECONDS: '5' })).config;
      assert.equal(custom.jobs, false);
      assert.equal(custom.jobsPollSeconds, 5);
      assert.equal((await loadConfig({ DATA_DIR: await tmp(), JOBS: 'ON' })).config.jobs, true);
      assert.equal((await loadConfig({ DATA_DIR: await tmp(), LOG_FORMAT: 'json' })).config.logFormat, 'json');
      assert.equal(defaults.logFormat, 'auto');
    });

    it('refuses a bad value with a message naming the variable and what it takes', async () => {
      assert.match(await problems({ HOST: 'not a host!' }), /HOST must be an IP address or a host name .*got "not a host!"/);
      assert.match(await problems({ TRUST_PROXY: 'everyone' }), /TRUST_PROXY must be true, false, a number of proxy hops, or a comma-separated list .*got "everyone"/);
      assert.match(await problems({ TRUST_PROXY: '10.0.0.0/33' }), /TRUST_PROXY must be/);
      assert.match(await problems({ JOBS: 'sometimes' }), /JOBS must be on or off .*connections-panel-bff worker.*got "sometimes"/);
      for (const bad of ['0', '3601', '1.5', 'often']) {
        assert.match(await problems({ JOBS_POLL_SECONDS: bad }), new RegExp(`JOBS_POLL_SECONDS must be a whole number of seconds from 1 to 3600, got "${bad.replace('.', '\\.')}"`));
      }
      assert.match(await problems({ LOG_FORMAT: 'xml' }), /LOG_FORMAT must be json or pretty/);
    });
  });
});
