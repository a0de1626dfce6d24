import express, { Router, type Express, type RequestHandler } from 'express';
import cors from 'cors';
import { errorHandler, notFound } from './http/errors.ts';
import { Failure } from './errors.ts';
import { requireHostKey, requireSession } from './http/auth.ts';
import { securityHeaders } from './http/security-headers.ts';
import { requireHost } from './http/client-error.ts';
import { countingFailures, perClientAddress, perHostKey, perWorkspace } from './http/rate-limit.ts';
import { requestLog } from './http/request-log.ts';
import { createServices, type AppDeps, type Services } from './services.ts';
import { demoAllowed } from './config.ts';
import { accountRoutes } from './accounts/account.routes.ts';
import { hostRoutes } from './workspaces/host.routes.ts';
import { hostLinkRoutes, linkPageRoutes, linkResultPage, widgetLinkRoutes } from './links/link.routes.ts';
import { platformRoutes } from './workspaces/workspace.routes.ts';
import { eventRoutes } from './events/event.routes.ts';
import { connectionRoutes } from './connections/connection.routes.ts';
import { oauthRoutes } from './connections/oauth.routes.ts';
import { metaPushRoutes, webhookRoutes } from './push/push.routes.ts';
import { healthCheckRoutes } from './refresh/health-check.routes.ts';
import { demoRoutes } from './demo/demo.routes.ts';
import * as api from '../contract/api.ts';
import { createOpenApiDocument } from '../contract/openapi.ts';
import { PACKAGE_VERSION } from './package-root.ts';
import { routes } from './http/route.ts';
import { renderErrorReferencePage } from './http/error-reference.ts';
import { sendPage } from './http/page.ts';
import { widgetBundle } from './http/widget-bundle.ts';

export const BODY_LIMIT = '100kb';

/** Requests with a body must say it is JSON. */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) {
    throw new Failure('unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).');
  }
  // JSON is UTF-8 (RFC 8259); body-parser would also decode UTF-7 and UTF-16, which no client needs.
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (hasBody && charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new Failure('unsupported_encoding', 'Send the request body as UTF-8 JSON (Content-Type: application/json; charset=utf-8).');
  }
  next();
};

/**
 * The whole BFF as one router, for a host to mount in its own Express app
 * (`app.use('/connections', createConnectionsRouter(deps))`, with PUBLIC_URL ending in
 * `/connections`). Its errors are JSON and stay inside its own paths.
 */
export function createConnectionsRouter(deps: AppDeps, services: Services = createServices(deps)): Router {
  const { config, logger, database } = services;
  const router = Router();

  router.use(requestLog(logger));

  router.use(requireHost);
  // The sandbox stands for the platforms' own sites: it sends its own headers (sendHtml), not ours.
  if (deps.sandbox) router.use('/sandbox', deps.sandbox.router);
  router.use(securityHeaders(config));

  const operations = routes('', router);
  operations.add(api.liveness, async () => ({ status: 200, body: { status: 'ok' as const } }));
  operations.add(api.readiness, async () => {
    if (!(await database.ping())) throw new Failure('database_unavailable', 'The database is not reachable.');
    return { status: 200, body: { status: 'ready' as const, jobs: services.jobsEnabled, problems: services.problems.list() } };
  });
  const errorPage = renderErrorReferencePage();
  operations.add(api.errorReference, async ({ res }) => sendPage(res, 200, errorPage, { cache: 'public, max-age=3600' }));
  const openApi = createOpenApiDocument({ serverUrl: config.publicUrl, version: PACKAGE_VERSION });
  operations.add(api.openApiDocument, async () => ({ status: 200, body: openApi as { openapi: string; paths: Record<string, unknown> } }));

  const json = [requireJsonBody, express.json({ limit: BODY_LIMIT, strict: true, type: 'application/json' })];
  const host = Router();
  // Rate limits by caller: the host key's bucket; bad credentials in a bucket by client address.
  const perMinute = config.rateLimitPerMinute;
  host.use(countingFailures(requireHostKey(config.hostApiKey), perClientAddress(perMinute)), perHostKey(perMinute), ...json);
  host.use(hostRoutes(services).router);
  hostLinkRoutes(services.links, routes('/v1', host));
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
  widget.use(countingFailures(requireSession(services.sessions, config.hostApiKey), perClientAddress(perMinute)), ...json);
  const widgetRoutes = routes('/api', widget);
  accountRoutes(services.accounts, widgetRoutes);
  platformRoutes(services.workspaces, widgetRoutes);
  eventRoutes(services.events, widgetRoutes);
  healthCheckRoutes(services.healthChecks, widgetRoutes, perWorkspace(perMinute));
  connectionRoutes(services.connections, config.allowedOrigins, perWorkspace(perMinute), widgetRoutes);
  widgetLinkRoutes(services.links, widgetRoutes);
  widget.use(notFound);
  router.use('/api', widget);

  // Push signals from the platforms: verified by signature, no session.
  const metaPush = Router();
  metaPushRoutes(services.push, metaPush);
  router.use('/oauth', metaPush);
  router.use('/webhooks', webhookRoutes(services.push));
  const linkPages = { links: services.links, linkRepository: services.linkRepository, connections: services.connections, accountRepository: services.accountRepository, workspaces: services.workspaces, config };
  router.use('/oauth', oauthRoutes(services.connections, config, linkResultPage(linkPages)));
  router.use('/links', linkPageRoutes(linkPages));

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
  /** Serves POST /demo/session for the example page: pass `config.demo` (DEMO), never true with real credentials. */
  demo?: boolean;
}

/** The standalone BFF: the router at the root, unknown routes as JSON 404s. Does not listen. */
export function createApp(deps: AppDeps, options: CreateAppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  const services = options.services ?? createServices(deps);
  app.use(createConnectionsRouter(deps, services));
  if (options.demo && !demoAllowed(services.config)) {
    throw new Error('The demo endpoints give anyone an admin session: they are only served on the embedded database with every platform on the sandbox (DEMO).');
  }
  if (options.demo) app.use('/demo', perClientAddress(services.config.rateLimitPerMinute), demoRoutes(services));
  if (options.widgetDir) app.use('/dist', widgetBundle(options.widgetDir));
  if (options.staticDir) app.use(express.static(options.staticDir, { index: 'index.html' }));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
