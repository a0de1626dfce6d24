/**
 * One BFF instance for the refresh benchmark, in a process of its own: its own services and
 * connection pool on the benchmark's database, the shared sandbox (and its clock) over HTTP.
 * It says `ready`, runs one full scheduler pass on `go`, and answers `done` with how many
 * accounts it processed and how long the pass took. Input: BENCH_WORKER (JSON).
 */
import { createServices } from '../bff/services.ts';
import { OffsetClock } from '../bff/clock.ts';
import type { Config } from '../bff/config.ts';
import { connectPostgres } from '../bff/db/connect.ts';
import { createLogger } from '../bff/logger.ts';
import { followSandboxClock } from '../bff/platforms/sandbox-clock.ts';
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
const clock = new OffsetClock();
const stopFollowing = await followSandboxClock(input.config.sandboxUrl, clock, logger);
const database = connectPostgres({ ...input.postgres, max: 10 });
const services = createServices({ config, database, logger, clock, scheduler: input.scheduler });

listen(async (message) => {
  if (message.type === 'go') {
    const started = performance.now();
    const processed = await services.scheduler.runOnce();
    tell({ type: 'done', processed, ms: performance.now() - started });
  } else if (message.type === 'exit') {
    stopFollowing();
    await database.close();
    process.exit(0);
  }
});
tell({ type: 'ready' });
