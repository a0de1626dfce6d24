import { z } from 'zod';
import { LINK_KINDS, LINK_STATUSES } from '../history.ts';
import { LIVE_PLATFORMS } from '../platforms.ts';
import { DateTime, Uuid, text } from './common.ts';

export const LINK_TTL = { min: 300, max: 1_209_600, default: 604_800 } as const;

const ReturnTo = text(1, 2048).describe('Where the result page offers to go back to: an http(s) URL on an allowed origin.').meta({ format: 'uri' });
const TtlSeconds = z.int().min(LINK_TTL.min).max(LINK_TTL.max).optional().describe(`How long the link works; default ${LINK_TTL.default} (7 days).`);

export const ReconnectLinkBody = z
  .strictObject({ ttlSeconds: TtlSeconds, returnTo: ReturnTo.optional() })
  .meta({ id: 'ReconnectLinkBody', description: 'A single-use link to send to the person who owns the account.', examples: [{ ttlSeconds: 604800 }] });

export const ConnectLinkBody = z
  .strictObject({ platform: z.enum(LIVE_PLATFORMS).optional().meta({ 'x-error-code': 'unknown_platform' }), ttlSeconds: TtlSeconds, returnTo: ReturnTo.optional() })
  .meta({ id: 'ConnectLinkBody', description: 'A single-use link that lets someone connect an account into the workspace.', examples: [{ platform: 'instagram', ttlSeconds: 86400 }] });

export const LinkCreated = z.strictObject({ url: z.string().url(), expiresAt: DateTime }).meta({ id: 'LinkCreated' });

export const Link = z
  .strictObject({
    id: Uuid,
    kind: z.enum(LINK_KINDS),
    accountId: Uuid.nullable(),
    platform: z.enum(LIVE_PLATFORMS).nullable(),
    status: z.enum(LINK_STATUSES),
    createdAt: DateTime,
    expiresAt: DateTime,
    usedAt: DateTime.nullable(),
  })
  .meta({ id: 'Link', description: 'A link as listed: never its secret URL.' });

export const LinkList = z.strictObject({ links: z.array(Link).describe('Newest first.') }).meta({ id: 'LinkList' });
