/**
 * A BFF instance in a process of its own, for tests that kill one: it runs one refresh pass
 * on the PostgreSQL schema and sandbox it is given (WORKER_CONFIG, JSON), then exits.
 */
import { createBff } from '../../bff/bff.ts';
import type { Config } from '../../bff/config.ts';
import { connectPostgres } from '../../bff/db/connect.ts';
import { createLogger } from '../../bff/logger.ts';

const input = JSON.parse(process.env.WORKER_CONFIG!) as {
  config: Record<string, unknown> & { tokenEncryptionKeys: { id: string; key: string }[]; sandboxUrl: string };
  postgres: { connectionString: string; schema: string };
};
const config = {
  ...input.config,
  tokenEncryptionKeys: input.config.tokenEncryptionKeys.map((k) => ({ id: k.id, key: Buffer.from(k.key, 'base64') })),
} as unknown as Config;
const logger = createLogger({ level: 'silent' });
const database = connectPostgres(input.postgres);
// A worker on the shared sandbox (SANDBOX_URL), following its clock.
const bff = await createBff({ config, database, migrate: false, logger, role: 'worker', overrides: { scheduler: { batchSize: 50, concurrency: 8 } } });
console.log('worker ready');
const processed = await bff.services.scheduler.runOnce();
console.log(`worker done ${processed}`);
await bff.stop();
await database.close();
