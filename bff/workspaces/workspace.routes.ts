import { Router } from 'express';
import { sessionOf } from '../http/auth.ts';
import { queryParams } from '../http/validate.ts';
import type { WorkspaceService } from './workspace.service.ts';

/** Widget API: what the session's workspace may connect. */
export function platformRoutes(workspaces: WorkspaceService): Router {
  const router = Router();
  router.get('/platforms', async (req, res) => {
    queryParams(req.query, []);
    res.json(await workspaces.platforms(sessionOf(res).workspaceId));
  });
  return router;
}
