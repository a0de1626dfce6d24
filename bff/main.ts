import path from 'node:path';
import { existsSync } from 'node:fs';
import { PACKAGE_ROOT } from './package-root.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { createServices } from './services.ts';
import { ConfigError, loadConfig } from './config.ts';
import { connectPglite, connectPostgres, type DatabaseHandle } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createLogger } from './logger.ts';
import { answerClientErrorsAsJson } from './http/client-error.ts';
import { OffsetClock, systemClock, type Clock } from './clock.ts';
import { createSandbox, type Sandbox } from './sandbox/index.ts';
import { followSandboxClock } from './platforms/sandbox-clock.ts';
import { versionWarnings } from './platforms/versions.ts';

const root = PACKAGE_ROOT;

/**
 * PORT=0 picks a free port. Without PUBLIC_URL, the redirect URIs and the sandbox's address are
 * built on the port, so pick it before the configuration is read rather than print port 0.
 */
async function withPickedPort(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  if (env['PORT'] !== '0' || env['PUBLIC_URL']) return env;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return { ...env, PORT: String(port) };
}

/** The standalone BFF: reads the environment once, migrates, listens, stops cleanly on SIGTERM. */
async function main(): Promise<void> {
  const logger = createLogger();
  let loaded;
  try {
    loaded = await loadConfig(await withPickedPort(process.env));
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const { config, notices } = loaded;
  if (notices.generatedEncryptionKey) {
    logger.warn(`Created a development token-encryption key and host API key in ${notices.devKeysFile}. Set TOKEN_ENCRYPTION_KEYS and HOST_API_KEY for anything but local use.`);
  }

  const database: DatabaseHandle = config.databaseUrl ? connectPostgres({ connectionString: config.databaseUrl }) : await connectPglite(config.dataDir);
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');

  // In sandbox mode the BFF's clock is the sandbox's clock, so moving it moves both.
  let clock: Clock = systemClock;
  let sandbox: Sandbox | undefined;
  let stopFollowing = () => {};
  if (config.sandboxPlatforms.length > 0) {
    const sandboxClock = new OffsetClock();
    clock = sandboxClock;
    if (config.sandboxUrl) {
      stopFollowing = await followSandboxClock(config.sandboxUrl, sandboxClock, logger);
    } else {
      sandbox = createSandbox({ clock: sandboxClock, stateFile: path.join(config.dataDir, 'sandbox-state.json') });
    }
  }

  const deps = { config, database, logger, clock, sandbox };
  const services = createServices(deps);
  const widgetDir = path.join(root, 'dist');
  if (!existsSync(path.join(widgetDir, 'connections-panel.js'))) logger.warn('dist/connections-panel.js is missing: run `npm run build` so the example page can load the widget');
  const app = createApp(deps, { services, staticDir: path.join(root, 'examples', 'host-page'), widgetDir, demo: config.databaseUrl === null });
  const server: Server = app.listen(config.port);
  answerClientErrorsAsJson(server);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });

  // API versions end on published dates: say so 60 days ahead, and plainly once they have.
  for (const warning of versionWarnings(config, new Date())) logger.warn(warning);

  services.scheduler.start();
  services.webhooks?.start();

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const lines = [
    '',
    `  connections-panel BFF is running (${database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'}).`,
    `  Open ${config.publicUrl.replace(`:${config.port}`, `:${port}`)}/ in your browser.`,
  ];
  if (config.sandboxPlatforms.length > 0) {
    lines.push(`  Sandbox platforms: ${config.sandboxPlatforms.join(', ')} (${config.sandboxUrl ?? `${config.publicUrl}/sandbox`}).`);
  }
  if (notices.generatedHostApiKey) lines.push(`  Host API key (development, kept in ${notices.devKeysFile}): ${config.hostApiKey}`);
  console.log(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    stopFollowing();
    sandbox?.close();
    server.close(async () => {
      await services.scheduler.stop();
      await services.webhooks?.stop();
      await database.close();
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
