import type { Request, RequestHandler } from 'express';
import * as api from '../../contract/api.ts';
import { sessionOf } from '../http/auth.ts';
import { routes, type Routes } from '../http/route.ts';
import type { ConnectionService } from './connection.service.ts';
import { returnToOf } from './return-to.ts';

/** The host page's origin, when it is one we may post the OAuth result to. */
function openerOrigin(req: Request, returnTo: string | null, allowedOrigins: readonly string[]): string | null {
  const origin = req.headers.origin;
  if (typeof origin === 'string' && allowedOrigins.includes(origin)) return origin;
  return returnTo ? new URL(returnTo).origin : null;
}

/** Widget API: starting connections and reconnections, following them, choosing accounts. */
export function connectionRoutes(
  connections: ConnectionService,
  allowedOrigins: readonly string[],
  startLimiter: RequestHandler,
  into: Routes = routes('/api'),
): Routes {
  into.add(
    api.startConnection,
    async ({ body, req, res }) => {
      const returnTo = returnToOf(body.returnTo, allowedOrigins);
      const started = await connections.start({
        session: sessionOf(res),
        platform: body.platform,
        kind: body.kind ?? null,
        mode: body.mode ?? 'popup',
        returnTo,
        openerOrigin: openerOrigin(req, returnTo, allowedOrigins),
        accountId: null,
      });
      return { status: 201, body: started };
    },
    startLimiter,
  );

  into.add(
    api.startReconnection,
    async ({ params, body, req, res }) => {
      const returnTo = returnToOf(body.returnTo, allowedOrigins);
      const started = await connections.start({
        session: sessionOf(res),
        platform: null,
        mode: body.mode ?? 'popup',
        returnTo,
        openerOrigin: openerOrigin(req, returnTo, allowedOrigins),
        accountId: params.accountId,
      });
      return { status: 201, body: started };
    },
    startLimiter,
  );

  into.add(api.getConnection, async ({ params, res }) => {
    const { attemptId: _id, ...result } = await connections.status(sessionOf(res), params.attemptId);
    return { status: 200, body: result };
  });

  into.add(api.selectAccounts, async ({ params, body, res }) => ({
    status: 200,
    body: await connections.select(sessionOf(res), params.attemptId, body.ids),
  }));

  return into;
}
