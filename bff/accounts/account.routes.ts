import { Router } from 'express';
import { sessionOf } from '../http/auth.ts';
import { queryParams, uuidParam } from '../http/validate.ts';
import type { AccountService } from './account.service.ts';

/** Widget API: the session's workspace's accounts. */
export function accountRoutes(accounts: AccountService): Router {
  const router = Router();

  router.get('/accounts', async (req, res) => {
    queryParams(req.query, []);
    res.json({ accounts: await accounts.list(sessionOf(res).workspaceId) });
  });

  router.get('/accounts/:accountId', async (req, res) => {
    queryParams(req.query, []);
    const session = sessionOf(res);
    const id = uuidParam(req.params.accountId, 'The account id');
    res.json({ account: await accounts.detail(session.workspaceId, id, session.role) });
  });

  router.delete('/accounts/:accountId', async (req, res) => {
    queryParams(req.query, []);
    const id = uuidParam(req.params.accountId, 'The account id');
    await accounts.disconnect(sessionOf(res).workspaceId, id);
    res.status(204).end();
  });

  return router;
}
