/**
 * How an endpoint is described once, for both its route (the BFF validates requests with its
 * schemas and answers with its shapes) and the OpenAPI document (generated from the same
 * descriptions). Nango-style: one typed declaration per endpoint.
 */
import type { z } from 'zod';
import type { ErrorCode } from './errors.ts';

export type Method = 'get' | 'post' | 'put' | 'delete';

/** Who may call it: the host's backend, the widget with a session, or anyone (OAuth, platforms). */
export type Auth = 'host' | 'session' | 'none';

/** A response that is not JSON: a page, a script, or a redirect. */
export type NonJson = 'html' | 'javascript' | 'redirect' | 'empty';

export interface ResponseSpec {
  description: string;
  /** A zod schema for JSON, or the kind of non-JSON answer. */
  body: z.ZodType | NonJson;
  headers?: Record<string, { description?: string; required?: boolean; pattern?: string; format?: 'uri' }>;
}

export interface Endpoint {
  operationId: string;
  method: Method;
  /** Express-style, from the BFF's root: `/api/accounts/:accountId`. */
  path: string;
  tag: 'host' | 'widget' | 'oauth' | 'push' | 'links' | 'operations';
  summary: string;
  description?: string;
  auth: Auth;
  params?: z.ZodObject;
  /** Strict unless it is a loose object (the OAuth callback takes whatever the platform sends). */
  query?: z.ZodObject;
  /** A JSON body unless `form` says it is application/x-www-form-urlencoded. */
  body?: z.ZodType;
  form?: boolean;
  /**
   * The answers by status. JSON errors need not be listed: they come from `errors` and the
   * route's place (auth, body, query, rate limit), each code with its catalog status.
   */
  responses: Partial<Record<number, ResponseSpec>>;
  /** The error codes this endpoint answers besides the ones its place gives every route. */
  errors: readonly ErrorCode[];
  /** Counted against RATE_LIMIT_PER_MINUTE (a 429 with Retry-After). */
  rateLimited?: boolean;
}

export function endpoint<const E extends Endpoint>(e: E): E {
  return e;
}

type Infer<S> = S extends z.ZodType ? z.infer<S> : never;
export type ParamsOf<E extends Endpoint> = E['params'] extends z.ZodObject ? z.infer<E['params']> : Record<string, never>;
export type QueryOf<E extends Endpoint> = E['query'] extends z.ZodObject ? z.infer<E['query']> : Record<string, never>;
export type BodyOf<E extends Endpoint> = E['body'] extends z.ZodType ? z.infer<E['body']> : undefined;

/** The answers a handler may give: one per documented success status. */
type SuccessStatus<E extends Endpoint> = Extract<keyof E['responses'], 200 | 201 | 204 | 302>;
export type ReplyOf<E extends Endpoint> = {
  [S in SuccessStatus<E>]: E['responses'][S] extends { body: infer B }
    ? B extends z.ZodType
      ? { status: S; body: Infer<B> }
      : { status: S; body?: undefined }
    : never;
}[SuccessStatus<E>];
