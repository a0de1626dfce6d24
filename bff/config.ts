import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { isIP } from 'node:net';
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
  /**
   * LinkedIn's Community Management app (LINKEDIN_PAGES_CLIENT_ID/_SECRET), for the "LinkedIn
   * Page" connect flow; null: the LINKEDIN_CLIENT_ID app serves both flows.
   */
  linkedinPagesApp?: { clientId: string; clientSecret: string } | null;
  /** LINKEDIN_API_VERSION and META_GRAPH_VERSION; null: the adapters' current defaults. */
  apiVersions?: { linkedin: string | null; metaGraph: string | null };
  /** Platforms served by the sandbox instead of the real platform. */
  sandboxPlatforms: LivePlatform[];
  /** A sandbox running as its own process; null runs it inside the BFF. */
  sandboxUrl: string | null;
  rateLimitPerMinute: number;
  /** The demo page's /demo/* endpoints (DEMO): only on the embedded default with every platform on the sandbox. */
  demo: boolean;
  /** The listen address (HOST): loopback on the embedded default, every interface with DATABASE_URL. */
  host: string;
  /** Express `trust proxy` (TRUST_PROXY): which proxies' X-Forwarded-* headers to believe. */
  trustProxy: TrustProxy;
  /** Whether this process runs background work (JOBS); `off` serves HTTP only. */
  jobs: boolean;
  /** How often background work is claimed when due (JOBS_POLL_SECONDS). */
  jobsPollSeconds: number;
  /** Request and application logs (LOG_FORMAT): compact lines on a terminal, JSON lines otherwise. */
  logFormat: LogFormat;
  /** EXPIRY_WARNING_DAYS: how long before credentials lapse token_expiring is written (default 7). */
  expiryWarningDays?: number;
}

/** DEMO may be on: the embedded default with every platform on the sandbox (no real credentials). */
export function demoAllowed(config: Pick<Config, 'databaseUrl' | 'sandboxPlatforms' | 'platformCredentials'>): boolean {
  return config.databaseUrl === null && Object.keys(config.platformCredentials).length === 0 && LIVE_PLATFORMS.every((p) => config.sandboxPlatforms.includes(p));
}

/**
 * Sandbox platforms beside real ones (SANDBOX=1 with real credentials, development only):
 * the sandbox's control API then needs the host key, and its clock never moves real accounts.
 */
export function isMixedDeployment(config: Pick<Config, 'sandboxPlatforms' | 'platformCredentials'>): boolean {
  return config.sandboxPlatforms.length > 0 && LIVE_PLATFORMS.some((p) => config.platformCredentials[p] && !config.sandboxPlatforms.includes(p));
}

/** What Express accepts for `trust proxy`: on/off, a hop count, or addresses, subnets and named ranges. */
export type TrustProxy = boolean | number | string[];
export type LogFormat = 'auto' | 'json' | 'pretty';

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

/** The range of JOBS_POLL_SECONDS (SPEC). */
export const JOBS_POLL_SECONDS = { min: 1, max: 3_600, default: 30 } as const;

const TRUST_PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address (IPv4, IPv6) or a subnet in CIDR notation. */
function isAddressOrSubnet(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

function parseTrustProxy(text: string): TrustProxy | null {
  const flag = bool(text);
  if (flag !== null) return flag;
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0 || !entries.every((e) => TRUST_PROXY_NAMES.has(e) || isAddressOrSubnet(e))) return null;
  return entries;
}

/** A listen address: an IP address or a host name. */
function isListenHost(value: string): boolean {
  return isIP(value) !== 0 || /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(value);
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
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
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

  const pagesId = get('LINKEDIN_PAGES_CLIENT_ID');
  const pagesSecret = get('LINKEDIN_PAGES_CLIENT_SECRET');
  let linkedinPagesApp: Config['linkedinPagesApp'] = null;
  if (pagesId && pagesSecret) linkedinPagesApp = { clientId: pagesId, clientSecret: pagesSecret };
  else if (pagesId || pagesSecret) problems.push('LINKEDIN_PAGES_CLIENT_ID and LINKEDIN_PAGES_CLIENT_SECRET go together: set both or neither.');

  const linkedinVersion = get('LINKEDIN_API_VERSION') ?? null;
  if (linkedinVersion !== null && !/^\d{6}$/.test(linkedinVersion)) problems.push(`LINKEDIN_API_VERSION must be a version like 202601 (YYYYMM), got "${linkedinVersion}".`);
  const graphVersion = get('META_GRAPH_VERSION') ?? null;
  if (graphVersion !== null && !/^v\d+\.\d$/.test(graphVersion)) problems.push(`META_GRAPH_VERSION must be a version like v23.0, got "${graphVersion}".`);

  // With any real credentials, the platforms without them are not set up, unless SANDBOX=1
  // puts them on the sandbox; SANDBOX=0 turns the sandbox off (SPEC `SANDBOX`).
  const sandboxText = get('SANDBOX');
  const hasRealCredentials = Object.keys(platformCredentials).length > 0;
  let sandboxPlatforms: LivePlatform[] = hasRealCredentials ? [] : [...LIVE_PLATFORMS];
  if (sandboxText !== undefined) {
    const on = bool(sandboxText);
    if (on === null) problems.push(`SANDBOX must be 1, true, 0 or false, got "${sandboxText}".`);
    else sandboxPlatforms = on ? LIVE_PLATFORMS.filter((p) => !platformCredentials[p]) : [];
  }

  const sandboxUrlText = get('SANDBOX_URL');
  if (sandboxUrlText && !origin(sandboxUrlText)) problems.push(`SANDBOX_URL must be an http(s) URL, got "${sandboxUrlText}".`);
  const sandboxUrl = sandboxUrlText ? sandboxUrlText.replace(/\/+$/, '') : null;

  const rateText = get('RATE_LIMIT_PER_MINUTE') ?? '60';
  const rateLimitPerMinute = Number(rateText);
  if (!/^\d+$/.test(rateText)) problems.push(`RATE_LIMIT_PER_MINUTE must be a whole number (0 turns it off), got "${rateText}".`);

  // DEMO hands out an admin session to anyone: only on the embedded default, every platform on the sandbox.
  const demoOk = demoAllowed({ databaseUrl, sandboxPlatforms, platformCredentials });
  const demoText = get('DEMO');
  let demo = demoOk;
  if (demoText !== undefined) {
    const on = bool(demoText);
    if (on === null) problems.push(`DEMO must be 1, true, 0 or false, got "${demoText}".`);
    else if (on && !demoOk) {
      problems.push('DEMO=1 is only allowed on the embedded database (no DATABASE_URL) with every platform on the sandbox (no platform credentials): its endpoints give anyone an admin session.');
    } else demo = on;
  }

  const host = get('HOST') ?? (embedded ? '127.0.0.1' : '0.0.0.0');
  if (!isListenHost(host)) problems.push(`HOST must be an IP address or a host name to listen on (127.0.0.1, 0.0.0.0, ::), got "${host}".`);

  const trustProxyText = get('TRUST_PROXY') ?? 'loopback';
  const trustProxy = parseTrustProxy(trustProxyText);
  if (trustProxy === null) {
    problems.push(
      `TRUST_PROXY must be true, false, a number of proxy hops, or a comma-separated list of addresses, subnets (10.0.0.0/8) and loopback, linklocal, uniquelocal; got "${trustProxyText}".`,
    );
  }

  const jobsText = get('JOBS') ?? 'on';
  const jobs = /^(on|1|true)$/i.test(jobsText) ? true : /^(off|0|false)$/i.test(jobsText) ? false : null;
  if (jobs === null) problems.push(`JOBS must be on or off (off: this process serves HTTP only; run connections-panel-bff worker elsewhere), got "${jobsText}".`);

  const pollText = get('JOBS_POLL_SECONDS') ?? String(JOBS_POLL_SECONDS.default);
  const jobsPollSeconds = Number(pollText);
  if (!/^\d+$/.test(pollText) || jobsPollSeconds < JOBS_POLL_SECONDS.min || jobsPollSeconds > JOBS_POLL_SECONDS.max) {
    problems.push(`JOBS_POLL_SECONDS must be a whole number of seconds from ${JOBS_POLL_SECONDS.min} to ${JOBS_POLL_SECONDS.max}, got "${pollText}".`);
  }

  const logFormatText = (get('LOG_FORMAT') ?? 'auto').toLowerCase();
  if (logFormatText !== 'auto' && logFormatText !== 'json' && logFormatText !== 'pretty') problems.push(`LOG_FORMAT must be json or pretty (unset: pretty on a terminal, JSON otherwise), got "${logFormatText}".`);
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
      linkedinPagesApp,
      apiVersions: { linkedin: linkedinVersion, metaGraph: graphVersion },
      sandboxPlatforms,
      sandboxUrl,
      rateLimitPerMinute,
      demo,
      host,
      trustProxy: trustProxy!,
      jobs: jobs!,
      jobsPollSeconds,
      logFormat: logFormatText as LogFormat,
    },
    notices,
  };
}
