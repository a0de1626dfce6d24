import * as api from '../../contract/api.ts';
import { sessionOf } from '../http/auth.ts';
import { routes, type Routes } from '../http/route.ts';
import type { WorkspaceService } from './workspace.service.ts';

/** Widget API: what the session's workspace may connect. */
export function platformRoutes(workspaces: WorkspaceService, into: Routes = routes('/api')): Routes {
  into.add(api.listPlatforms, async ({ res }) => {
    const session = sessionOf(res);
    return { status: 200, body: await workspaces.platforms(session.workspaceId, session.role) };
  });
  return into;
}
