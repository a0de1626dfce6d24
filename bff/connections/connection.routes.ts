import { Router, type RequestHandler } from 'express';
import { sessionOf } from '../http/auth.ts';
import { HttpError } from '../http/errors.ts';
import { jsonObject, oneOf, optionalString, queryParams, requiredString, type Body } from '../http/validate.ts';
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

/** Widget API: starting connections and reconnections. */
export function connectionRoutes(connections: ConnectionService, allowedOrigins: readonly string[], startLimiter: RequestHandler): Router {
  const router = Router();

  router.post('/connections', startLimiter, async (req, res) => {
    queryParams(req.query, []);
    const body = jsonObject(req.body, ['platform', 'mode', 'returnTo']);
    const platform = oneOf(requiredString(body, 'platform', { max: 32 }), 'platform', ALL_PLATFORMS, 'unknown_platform');
    const started = await connections.start({
      session: sessionOf(res),
      platform,
      mode: modeOf(body),
      returnTo: returnToOf(body, allowedOrigins),
      accountId: null,
    });
    res.status(201).json(started);
  });

  return router;
}

