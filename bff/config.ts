import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { LIVE_PLATFORMS, type LivePlatform } from '../contract/platforms.ts';
import { parseKeyList, type EncryptionKey } from './crypto/token-cipher.ts';

/** Configuration of one BFF process, read from the environment once by the entry point. */
export interface Config {
  port: number;
  publicUrl: string;
  databaseUrl: string | null;
  dataDir: string;
  hostApiKey: string;
  tokenEncryptionKeys: EncryptionKey[];
  allowedOrigins: string[];
  webhook: { url: string; secret: string } | null;
  /** Real app credentials, for the platforms that have them. */
  platformCredentials: Partial<Record<LivePlatform, { clientId: string; clientSecret: string }>>;
  /** Platforms served by the sandbox instead of the real platform. */
  sandboxPlatforms: LivePlatform[];
  /** A sandbox running as its own process; null runs it inside the BFF. */
  sandboxUrl: string | null;
  rateLimitPerMinute: number;
  /** EXPIRY_WARNING_DAYS: how long before credentials lapse token_expiring is written (default 7). */
  expiryWarningDays?: number;
}

/** The environment is wrong: the process must not start. The message says how to fix it. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Things worth telling the person who started the process, once. */
export interface ConfigNotices {
  generatedHostApiKey: boolean;
  generatedEncryptionKey: boolean;
  devKeysFile: string | null;
}

type Env = Record<string, string | undefined>;

function origin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

function bool(value: string): boolean | null {
  const v = value.trim().toLowerCase();
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  return null;
}

interface DevKeys {
  hostApiKey: string;
  tokenEncryptionKeys: string;
}

/**
 * The embedded default keeps development keys in the data folder, so a restart keeps
 * sessions and stored tokens readable. Created once, with a warning.
 */
async function loadDevKeys(dataDir: string): Promise<{ keys: DevKeys; created: boolean; file: string }> {
  const file = path.join(dataDir, 'dev-keys.json');
  try {
    const keys = JSON.parse(await readFile(file, 'utf8')) as DevKeys;
    if (typeof keys.hostApiKey === 'string' && typeof keys.tokenEncryptionKeys === 'string') {
      return { keys, created: false, file };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const keys: DevKeys = {
    hostApiKey: `dev_${randomBytes(24).toString('base64url')}`,
    tokenEncryptionKeys: `dev1:${randomBytes(32).toString('base64')}`,
  };
  await mkdir(dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(keys, null, 2), { mode: 0o600 });
  await rename(tmp, file);
  return { keys, created: true, file };
}

export async function loadConfig(env: Env = process.env, cwd = process.cwd()): Promise<{ config: Config; notices: ConfigNotices }> {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  const portText = get('PORT') ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) problems.push(`PORT must be a port number (0-65535), got "${portText}".`);

  const publicUrlText = get('PUBLIC_URL') ?? `http://localhost:${port}`;
  const publicOrigin = origin(publicUrlText);
  if (!publicOrigin) problems.push(`PUBLIC_URL must be an http(s) URL, got "${publicUrlText}".`);
  const publicUrl = publicUrlText.replace(/\/+$/, '');

  const databaseUrl = get('DATABASE_URL') ?? null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a PostgreSQL connection string (postgres://user@host:port/database).');
  }
  const dataDir = path.resolve(cwd, get('DATA_DIR') ?? './.data');

  const embedded = databaseUrl === null;
  let hostApiKey = get('HOST_API_KEY');
  let keyList = get('TOKEN_ENCRYPTION_KEYS');
  const notices: ConfigNotices = { generatedHostApiKey: false, generatedEncryptionKey: false, devKeysFile: null };
  if (embedded && (!hostApiKey || !keyList)) {
    const dev = await loadDevKeys(dataDir);
    notices.devKeysFile = dev.file;
    if (!hostApiKey) {
      hostApiKey = dev.keys.hostApiKey;
      notices.generatedHostApiKey = true;
    }
    if (!keyList) {
      keyList = dev.keys.tokenEncryptionKeys;
      notices.generatedEncryptionKey = dev.created;
    }
  }
  if (!hostApiKey) {
    problems.push('HOST_API_KEY is required when DATABASE_URL is set: the key host backends use for the /v1 API (at least 24 characters).');
  } else if (hostApiKey.length < 24) {
    problems.push('HOST_API_KEY must be at least 24 characters long.');
  }
  let tokenEncryptionKeys: EncryptionKey[] = [];
  if (!keyList) {
    problems.push(
      'TOKEN_ENCRYPTION_KEYS is required when DATABASE_URL is set: "id:base64key" entries (32-byte keys), newest first. ' +
        'Make one with: node -e "console.log(\'k1:\' + require(\'crypto\').randomBytes(32).toString(\'base64\'))"',
    );
  } else {
    try {
      tokenEncryptionKeys = parseKeyList(keyList);
    } catch (err) {
      problems.push(`TOKEN_ENCRYPTION_KEYS: ${(err as Error).message}`);
    }
  }

  const allowedOrigins: string[] = [];
  for (const entry of (get('ALLOWED_ORIGINS') ?? publicOrigin ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const o = origin(entry);
    if (!o || o !== entry.replace(/\/$/, '')) problems.push(`ALLOWED_ORIGINS entries must be origins like https://app.example.com, got "${entry}".`);
    else allowedOrigins.push(o);
  }
  if (publicOrigin && !allowedOrigins.includes(publicOrigin) && !get('ALLOWED_ORIGINS')) allowedOrigins.push(publicOrigin);

  const webhookUrl = get('WEBHOOK_URL');
  const webhookSecret = get('WEBHOOK_SECRET');
  let webhook: Config['webhook'] = null;
  if (webhookUrl || webhookSecret) {
    if (!webhookUrl || !webhookSecret) problems.push('WEBHOOK_URL and WEBHOOK_SECRET go together: set both or neither.');
    else if (!origin(webhookUrl)) problems.push(`WEBHOOK_URL must be an http(s) URL, got "${webhookUrl}".`);
    else webhook = { url: webhookUrl, secret: webhookSecret };
  }

  const platformCredentials: Config['platformCredentials'] = {};
  for (const platform of LIVE_PLATFORMS) {
    const prefix = platform.toUpperCase();
    const clientId = get(`${prefix}_CLIENT_ID`);
    const clientSecret = get(`${prefix}_CLIENT_SECRET`);
    if (clientId && clientSecret) platformCredentials[platform] = { clientId, clientSecret };
    else if (clientId || clientSecret) problems.push(`${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET go together: set both or neither.`);
  }

  const sandboxText = get('SANDBOX');
  let sandboxPlatforms: LivePlatform[] = LIVE_PLATFORMS.filter((p) => !platformCredentials[p]);
  if (sandboxText !== undefined) {
    const on = bool(sandboxText);
    if (on === null) problems.push(`SANDBOX must be 1, true, 0 or false, got "${sandboxText}".`);
    else sandboxPlatforms = on ? [...LIVE_PLATFORMS] : [];
  }

  const sandboxUrlText = get('SANDBOX_URL');
  if (sandboxUrlText && !origin(sandboxUrlText)) problems.push(`SANDBOX_URL must be an http(s) URL, got "${sandboxUrlText}".`);
  const sandboxUrl = sandboxUrlText ? sandboxUrlText.replace(/\/+$/, '') : null;

  const rateText = get('RATE_LIMIT_PER_MINUTE') ?? '60';
  const rateLimitPerMinute = Number(rateText);
  if (!/^\d+$/.test(rateText)) problems.push(`RATE_LIMIT_PER_MINUTE must be a whole number (0 turns it off), got "${rateText}".`);

  const warningText = get('EXPIRY_WARNING_DAYS') ?? '7';
  const expiryWarningDays = Number(warningText);
  if (!/^\d+$/.test(warningText) || expiryWarningDays < 1 || expiryWarningDays > 365) problems.push(`EXPIRY_WARNING_DAYS must be a whole number of days from 1 to 365, got "${warningText}".`);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    config: {
      expiryWarningDays,
      port,
      publicUrl,
      databaseUrl,
      dataDir,
      hostApiKey: hostApiKey!,
      tokenEncryptionKeys,
      allowedOrigins,
      webhook,
      platformCredentials,
      sandboxPlatforms,
      sandboxUrl,
      rateLimitPerMinute,
    },
    notices,
  };
}
