import type { RequestHandler } from 'express';
import * as api from '../../contract/api.ts';
import { sessionOf } from '../http/auth.ts';
import { routes, type Routes } from '../http/route.ts';
import type { HealthCheckService } from './health-check.service.ts';

/** Widget API: the hourly check while the panel is open, and pull-to-refresh. */
/** `limit` runs first: health checks cost platform calls, so they are rate-limited per workspace. */
export function healthCheckRoutes(healthChecks: HealthCheckService, into: Routes = routes('/api'), ...limit: RequestHandler[]): Routes {
  into.add(api.runHealthCheck, async ({ res }) => ({ status: 200, body: await healthChecks.run(sessionOf(res).workspaceId) }), ...limit);
  return into;
}
