import * as api from '../../contract/api.ts';
import { sessionOf } from '../http/auth.ts';
import { routes, type Routes } from '../http/route.ts';
import type { EventService } from './events.ts';

/** Widget API: the workspace's events since a cursor, shown as toasts. */
export function eventRoutes(events: EventService, into: Routes = routes('/api')): Routes {
  into.add(api.listEvents, async ({ query, res }) => ({ status: 200, body: await events.list(sessionOf(res).workspaceId, query.after) }));
  return into;
}
