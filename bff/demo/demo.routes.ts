import express, { Router } from 'express';
import { z } from 'zod';
import { Plan } from '../../contract/schemas/workspaces.ts';
import type { Services } from '../services.ts';
import { parse } from '../http/validate.ts';

export const DEMO_WORKSPACE = 'demo';

/** The demo page's plan switcher: what the host's billing would send. */
const DemoWorkspaceBody = z.strictObject({ plan: Plan, accountLimit: z.int().min(0).max(1000).nullable().optional() });

/**
 * Development only (the standalone BFF on the embedded database): the example host page gets
 * a session for a demo workspace the way a host backend would mint one, and can switch the
 * workspace's plan and limit to show the upgrade prompts, so a newcomer can try every flow
 * without writing a backend. Never mounted on PostgreSQL.
 */
export function demoRoutes(services: Services): Router {
  const router = Router();
  router.use(express.json({ limit: '10kb', strict: true, type: 'application/json' }));

  const ensureWorkspace = async () => {
    const existing = await services.workspaces.require(DEMO_WORKSPACE).catch(() => null);
    if (!existing) await services.workspaces.put({ id: DEMO_WORKSPACE, name: 'Demo workspace', plan: 'professional', accountLimit: null });
  };

  router.post('/session', async (_req, res) => {
    await ensureWorkspace();
    const { token, session } = await services.sessions.issue({ workspaceId: DEMO_WORKSPACE, userId: 'demo-user', role: 'admin', ttlSeconds: 3600 });
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json({ token, expiresAt: session.expiresAt.toISOString(), workspaceId: DEMO_WORKSPACE });
  });

  /** `{ plan, accountLimit? }`: what the host's billing would set through PUT /v1/workspaces. */
  router.post('/workspace', async (req, res) => {
    const body = parse(DemoWorkspaceBody, req.body ?? {}, 'body');
    const { workspace } = await services.workspaces.put({ id: DEMO_WORKSPACE, name: 'Demo workspace', plan: body.plan, accountLimit: body.accountLimit ?? null });
    res.json({ workspace });
  });

  /** A connect link for the demo workspace: what the host's backend would ask for with POST /v1/workspaces/:id/connect-link. */
  router.post('/connect-link', async (_req, res) => {
    await ensureWorkspace();
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(await services.links.connectLink(DEMO_WORKSPACE));
  });

  return router;
}
