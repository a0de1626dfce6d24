import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { stdSerializers } from 'pino';
import type { Logger } from '../logger.ts';
import { redactUrl } from '../logger.ts';

declare module 'http' {
  interface IncomingMessage {
    /** The request's id: a well-formed X-Request-Id, or a new UUID. */
    id: string;
    /** The logger for this request: every entry carries `req` ({ id, method, url }). */
    log: Logger;
  }
}

const REQUEST_ID = /^[\w-]{1,64}$/;

/** What req.log is built from, kept on the request. */
const LOG = Symbol('request log');
type LoggedRequest = IncomingMessage & { [LOG]: { logger: Logger; describe: () => object; child: Logger | undefined } };

/**
 * req.log: one getter and setter for every request. Functions of the request's own (closures)
 * gave each request object a hidden class of its own, which V8 keeps reachable from the
 * class it came from until a full collection: every request then survived the young
 * generation's collections (about 3 MB a collection under load, the largest part of a small
 * answer's garbage collection time; npm run bench -- agencies).
 */
const LOG_ACCESSOR: PropertyDescriptor & ThisType<LoggedRequest> = {
  configurable: true,
  enumerable: false,
  get() {
    const state = this[LOG];
    return (state.child ??= state.logger.child({ req: state.describe() }));
  },
  set(logger: Logger) {
    this[LOG].child = logger;
  },
};

/**
 * One log line per request when its response finishes (or the connection closes first):
 * `{ req: { id, method, url }, res: { statusCode }, responseTime, msg }`, at info, warn for
 * 4xx, error for 5xx (with an `err`), URLs with their secret query values redacted. The same
 * line pino-http wrote, without its per-request child logger and full request serializer,
 * which were a large part of a small request's cost (npm run bench -- agencies). `req.log`
 * (a child logger bound to the request) is built only when something logs through it.
 */
export function requestLog(logger: Logger): RequestHandler {
  // The request line is made of the id, method, redacted URL, status and time, never a
  // secret: it skips the logger's path redaction, which cloned each entry (about a tenth of
  // a small answer's allocations). Everything else, req.log included, keeps it.
  const lines = logger.child({}, { redact: { paths: [] } });
  return (req, res, next) => {
    if (!req.id) {
      const header = req.headers['x-request-id'];
      req.id = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    }
    const id = req.id;
    const started = Date.now();
    let described: { id: string; method: string; url: string } | undefined;
    const describe = () => (described ??= { id, method: req.method, url: redactUrl(req.originalUrl ?? req.url) });
    // A host app's own request logger (its req.log), when it mounts this router, stays in place.
    if (!('log' in req)) {
      (req as LoggedRequest)[LOG] = { logger, describe, child: undefined };
      Object.defineProperty(req, 'log', LOG_ACCESSOR);
    }
    const done = () => {
      res.removeListener('close', done);
      res.removeListener('finish', done);
      finished(lines, describe(), res, Date.now() - started);
    };
    res.on('close', done);
    res.on('finish', done);
    next();
  };
}

function finished(logger: Logger, req: { id: string; method: string; url: string }, res: ServerResponse<IncomingMessage>, responseTime: number): void {
  const status = res.statusCode;
  if (status >= 500) {
    logger.error({ req, res: { statusCode: status }, err: stdSerializers.err(new Error(`failed with status code ${status}`)), responseTime }, 'request errored');
  } else if (status >= 400) logger.warn({ req, res: { statusCode: status }, responseTime }, 'request completed');
  else logger.info({ req, res: { statusCode: status }, responseTime }, 'request completed');
}
