import * as api from '../../contract/api.ts';
import { sessionOf } from '../http/auth.ts';
import { routes, type Routes } from '../http/route.ts';
import type { AccountService } from './account.service.ts';

/** Widget API: the session's workspace's accounts. */
export function accountRoutes(accounts: AccountService, into: Routes = routes('/api')): Routes {
  into.add(api.listAccounts, async ({ query, res }) => ({ status: 200, body: await accounts.list(sessionOf(res).workspaceId, query) }));

  into.add(api.getAccount, async ({ params, res }) => {
    const session = sessionOf(res);
    return { status: 200, body: { account: await accounts.detail(session.workspaceId, params.accountId, session.role) } };
  });

  into.add(api.getAccountHistory, async ({ params, query, res }) => ({ status: 200, body: await accounts.history(sessionOf(res).workspaceId, params.accountId, query.after) }));

  into.add(api.disconnectAccount, async ({ params, res }) => {
    const session = sessionOf(res);
    await accounts.disconnect(session.workspaceId, params.accountId, { type: 'user', id: session.userId });
    return { status: 204 };
  });

  return into;
}
