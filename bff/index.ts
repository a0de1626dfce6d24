/**
 * The BFF's public API, the package export "./bff": everything a host needs to run the BFF
 * inside its own Express app (see examples/host-backend/) or to build the standalone app.
 * The package ships TypeScript source: import it through tsx (or a bundler that reads .ts).
 */
export { createApp, createConnectionsRouter, BODY_LIMIT } from './app.ts';
export type { CreateAppOptions } from './app.ts';
export { createServices } from './services.ts';
export type { AppDeps, Services } from './services.ts';
export { loadConfig, ConfigError, isMixedDeployment } from './config.ts';
export type { Config, ConfigNotices } from './config.ts';
export { connectPostgres, connectPglite } from './db/connect.ts';
export type { DatabaseHandle, PostgresOptions } from './db/connect.ts';
export { migrateToLatest } from './db/migrate.ts';
export { systemClock, OffsetClock } from './clock.ts';
export type { Clock } from './clock.ts';
export { createLogger } from './logger.ts';
export type { Logger } from './logger.ts';
export { createSandbox, bffCallbackUrls } from './sandbox/index.ts';
export { followSandboxClock } from './platforms/sandbox-clock.ts';
export type { Sandbox, SandboxOptions } from './sandbox/index.ts';
export { createOpenApiDocument } from '../contract/openapi.ts';
export type { Account, AccountDetail, PublicEvent, WebhookDelivery, Role, Plan, LivePlatform, Platform } from '../contract/types.ts';
export type { Session } from './sessions/sessions.ts';
export { ALL_PLATFORMS, LIVE_PLATFORMS } from '../contract/platforms.ts';
