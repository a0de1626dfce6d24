import { Router, type Request, type RequestHandler } from 'express';
import { sessionOf } from '../http/auth.ts';
import { HttpError } from '../http/errors.ts';
import { jsonObject, oneOf, optionalString, queryParams, requiredString, uuidParam, type Body } from '../http/validate.ts';
import { ALL_PLATFORMS } from '../platforms/catalog.ts';
import { CONNECT_MODES, type ConnectionService, type ConnectMode } from './connection.service.ts';

/** `returnTo` must be a page on one of the host origins we may send people back to. */
function returnToOf(body: Body, allowedOrigins: readonly string[]): string | null {
  const value = optionalString(body, 'returnTo', { max: 2048 });
  if (value === undefined) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HttpError(400, 'invalid_return_to', '"returnTo" must be an absolute URL.');
  }
  if (!allowedOrigins.includes(url.origin)) {
    throw new HttpError(400, 'invalid_return_to', `"returnTo" must be on an allowed origin (${allowedOrigins.join(', ')}).`);
  }
  return url.href;
}

function modeOf(body: Body): ConnectMode {
  return body.mode === undefined ? 'popup' : oneOf(body.mode, 'mode', CONNECT_MODES);
}

/** The host page's origin, when it is one we may post the OAuth result to. */
function openerOrigin(req: Request, returnTo: string | null, allowedOrigins: readonly string[]): string | null {
  const origin = req.headers.origin;
  if (typeof origin === 'string' && allowedOrigins.includes(origin)) return origin;
  return returnTo ? new URL(returnTo).origin : null;
}

/** Widget API: starting connections and reconnections, following them, choosing accounts. */
export function connectionRoutes(connections: ConnectionService, allowedOrigins: readonly string[], startLimiter: RequestHandler): Router {
  const router = Router();

  router.post('/connections', startLimiter, async (req, res) => {
    queryParams(req.query, []);
    const body = jsonObject(req.body, ['platform', 'mode', 'returnTo']);
    const platform = oneOf(requiredString(body, 'platform', { max: 32 }), 'platform', ALL_PLATFORMS, 'unknown_platform');
    const returnTo = returnToOf(body, allowedOrigins);
    const started = await connections.start({
      session: sessionOf(res),
      platform,
      mode: modeOf(body),
      returnTo,
      openerOrigin: openerOrigin(req, returnTo, allowedOrigins),
      accountId: null,
    });
    res.status(201).json(started);
  });

  router.post('/accounts/:accountId/reconnect', startLimiter, async (req, res) => {
    queryParams(req.query, []);
    const accountId = uuidParam(req.params.accountId, 'The account id');
    const body = jsonObject(req.body, ['mode', 'returnTo']);
    const returnTo = returnToOf(body, allowedOrigins);
    const session = sessionOf(res);
    const started = await connections.start({
      session,
      platform: null,
      mode: modeOf(body),
      returnTo,
      openerOrigin: openerOrigin(req, returnTo, allowedOrigins),
      accountId,
    });
    res.status(201).json(started);
  });

  router.get('/connections/:attemptId', async (req, res) => {
    queryParams(req.query, []);
    const { attemptId: _id, ...result } = await connections.status(sessionOf(res), uuidParam(req.params.attemptId, 'The attempt id'));
    res.json(result);
  });

  router.post('/connections/:attemptId/select', async (req, res) => {
    queryParams(req.query, []);
    const attemptId = uuidParam(req.params.attemptId, 'The attempt id');
    const body = jsonObject(req.body, ['ids']);
    const ids = body.ids;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100 || !ids.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 128)) {
      throw new HttpError(400, 'invalid_field', '"ids" must be a list of 1 to 100 account ids from the choices.');
    }
    if (new Set(ids).size !== ids.length) throw new HttpError(400, 'invalid_field', '"ids" must not repeat an id.');
    res.json(await connections.select(sessionOf(res), attemptId, ids as string[]));
  });

  return router;
}
