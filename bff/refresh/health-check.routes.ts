import * as api from '../../contract/api.ts';
import { sessionOf } from '../http/auth.ts';
import { routes, type Routes } from '../http/route.ts';
import type { HealthCheckService } from './health-check.service.ts';

/** Widget API: the hourly check while the panel is open, and pull-to-refresh. */
export function healthCheckRoutes(healthChecks: HealthCheckService, into: Routes = routes('/api')): Routes {
  into.add(api.runHealthCheck, async ({ res }) => ({ status: 200, body: await healthChecks.run(sessionOf(res).workspaceId) }));
  return into;
}
