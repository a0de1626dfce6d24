import { Router } from 'express';
import type { Services } from '../app.ts';

export const DEMO_WORKSPACE = 'demo';

/**
 * Development only (the standalone BFF on the embedded database): the example host page gets
 * a session for a demo workspace the way a host backend would mint one, so a newcomer can try
 * every flow without writing a backend. Never mounted on PostgreSQL.
 */
export function demoRoutes(services: Services): Router {
  const router = Router();
  router.post('/session', async (_req, res) => {
    const existing = await services.workspaces.require(DEMO_WORKSPACE).catch(() => null);
    if (!existing) await services.workspaces.put({ id: DEMO_WORKSPACE, name: 'Demo workspace', plan: 'professional', accountLimit: null });
    const { token, session } = await services.sessions.issue({ workspaceId: DEMO_WORKSPACE, userId: 'demo-user', role: 'admin', ttlSeconds: 3600 });
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json({ token, expiresAt: session.expiresAt.toISOString(), workspaceId: DEMO_WORKSPACE });
  });
  return router;
}
