import { createBff } from './bff.ts';
import { closeServer, listen, listeningPort, stopOnSignals, withPickedPort } from './server.ts';

/**
 * `connections-panel-bff worker`: background work only (refreshes, verifications, webhook
 * deliveries) on the shared PostgreSQL, with nothing on HTTP but GET /healthz (and /readyz) on
 * PORT for the platform's health checks. Any number of workers and web processes share the work.
 */
export async function runWorker(env: NodeJS.ProcessEnv): Promise<void> {
  const bff = await createBff({ env: await withPickedPort(env), role: 'worker' });
  const { config, logger } = bff;
  const server = await listen(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'content-type': 'application/json', allow: 'GET' }).end(JSON.stringify({ error: { code: 'method_not_allowed', message: 'A worker answers GET /healthz and GET /readyz only.' } }));
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ status: 'ok' }));
    } else if (path === '/readyz') {
      const ready = await bff.database.ping();
      res
        .writeHead(ready ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(ready ? { status: 'ready', jobs: true, problems: bff.services.problems.list() } : { error: { code: 'database_unavailable', message: 'The database is not reachable.' } }));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'not_found', message: 'A worker answers GET /healthz and GET /readyz only.' } }));
    }
  }, config.port, config.host);
  await bff.start();
  const port = listeningPort(server, config.port);
  console.log(`\n  connections-panel worker is running: background work every ${config.jobsPollSeconds} s on PostgreSQL; health check on http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/healthz.\n`);
  stopOnSignals(async () => {
    await bff.stop();
    await closeServer(server);
  }, logger);
}
