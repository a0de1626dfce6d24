import { createServer, IncomingMessage, ServerResponse, type Server, type ServerOptions } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { answerClientErrorsAsJson } from './http/client-error.ts';
import type { Logger } from './logger.ts';

/**
 * PORT=0 picks a free port. Without PUBLIC_URL, the redirect URIs and the sandbox's address are
 * built on the port, so pick it before the configuration is read rather than print port 0.
 */
export async function withPickedPort(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  if (env['PORT'] !== '0' || env['PUBLIC_URL']) return env;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return { ...env, PORT: String(port) };
}

type Handler = NonNullable<Parameters<typeof createServer>[1]>;
/** What an Express app gives its requests and responses as their prototypes. */
interface ExpressPrototypes {
  request: IncomingMessage;
  response: ServerResponse;
}

/**
 * Express gives every request and response its own prototypes (app.request, app.response) as
 * it arrives. Changing an object's prototype costs V8 its fast paths for everything that then
 * touches that object, Node's HTTP code included: about 80 µs of CPU a request here, more than
 * the rest of a small answer (npm run bench -- agencies). This server makes its requests and
 * responses with those prototypes from the start, so that change finds nothing to change.
 */
export function serverOptionsFor(handler: Handler): ServerOptions {
  const app = handler as Partial<ExpressPrototypes>;
  if (!(app.request instanceof IncomingMessage) || !(app.response instanceof ServerResponse)) return {};
  // Node's constructors are plain functions (Node 20 to 24), so they can build `this` as
  // subclasses' do; were they ever classes, the server keeps Node's own and loses only speed.
  // (Reflect.construct would work for both, but its objects were slower still: 235 µs.)
  if ([IncomingMessage, ServerResponse].some((c) => Function.prototype.toString.call(c).startsWith('class'))) return {};
  const NodeResponse = ServerResponse as unknown as (this: ServerResponse, req: IncomingMessage, options?: unknown) => void;
  function Request(this: IncomingMessage, socket: Socket): void {
    IncomingMessage.call(this, socket);
  }
  Request.prototype = app.request;
  function Response(this: ServerResponse, req: IncomingMessage, options?: unknown): void {
    NodeResponse.call(this, req, options);
  }
  Response.prototype = app.response;
  return { IncomingMessage: Request as unknown as typeof IncomingMessage, ServerResponse: Response as unknown as typeof ServerResponse };
}

/** Listens on host:port; resolves with the server once it accepts connections. */
export async function listen(handler: Handler, port: number, host: string): Promise<Server> {
  const server = createServer(serverOptionsFor(handler), handler);
  answerClientErrorsAsJson(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

export function listeningPort(server: Server, fallback: number): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : fallback;
}

/**
 * SIGTERM and SIGINT stop the process gracefully: no new connections, background work drained,
 * the database closed, exit 0 (1 if that takes longer than `graceMs`).
 */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger, graceMs = 25_000): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, graceMs);
    force.unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Stops accepting connections and waits for the open ones (idle keep-alives are closed at once). */
export function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  return closed;
}
