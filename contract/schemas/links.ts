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

export const LinkForm = z
  .strictObject({
    s: z.string().max(200).optional().describe("The link's signature, carried by its page."),
    platform: z.string().max(40).optional().describe('A connect link without a platform: the one the person picked.'),
  })
  .meta({ id: 'LinkForm', examples: [{ s: 'c2lnbmF0dXJl', platform: 'instagram' }] });

export const LinkSelectForm = z
  .strictObject({
    s: z.string().max(200).optional(),
    attempt: z.string().max(64).optional(),
    ids: z.union([z.string().max(200), z.array(z.string().max(200)).max(100)]).optional().describe('The chosen Pages / accounts.'),
  })
  .meta({ id: 'LinkSelectForm', examples: [{ s: 'c2lnbmF0dXJl', attempt: '0b6f5a1e-3c1d-4c1e-9a57-2f1f6f1b2c3d', ids: ['200000000000001'] }] });
