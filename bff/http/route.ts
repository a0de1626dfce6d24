/**
 * Routes built from the contract's endpoint declarations: the path and method come from the
 * declaration, the request is parsed with its schemas before the handler runs, and the
 * handler answers with one of its documented success statuses. A route cannot be registered
 * without a declaration, so the OpenAPI document (generated from the same declarations)
 * lists exactly what the BFF serves.
 */
import { hash } from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { BodyOf, Endpoint, ParamsOf, QueryOf, ReplyOf } from '../../contract/endpoint.ts';
import { parse } from './validate.ts';

export interface RouteInput<E extends Endpoint> {
  params: ParamsOf<E>;
  query: QueryOf<E>;
  body: BodyOf<E>;
  req: Request;
  res: Response;
}

/** What a handler returns: a documented answer, or nothing when it answered itself (pages, redirects). */
export type Handler<E extends Endpoint> = (input: RouteInput<E>) => Promise<ReplyOf<E> | void>;

const NO_QUERY = z.strictObject({});

/**
 * What Express's res.json sends (Content-Type with charset, Content-Length, the app's ETag, a
 * 304 when the client's copy is fresh, no body for HEAD), with the JSON written as one string
 * together with the headers: res.send copies it into a Buffer first and writes headers and
 * body apart, a measurable part of a 20 kB history page's cost (npm run bench -- agencies).
 */
export function sendJson(req: Request, res: Response, status: number, body: unknown): void {
  const text = JSON.stringify(body) ?? '';
  const length = Buffer.byteLength(text, 'utf8');
  res.statusCode = status;
  if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (!res.hasHeader('ETag')) {
    const tag = entityTag(req, text, length);
    if (tag) res.setHeader('ETag', tag);
  }
  if (req.fresh) {
    res.statusCode = 304;
    res.removeHeader('Content-Type');
    res.removeHeader('Content-Length');
    res.removeHeader('Transfer-Encoding');
    res.end();
    return;
  }
  res.setHeader('Content-Length', length);
  if (req.method === 'HEAD') res.end();
  else res.end(text, 'utf8');
}

/**
 * The ETag the app's `etag` setting asks for, as Express's own (the etag package's) would be:
 * weak by default, `W/"<length in hex>-<first 27 characters of the base64 SHA-1>"`. Express
 * copies the body into a Buffer and hashes it with a Hash object; one call of crypto.hash on
 * the string costs about half as much on a 20 kB history page (npm run bench -- agencies).
 * An app's own ETag function gets the body as res.send gives it (a Buffer).
 */
function entityTag(req: Request, text: string, length: number): string | undefined {
  const setting = req.app.get('etag') as unknown;
  if (typeof setting === 'function') return (req.app.get('etag fn') as (body: Buffer, encoding?: BufferEncoding) => string | undefined)(Buffer.from(text, 'utf8'));
  if (setting === false || setting === undefined) return undefined;
  const tag = `"${length.toString(16)}-${hash('sha1', text, 'base64').slice(0, 27)}"`;
  return setting === 'strong' ? tag : `W/${tag}`;
}

export interface Routes {
  readonly router: Router;
  /** Registers the endpoint's route; `before` runs first (rate limits). */
  add<E extends Endpoint>(endpoint: E, handler: Handler<E>, ...before: RequestHandler[]): void;
}

/** Routes for the endpoints under `prefix` (where `router` is mounted: '/api', '/v1', '' ...). */
export function routes(prefix: string, router: Router = Router()): Routes {
  return {
    router,
    add(endpoint, handler, ...before) {
      if (!endpoint.path.startsWith(`${prefix}/`)) throw new Error(`${endpoint.operationId} (${endpoint.path}) is not under ${prefix}`);
      const path = endpoint.path.slice(prefix.length);
      router[endpoint.method](path, ...before, async (req, res) => {
        const input = {
          params: endpoint.params ? parse(endpoint.params, req.params, 'params') : {},
          query: parse(endpoint.query ?? NO_QUERY, req.query ?? {}, 'query'),
          body: endpoint.body ? parse(endpoint.body, req.body ?? {}, 'body') : undefined,
          req,
          res,
        } as RouteInput<typeof endpoint>;
        const reply = await handler(input);
        if (!reply) return;
        if (reply.body === undefined) res.status(reply.status).end();
        else sendJson(req, res, reply.status, reply.body);
      });
    },
  };
}
