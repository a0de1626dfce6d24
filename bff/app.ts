import express, { Router, type Express, type RequestHandler } from 'express';
import cors from 'cors';
import { rateLimit } from 'express-rate-limit';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/connect.ts';
import { transactionRunner } from './db/transaction.ts';
import { TokenCipher } from './crypto/token-cipher.ts';
import { errorHandler, HttpError, notFound } from './http/errors.ts';
import { requireHostKey, requireSession } from './http/auth.ts';
import { securityHeaders } from './http/security-headers.ts';
import { createLogger, redactUrl, type Logger } from './logger.ts';
import { AccountRepository } from './accounts/account.repository.ts';
import { AccountService, type RevokeAtPlatform } from './accounts/account.service.ts';
import { accountRoutes } from './accounts/account.routes.ts';
import { WorkspaceRepository } from './workspaces/workspace.repository.ts';
import { WorkspaceService } from './workspaces/workspace.service.ts';
import { hostRoutes } from './workspaces/host.routes.ts';
import { platformRoutes } from './workspaces/workspace.routes.ts';
import { EventRepository } from './events/event.repository.ts';
import { EventService } from './events/events.ts';
import { eventRoutes } from './events/event.routes.ts';
import { ConnectionService } from './connections/connection.service.ts';
import { connectionRoutes } from './connections/connection.routes.ts';
import { oauthRoutes } from './connections/oauth.routes.ts';
import { AttemptRepository } from './connections/attempt.repository.ts';
import { SessionSigner } from './sessions/sessions.ts';
import { createPlatformRegistry, type PlatformRegistry } from './platforms/registry.ts';
import { toStoredAccount } from './accounts/credentials.ts';
import type { LivePlatform } from './platforms/catalog.ts';
import { RefreshService } from './refresh/refresh.service.ts';
import { DEFAULT_SCHEDULER, RefreshScheduler, type SchedulerOptions } from './refresh/scheduler.ts';
import { HealthCheckService } from './refresh/health-check.service.ts';
import { healthCheckRoutes } from './refresh/health-check.routes.ts';
import { HealthEvents } from './accounts/health-events.ts';
import { WebhookRepository } from './webhooks/webhook.repository.ts';
import { WebhookDispatcher } from './webhooks/webhook.dispatcher.ts';
import type { Sandbox } from './sandbox/index.ts';
import { demoRoutes } from './demo/demo.routes.ts';
import { createOpenApiDocument } from './openapi/document.ts';

export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  logger?: Logger;
  /** The clock of every product rule (the sandbox's in sandbox mode). */
  clock?: Clock;
  /** Real time, for session expiry only. */
  wallClock?: Clock;
  /** Overrides revoking at the platform on disconnect (tests); by default the platform's adapter does it. */
  revokeAtPlatform?: RevokeAtPlatform;
  /** The sandbox platforms, served under /sandbox by this BFF (sandbox mode without SANDBOX_URL). */
  sandbox?: Sandbox;
  /** Overrides the adapters built from the configuration. */
  platforms?: PlatformRegistry;
  /** Scheduler settings (interval, batch size, concurrency). */
  scheduler?: Partial<SchedulerOptions>;
}

export const BODY_LIMIT = '100kb';

/** Everything the routes need, built once from the deps. */
export function createServices(deps: AppDeps) {
  const { config, database } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createLogger();
  const db = database.db;
  const inTransaction = transactionRunner(db);
  const cipher = new TokenCipher(config.tokenEncryptionKeys);
  const wallClock = deps.wallClock ?? systemClock;
  const platforms = deps.platforms ?? createPlatformRegistry(config, clock, config.sandboxUrl ?? `${config.publicUrl}/sandbox`);
  const accountRepository = new AccountRepository(db);
  const workspaceRepository = new WorkspaceRepository(db);
  const deliveries = new WebhookRepository(db);
  const events = new EventService(new EventRepository(db), config.webhook ? { deliveries, wallClock } : null);
  const webhooks = config.webhook ? new WebhookDispatcher({ deliveries, webhook: config.webhook, wallClock, logger }) : null;
  const revokeAtPlatform: RevokeAtPlatform =
    deps.revokeAtPlatform ?? ((row) => platforms.get(row.platform as LivePlatform).revoke(toStoredAccount(cipher, row)));
  const healthEvents = new HealthEvents(accountRepository, events, clock);
  const accounts = new AccountService(accountRepository, events, inTransaction, clock, logger, revokeAtPlatform, cipher, healthEvents);
  const workspaces = new WorkspaceService(workspaceRepository, accountRepository, clock);
  const connections = new ConnectionService({
    config,
    workspaces,
    workspaceRepository,
    accounts,
    accountRepository,
    attempts: new AttemptRepository(db),
    platforms,
    cipher,
    inTransaction,
    clock,
    wallClock,
    logger,
  });
  const refresh = new RefreshService({ accounts: accountRepository, platforms, cipher, events, healthEvents, inTransaction, clock, wallClock, logger });
  const scheduler = new RefreshScheduler({ refresh, accounts: accountRepository, clock, wallClock, logger }, { ...DEFAULT_SCHEDULER, ...deps.scheduler });
  const healthChecks = new HealthCheckService({ refresh, accounts, accountRepository, logger });
  const sessions = new SessionSigner(config.hostApiKey, wallClock);
  return { config, clock, logger, database, cipher, platforms, accountRepository, accounts, workspaces, events, healthEvents, deliveries, webhooks, connections, refresh, scheduler, healthChecks, sessions };
}

export type Services = ReturnType<typeof createServices>;

/** Requests with a body must say it is JSON. */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).');
  }
  // JSON is UTF-8 (RFC 8259); body-parser would also decode UTF-7 and UTF-16, which no client needs.
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (hasBody && charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpError(415, 'unsupported_encoding', 'Send the request body as UTF-8 JSON (Content-Type: application/json; charset=utf-8).');
  }
  next();
};

function limiter(perMinute: number): RequestHandler {
  if (perMinute === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) => {
      next(new HttpError(429, 'rate_limited', 'Too many requests. Please wait a minute and try again.', { 'Retry-After': '60' }));
    },
  });
}

/**
 * The whole BFF as one router, for a host to mount in its own Express app
 * (`app.use('/connections', createConnectionsRouter(deps))`, with PUBLIC_URL ending in
 * `/connections`). Its errors are JSON and stay inside its own paths.
 */
export function createConnectionsRouter(deps: AppDeps, services: Services = createServices(deps)): Router {
  const { config, logger, database } = services;
  const router = Router();

  router.use(
    pinoHttp({
      logger,
      genReqId: (req) => (typeof req.headers['x-request-id'] === 'string' && /^[\w-]{1,64}$/.test(req.headers['x-request-id']) ? req.headers['x-request-id'] : randomUUID()),
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );

  // The sandbox stands for the platforms' own sites: it sends its own headers (sendHtml), not ours.
  if (deps.sandbox) router.use('/sandbox', deps.sandbox.router);
  router.use(securityHeaders(config));

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (await database.ping()) res.json({ status: 'ready' });
    else res.status(503).json({ error: { code: 'database_unavailable', message: 'The database is not reachable.' } });
  });
  const openApi = createOpenApiDocument({ serverUrl: config.publicUrl });
  router.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });

  const json = [requireJsonBody, express.json({ limit: BODY_LIMIT, strict: true, type: 'application/json' })];
  const host = Router();
  host.use(limiter(config.rateLimitPerMinute), requireHostKey(config.hostApiKey), ...json);
  host.use(hostRoutes(services));
  host.use(notFound);
  router.use('/v1', host);

  const widget = Router();
  widget.use(
    cors({
      origin: (origin, callback) => callback(null, origin !== undefined && config.allowedOrigins.includes(origin)),
      methods: ['GET', 'POST', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      maxAge: 600,
    }),
  );
  widget.use(requireSession(services.sessions, config.hostApiKey), ...json);
  widget.use(accountRoutes(services.accounts));
  widget.use(platformRoutes(services.workspaces));
  widget.use(eventRoutes(services.events));
  widget.use(healthCheckRoutes(services.healthChecks));
  widget.use(connectionRoutes(services.connections, config.allowedOrigins, limiter(config.rateLimitPerMinute)));
  widget.use(notFound);
  router.use('/api', widget);

  router.use('/oauth', oauthRoutes(services.connections, config));

  router.use(errorHandler);
  return router;
}

export interface CreateAppOptions {
  /** Services built by the caller (the entry point, which also starts their scheduler). */
  services?: Services;
  /** A folder served at / (the example host page in the standalone BFF). */
  staticDir?: string;
  /** The built widget (`npm run build`), served at /dist so host pages can load it from the BFF. */
  widgetDir?: string;
  /** Serves POST /demo/session for the example page (development on the embedded database only). */
  demo?: boolean;
}

/** The standalone BFF: the router at the root, unknown routes as JSON 404s. Does not listen. */
export function createApp(deps: AppDeps, options: CreateAppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const services = options.services ?? createServices(deps);
  app.use(createConnectionsRouter(deps, services));
  if (options.demo) app.use('/demo', demoRoutes(services));
  if (options.widgetDir) app.use('/dist', express.static(options.widgetDir, { index: false, maxAge: '5m' }));
  if (options.staticDir) app.use(express.static(options.staticDir, { index: 'index.html' }));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
