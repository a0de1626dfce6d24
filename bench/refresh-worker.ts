/**
 * One BFF instance for the refresh benchmark, in a process of its own: its own services and
 * connection pool on the benchmark's database, the shared sandbox (and its clock) over HTTP.
 * It says `ready`, runs one full scheduler pass on `go`, and answers `done` with how many
 * accounts it processed and how long the pass took. Input: BENCH_WORKER (JSON).
 */
import { createBff } from '../bff/bff.ts';
import type { Config } from '../bff/config.ts';
import { connectPostgres } from '../bff/db/connect.ts';
import { createLogger } from '../bff/logger.ts';
import type { SchedulerOptions } from '../bff/refresh/scheduler.ts';
import { listen, tell } from './child.ts';

export interface WorkerInput {
  config: Omit<Config, 'tokenEncryptionKeys'> & { tokenEncryptionKeys: { id: string; key: string }[]; sandboxUrl: string };
  postgres: { connectionString: string; schema: string };
  scheduler: Partial<SchedulerOptions>;
}

const input = JSON.parse(process.env.BENCH_WORKER!) as WorkerInput;
const config: Config = { ...input.config, tokenEncryptionKeys: input.config.tokenEncryptionKeys.map((k) => ({ id: k.id, key: Buffer.from(k.key, 'base64') })) };
const logger = createLogger({ level: 'silent' });
const database = connectPostgres({ ...input.postgres, max: 10 });
// A worker: background work only, on the shared sandbox's clock (SANDBOX_URL).
const bff = await createBff({ config, database, migrate: false, logger, role: 'worker', overrides: { scheduler: input.scheduler } });
const { services } = bff;

listen(async (message) => {
  if (message.type === 'go') {
    const started = performance.now();
    const processed = await services.scheduler.runOnce();
    tell({ type: 'done', processed, ms: performance.now() - started });
  } else if (message.type === 'exit') {
    await bff.stop();
    await database.close();
    process.exit(0);
  }
});
tell({ type: 'ready' });
