import { z } from 'zod';
import { PLANS, PLATFORM_STATUSES } from '../plans.ts';
import { ACCOUNT_KINDS, ALL_PLATFORMS } from '../platforms.ts';
import { ROLES } from '../health.ts';
import { DateTime, HostId, Uuid, text } from './common.ts';

export const Plan = z.enum(PLANS);

export const Workspace = z
  .strictObject({
    id: z.string(),
    name: z.string().nullable(),
    plan: Plan,
    accountLimit: z.int().min(0).nullable().describe("The limit in force (the override, else the plan's); null when unlimited."),
    accountLimitOverride: z.int().min(0).nullable(),
    accountCount: z.int().min(0).describe('Active accounts (paused ones not counted).'),
    pausedCount: z.int().min(0).describe('Accounts paused because the plan does not cover them.'),
    createdAt: DateTime,
    updatedAt: DateTime,
  })
  .meta({ id: 'Workspace' });

export const WorkspaceResponse = z.strictObject({ workspace: Workspace }).meta({ id: 'WorkspaceResponse' });

export const PutWorkspaceBody = z
  .strictObject({
    name: text(1, 200).nullable().optional(),
    plan: Plan,
    accountLimit: z.int().min(0).max(1_000_000).nullable().optional(),
    keepAccountIds: z
      .array(Uuid)
      .max(1000)
      .optional()
      .describe('When the change leaves the workspace over its plan: which accounts stay active (the others over the limit are paused).'),
  })
  .meta({
    id: 'PutWorkspaceBody',
    description: "Creates or updates a workspace. `accountLimit` overrides the plan's limit; null goes back to the plan's.",
    examples: [{ name: 'Acme', plan: 'professional', accountLimit: 20 }],
  });

export const SESSION_TTL = { min: 60, max: 86_400, default: 3_600 } as const;

export const CreateSessionBody = z
  .strictObject({
    workspaceId: HostId,
    userId: text(1, 200),
    role: z.enum(ROLES),
    ttlSeconds: z.int().min(SESSION_TTL.min).max(SESSION_TTL.max).optional().describe(`Default ${SESSION_TTL.default}.`),
  })
  .meta({
    id: 'CreateSessionBody',
    description: 'A short-lived session token for the widget, for one user of a workspace.',
    examples: [{ workspaceId: 'acme', userId: 'user-42', role: 'admin', ttlSeconds: 3600 }],
  });

export const SessionCreated = z
  .strictObject({ token: z.string(), expiresAt: DateTime.describe('Real time, never the sandbox clock.') })
  .meta({ id: 'SessionCreated' });

export const ConnectKind = z.strictObject({ kind: z.enum(ACCOUNT_KINDS), label: z.string() }).meta({ id: 'ConnectKind' });

export const PlatformAvailability = z
  .strictObject({
    platform: z.enum(ALL_PLATFORMS),
    label: z.string(),
    status: z.enum(PLATFORM_STATUSES),
    requiredPlan: Plan,
    kinds: z.array(ConnectKind).describe("The platform's connect flows, the default first (LinkedIn: a profile, or Pages)."),
  })
  .meta({ id: 'PlatformAvailability' });

export const PlatformsResponse = z
  .strictObject({
    platforms: z.array(PlatformAvailability).describe('All platforms are always listed.'),
    plan: Plan.describe("The workspace's plan (the widget names the next one in upgrade prompts)."),
    role: z.enum(ROLES).describe("The session's role: admins see the token debug panel and can make reconnect links."),
    accountCount: z.int().min(0),
    accountLimit: z.int().min(0).nullable().describe('null when unlimited'),
  })
  .meta({ id: 'PlatformsResponse' });
