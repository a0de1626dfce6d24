import { Router } from 'express';
import { sessionOf } from '../http/auth.ts';
import { queryParams } from '../http/validate.ts';
import type { EventService } from './events.ts';

/** Widget API: the workspace's events since a cursor, shown as toasts. */
export function eventRoutes(events: EventService): Router {
  const router = Router();
  router.get('/events', async (req, res) => {
    const { after } = queryParams(req.query, ['after']);
    res.json(await events.list(sessionOf(res).workspaceId, after));
  });
  return router;
}
