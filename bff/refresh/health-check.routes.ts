import { Router } from 'express';
import { sessionOf } from '../http/auth.ts';
import { jsonObject, queryParams } from '../http/validate.ts';
import type { HealthCheckService } from './health-check.service.ts';

/** Widget API: the hourly check while the panel is open, and pull-to-refresh. */
export function healthCheckRoutes(healthChecks: HealthCheckService): Router {
  const router = Router();
  router.post('/health-check', async (req, res) => {
    queryParams(req.query, []);
    jsonObject(req.body, []);
    res.json(await healthChecks.run(sessionOf(res).workspaceId));
  });
  return router;
}
