import path from 'node:path';
import express, { type Express } from 'express';
import { createApp, createConnectionsRouter, type CreateAppOptions } from './app.ts';
import { createServices, type AppDeps, type Services } from './services.ts';
import { ConfigError, isMixedDeployment, loadConfig, type Config, type ConfigNotices } from './config.ts';
import { connectPglite, connectPostgres, type DatabaseHandle } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createLogger, type Logger } from './logger.ts';
import { OffsetClock, systemClock, type Clock } from './clock.ts';
import type { Sandbox } from './sandbox/index.ts';
import { followSandboxClock } from './platforms/sandbox-clock.ts';
import { versionWarnings } from './platforms/versions.ts';
import { BackgroundWork, type DueWork } from './jobs/background-work.ts';

type Env = Record<string, string | undefined>;

export interface CreateBffOptions {
  /** The environment to read the configuration from (the SPEC's table). Defaults to process.env. */
  env?: Env;
  /** An open database; the BFF migrates it and leaves closing it to the caller. Default: DATABASE_URL, else PGlite in DATA_DIR. */
  database?: DatabaseHandle;
  logger?: Logger;
  /** The clock of every product rule. Default: the sandbox's clock in sandbox mode, real time otherwise. */
  clock?: Clock;
  /**
   * `web` (default) serves the router, with the sandbox inside it in sandbox mode; `worker` runs
   * background work only, talking to the sandbox of the web process (PUBLIC_URL) or SANDBOX_URL.
   */
  role?: 'web' | 'worker';
  /** False when the caller has migrated `database` itself (default: migrate to the latest schema). */
  migrate?: boolean;
  /** A configuration already read and validated, instead of `env` (tests). */
  config?: Config;
  /** Parts tests replace: real time for sessions and leases, the adapters, revoking on disconnect, the sandbox. */
  overrides?: Partial<Pick<AppDeps, 'wallClock' | 'platforms' | 'revokeAtPlatform' | 'scheduler'>> & { sandbox?: Sandbox };
}

/** One BFF: the router to mount, the background work to start, and what they were built from. */
export interface Bff {
  /**
   * Mount it where PUBLIC_URL points: `app.use('/connections', bff.router)`. An Express app of
   * its own, so TRUST_PROXY (whose X-Forwarded-* to believe) holds inside it whatever the host
   * app's `trust proxy` is; requests outside its paths fall through to the host's routes.
   */
  router: Express;
  config: Config;
  notices: ConfigNotices;
  database: DatabaseHandle;
  logger: Logger;
  /** The product clock (the sandbox's in sandbox mode). */
  clock: Clock;
  /** The sandbox platforms served under /sandbox by this process, in sandbox mode without SANDBOX_URL. */
  sandbox: Sandbox | null;
  services: Services;
  /** Whether start() runs background work in this process (JOBS, or a worker). /readyz says so. */
  runsJobs: boolean;
  /** The standalone app: the router at the root plus the demo page, the widget bundle and a folder of pages. */
  app(options?: Omit<CreateAppOptions, 'services'>): Express;
  /** Starts background work, unless JOBS=off: a poll now, then every JOBS_POLL_SECONDS. */
  start(): Promise<void>;
  /** One poll of due work now (what start() does on its timer); resolves with what each kind did. */
  runDueWork(): Promise<Record<string, number>>;
  /** Drains background work (the batch in hand is finished, nothing more is claimed), then closes what createBff opened. */
  stop(): Promise<void>;
}

/**
 * The one composition root: configuration, database (opened and migrated), sandbox and clock,
 * services and background work. `npm start`, the bin, the worker, the examples and the tests
 * are all built on it.
 */
export async function createBff(options: CreateBffOptions = {}): Promise<Bff> {
  const role = options.role ?? 'web';
  const { config, notices } = options.config
    ? { config: options.config, notices: { generatedHostApiKey: false, generatedEncryptionKey: false, devKeysFile: null } satisfies ConfigNotices }
    : await loadConfig(options.env ?? process.env);
  const logger = options.logger ?? createLogger({}, undefined, { format: config.logFormat });
  // API versions end on published dates: say so 60 days ahead, and plainly once they have.
  for (const warning of versionWarnings(config, new Date())) logger.warn(warning);

  const ownDatabase = !options.database;
  if (role === 'worker' && ownDatabase && !config.databaseUrl) {
    throw new ConfigError(['DATABASE_URL is required for a worker: it shares the web processes\' PostgreSQL (the embedded PGlite lives inside one process).']);
  }
  const database = options.database ?? (config.databaseUrl ? connectPostgres({ connectionString: config.databaseUrl }) : await connectPglite(config.dataDir));
  const cleanups: (() => void | Promise<void>)[] = [];
  if (ownDatabase) cleanups.push(() => database.close());
  try {
    const applied = options.migrate === false ? [] : await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');

    // In sandbox mode the BFF's clock is the sandbox's clock, so moving it moves both.
    let clock: Clock = options.clock ?? systemClock;
    let sandbox: Sandbox | null = options.overrides?.sandbox ?? null;
    let sandboxUrl = config.sandboxUrl;
    if (config.sandboxPlatforms.length > 0) {
      // Beside real platforms (SANDBOX=1 with credentials, development only) the sandbox's clock
      // moves only the sandbox, never the product's clock, and its control API needs the host key.
      const mixed = isMixedDeployment(config);
      const sandboxClock = options.clock instanceof OffsetClock ? options.clock : new OffsetClock(options.clock ?? systemClock);
      if (!mixed) clock = sandboxClock;
      // A worker has no HTTP of its own: it uses the sandbox of the web process it works for.
      if (!sandboxUrl && role === 'worker') sandboxUrl = `${config.publicUrl}/sandbox`;
      if (sandboxUrl && mixed) {
        // Nothing to follow: the product keeps real time.
      } else if (sandboxUrl) {
        const stop = await followSandboxClock(sandboxUrl, sandboxClock, logger);
        cleanups.push(stop);
      } else if (!sandbox) {
        // Loaded only in sandbox mode: production code never carries the sandbox's routers.
        const { createSandbox, bffCallbackUrls } = await import('./sandbox/index.ts');
        sandbox = createSandbox({
          clock: sandboxClock,
          // The sandbox redirects only to this BFF's own callbacks (no open redirect).
          redirectUris: bffCallbackUrls(config.publicUrl),
          ...(mixed ? { controlKey: config.hostApiKey } : {}),
          ...(ownDatabase ? { stateFile: path.join(config.dataDir, 'sandbox-state.json') } : {}),
        });
      }
      if (sandbox) {
        const opened = sandbox;
        cleanups.push(() => opened.close());
      }
    }
    const effective: Config = sandboxUrl === config.sandboxUrl ? config : { ...config, sandboxUrl };

    const runsJobs = role === 'worker' || config.jobs;
    const { sandbox: _given, ...replaced } = options.overrides ?? {};
    const deps: AppDeps = { config: effective, database, logger, clock, ...replaced, ...(sandbox ? { sandbox } : {}), jobs: runsJobs };
    const services = createServices(deps);
    const due: DueWork[] = [{ name: 'refresh', run: () => services.scheduler.runOnce(), drain: () => services.scheduler.drain() }];
    if (services.webhooks) {
      const webhooks = services.webhooks;
      due.push({ name: 'webhooks', run: () => webhooks.runOnce(), drain: () => webhooks.drain() });
    }
    const background = new BackgroundWork(due, effective.jobsPollSeconds * 1000, logger);
    const router = express();
    router.disable('x-powered-by');
    router.set('trust proxy', effective.trustProxy);
    router.use(createConnectionsRouter(deps, services));

    let stopped: Promise<void> | null = null;
    return {
      router,
      config: effective,
      notices,
      database,
      logger,
      clock,
      sandbox,
      services,
      runsJobs,
      app: (appOptions = {}) => createApp(deps, { ...appOptions, services }),
      start: async () => {
        if (runsJobs) background.start();
      },
      runDueWork: () => background.runOnce(),
      stop: () =>
        (stopped ??= (async () => {
          await background.stop();
          for (const cleanup of cleanups.reverse()) await cleanup();
        })()),
    };
  } catch (err) {
    for (const cleanup of cleanups.reverse()) await cleanup();
    throw err;
  }
}
