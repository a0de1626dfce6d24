import * as api from '../../contract/api.ts';
import { SESSION_TTL } from '../../contract/schemas/workspaces.ts';
import type { AccountService } from '../accounts/account.service.ts';
import { routes, type Routes } from '../http/route.ts';
import type { RefreshService } from '../refresh/refresh.service.ts';
import type { SessionSigner } from '../sessions/sessions.ts';
import type { HistoryService } from '../history/history.service.ts';
import type { WorkspaceService } from './workspace.service.ts';

/** Host API (server to server, host API key): workspaces, sessions, accounts. */
export function hostRoutes(
  deps: { workspaces: WorkspaceService; accounts: AccountService; sessions: SessionSigner; refresh: RefreshService; history: HistoryService },
  into: Routes = routes('/v1'),
): Routes {
  into.add(api.putWorkspace, async ({ params, body }) => {
    const { workspace, created } = await deps.workspaces.put({
      id: params.workspaceId,
      name: body.name ?? null,
      plan: body.plan,
      accountLimit: body.accountLimit ?? null,
      ...(body.keepAccountIds ? { keepAccountIds: body.keepAccountIds } : {}),
    });
    return { status: created ? 201 : 200, body: { workspace } };
  });

  into.add(api.getWorkspace, async ({ params }) => {
    const row = await deps.workspaces.require(params.workspaceId);
    return { status: 200, body: { workspace: await deps.workspaces.toPublic(row) } };
  });

  into.add(api.listWorkspaceAccounts, async ({ params, query }) => {
    const row = await deps.workspaces.require(params.workspaceId);
    return { status: 200, body: await deps.accounts.list(row.id, query) };
  });

  into.add(api.exportAudit, async ({ params, query }) => {
    const row = await deps.workspaces.require(params.workspaceId);
    return { status: 200, body: await deps.history.audit(row.id, query.after) };
  });

  into.add(api.createSession, async ({ body }) => {
    await deps.workspaces.require(body.workspaceId);
    const { token, session } = await deps.sessions.issue({ ...body, ttlSeconds: body.ttlSeconds ?? SESSION_TTL.default });
    return { status: 201, body: { token, expiresAt: session.expiresAt.toISOString() } };
  });

  /** A usable access token for the host's own publishing, renewed first when needed. */
  into.add(api.getAccountCredentials, async ({ params, res }) => {
    res.setHeader('Cache-Control', 'no-store');
    return { status: 200, body: await deps.refresh.credentials(params.accountId) };
  });

  return into;
}
