/**
 * A BFF under load, in a process of its own so its memory can be measured apart from the
 * load generator: the test server (sandbox inside, PGlite or a PostgreSQL schema as the
 * suite runs), logging at info to nowhere, a workspace with accounts. Talks over IPC:
 * it sends { url, member, admin, accountIds } when ready; on "memory" it collects garbage
 * and sends process.memoryUsage(); on "close" it shuts down.
 */
import { Writable } from 'node:stream';
import { createLogger } from '../../bff/logger.ts';
import { startTestServer } from './server.ts';

const nowhere = new Writable({ write: (_chunk, _enc, done) => done() });
const server = await startTestServer({ deps: { logger: createLogger({ level: 'info' }, nowhere) } });
await server.putWorkspace('load', { plan: 'enterprise' });
const accountIds: string[] = [];
for (let i = 0; i < 12; i++) accountIds.push((await server.insertAccount('load', { display_name: `Page ${i}` })).id);
const member = await server.session('load', 'member', 86_400);
const admin = await server.session('load', 'admin', 86_400);

const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', async (message) => {
  if (message === 'memory') {
    gc?.();
    await new Promise((r) => setImmediate(r));
    gc?.();
    process.send!({ memory: process.memoryUsage() });
  } else if (message === 'close') {
    await server.close();
    process.exit(0);
  }
});
process.send!({ url: server.url, member, admin, accountIds, gc: gc !== undefined });
