/**
 * A BFF instance in a process of its own, for tests that kill one: it runs one refresh pass
 * on the PostgreSQL schema and sandbox it is given (WORKER_CONFIG, JSON), then exits.
 */
import { createServices } from '../../bff/services.ts';
import { OffsetClock } from '../../bff/clock.ts';
import { connectPostgres } from '../../bff/db/connect.ts';
import { createLogger } from '../../bff/logger.ts';
import { followSandboxClock } from '../../bff/platforms/sandbox-clock.ts';

const input = JSON.parse(process.env.WORKER_CONFIG!) as {
  config: Record<string, unknown> & { tokenEncryptionKeys: { id: string; key: string }[]; sandboxUrl: string };
  postgres: { connectionString: string; schema: string };
};
const config = {
  ...input.config,
  tokenEncryptionKeys: input.config.tokenEncryptionKeys.map((k) => ({ id: k.id, key: Buffer.from(k.key, 'base64') })),
} as unknown as Parameters<typeof createServices>[0]['config'];
const logger = createLogger({ level: 'silent' });
const clock = new OffsetClock();
const stop = await followSandboxClock(input.config.sandboxUrl, clock, logger);
const database = connectPostgres(input.postgres);
const services = createServices({ config, database, logger, clock, scheduler: { batchSize: 50, concurrency: 8 } });
console.log('worker ready');
const processed = await services.scheduler.runOnce();
console.log(`worker done ${processed}`);
stop();
await database.close();
