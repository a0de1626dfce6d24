/**
 * The BFF's public API, the package export "./bff" (compiled to dist/bff/index.js with types):
 *
 *   const bff = await createBff({ env: process.env });
 *   app.use('/connections', bff.router);
 *   await bff.start();
 *   // on shutdown: await bff.stop();
 *
 * createBff is the one composition root; the lower-level parts stay exported for hosts that
 * need one of them (a logger, the OpenAPI document, the types).
 */
export { createBff } from './bff.ts';
export type { Bff, CreateBffOptions } from './bff.ts';
export { createApp, createConnectionsRouter, BODY_LIMIT } from './app.ts';
export type { CreateAppOptions } from './app.ts';
export { createServices } from './services.ts';
export type { AppDeps, Services } from './services.ts';
export { loadConfig, ConfigError, isMixedDeployment } from './config.ts';
export type { Config, ConfigNotices, TrustProxy, LogFormat } from './config.ts';
export { connectPostgres, connectPglite } from './db/connect.ts';
export type { DatabaseHandle, PostgresOptions } from './db/connect.ts';
export { migrateToLatest } from './db/migrate.ts';
export { systemClock, OffsetClock } from './clock.ts';
export type { Clock } from './clock.ts';
export { createLogger } from './logger.ts';
export type { Logger } from './logger.ts';
export type { Sandbox, SandboxOptions } from './sandbox/index.ts';
export { createOpenApiDocument } from '../contract/openapi.ts';
export type { Account, AccountDetail, PublicEvent, WebhookDelivery, Role, Plan, LivePlatform, Platform } from '../contract/types.ts';
export type { Session } from './sessions/sessions.ts';
export { ALL_PLATFORMS, LIVE_PLATFORMS } from '../contract/platforms.ts';
