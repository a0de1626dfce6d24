import path from 'node:path';
import { existsSync } from 'node:fs';
import { PACKAGE_ROOT } from './package-root.ts';
import { createBff } from './bff.ts';
import { ConfigError } from './config.ts';
import { closeServer, listen, listeningPort, stopOnSignals, withPickedPort } from './server.ts';
import { runWorker } from './worker.ts';

/**
 * The standalone BFF (`npm start`, the bin): reads the environment once, migrates, listens on
 * HOST:PORT, runs background work unless JOBS=off, stops cleanly on SIGTERM and SIGINT.
 * `connections-panel-bff worker` runs background work only (bff/worker.ts).
 */
async function main(): Promise<void> {
  if (process.argv[2] === 'worker') return runWorker(process.env);
  // Moves every stored token to the newest TOKEN_ENCRYPTION_KEYS entry (the same as npm run reencrypt).
  if (process.argv[2] === 'reencrypt') return void (await import('./commands/reencrypt.ts'));
  if (process.argv[2] !== undefined) {
    throw new ConfigError([`Unknown command "${process.argv[2]}": run connections-panel-bff (the web process), connections-panel-bff worker (background work only) or connections-panel-bff reencrypt.`]);
  }

  const bff = await createBff({ env: await withPickedPort(process.env) });
  const { config, notices, logger } = bff;
  if (notices.generatedEncryptionKey) {
    logger.warn(`Created a development token-encryption key and host API key in ${notices.devKeysFile}. Set TOKEN_ENCRYPTION_KEYS and HOST_API_KEY for anything but local use.`);
  }
  const widgetDir = path.join(PACKAGE_ROOT, 'dist');
  if (!existsSync(path.join(widgetDir, 'connections-panel.js'))) logger.warn('dist/connections-panel.js is missing: run `npm run build` so the example page can load the widget');
  const app = bff.app({ staticDir: path.join(PACKAGE_ROOT, 'examples', 'host-page'), widgetDir, demo: config.demo });
  const server = await listen(app, config.port, config.host);
  await bff.start();

  const port = listeningPort(server, config.port);
  const lines = [
    '',
    `  connections-panel BFF is running (${bff.database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'}).`,
    `  Open ${config.publicUrl.replace(`:${config.port}`, `:${port}`)}/ in your browser.`,
    `  Listening on ${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}${config.host === '127.0.0.1' ? ' (this machine only; set HOST=0.0.0.0 to listen on every interface)' : ''}.`,
    `  Background work: ${bff.runsJobs ? `on, every ${config.jobsPollSeconds} s` : 'off (JOBS=off): run connections-panel-bff worker'}.`,
  ];
  if (config.sandboxPlatforms.length > 0) {
    lines.push(`  Sandbox platforms: ${config.sandboxPlatforms.join(', ')} (${config.sandboxUrl ?? `${config.publicUrl}/sandbox`}).`);
  }
  if (notices.generatedHostApiKey) lines.push(`  Host API key (development, kept in ${notices.devKeysFile}): ${config.hostApiKey}`);
  console.log(`${lines.join('\n')}\n`);

  stopOnSignals(async () => {
    await closeServer(server);
    await bff.stop();
  }, logger);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
