import { Router } from 'express';
import type { AccountService } from '../accounts/account.service.ts';
import { HOST_ID, hostIdParam, jsonObject, oneOf, optionalInteger, optionalString, queryParams, requiredString, uuidParam } from '../http/validate.ts';
import { PLANS } from '../plans/plans.ts';
import { ROLES, SESSION_TTL, type SessionSigner } from '../sessions/sessions.ts';
import type { WorkspaceService } from './workspace.service.ts';
import type { RefreshService } from '../refresh/refresh.service.ts';

/** Host API (server to server, host API key): workspaces, sessions, accounts. */
export function hostRoutes(deps: { workspaces: WorkspaceService; accounts: AccountService; sessions: SessionSigner; refresh: RefreshService }): Router {
  const router = Router();

  router.put('/workspaces/:workspaceId', async (req, res) => {
    queryParams(req.query, []);
    const id = hostIdParam(req.params.workspaceId, 'The workspace id');
    const body = jsonObject(req.body, ['name', 'plan', 'accountLimit']);
    const plan = oneOf(body.plan, 'plan', PLANS);
    const name = body.name === null ? null : (optionalString(body, 'name', { max: 200 }) ?? null);
    const accountLimit = body.accountLimit === null ? null : (optionalInteger(body, 'accountLimit', 0, 1_000_000) ?? null);
    const { workspace, created } = await deps.workspaces.put({ id, name, plan, accountLimit });
    res.status(created ? 201 : 200).json({ workspace });
  });

  router.get('/workspaces/:workspaceId', async (req, res) => {
    queryParams(req.query, []);
    const row = await deps.workspaces.require(hostIdParam(req.params.workspaceId, 'The workspace id'));
    res.json({ workspace: await deps.workspaces.toPublic(row) });
  });

  router.get('/workspaces/:workspaceId/accounts', async (req, res) => {
    queryParams(req.query, []);
    const row = await deps.workspaces.require(hostIdParam(req.params.workspaceId, 'The workspace id'));
    res.json({ accounts: await deps.accounts.list(row.id) });
  });

  router.post('/sessions', async (req, res) => {
    queryParams(req.query, []);
    const body = jsonObject(req.body, ['workspaceId', 'userId', 'role', 'ttlSeconds']);
    const workspaceId = requiredString(body, 'workspaceId', HOST_ID);
    const userId = requiredString(body, 'userId', { max: 200 });
    const role = oneOf(body.role, 'role', ROLES);
    const ttlSeconds = optionalInteger(body, 'ttlSeconds', SESSION_TTL.min, SESSION_TTL.max) ?? SESSION_TTL.default;
    await deps.workspaces.require(workspaceId);
    const { token, session } = await deps.sessions.issue({ workspaceId, userId, role, ttlSeconds });
    res.status(201).json({ token, expiresAt: session.expiresAt.toISOString() });
  });

  /** A usable access token for the host's own publishing, renewed first when needed. */
  router.get('/accounts/:accountId/credentials', async (req, res) => {
    queryParams(req.query, []);
    res.setHeader('Cache-Control', 'no-store');
    res.json(await deps.refresh.credentials(uuidParam(req.params.accountId, 'The account id')));
  });

  return router;
}
