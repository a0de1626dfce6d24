/**
 * Routes built from the contract's endpoint declarations: the path and method come from the
 * declaration, the request is parsed with its schemas before the handler runs, and the
 * handler answers with one of its documented success statuses. A route cannot be registered
 * without a declaration, so the OpenAPI document (generated from the same declarations)
 * lists exactly what the BFF serves.
 */
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
        else res.status(reply.status).json(reply.body);
      });
    },
  };
}
