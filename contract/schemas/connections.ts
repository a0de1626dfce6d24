import { z } from 'zod';
import { ACCOUNT_KINDS, ALL_PLATFORMS } from '../platforms.ts';
import { CONNECT_MODES, OAUTH_MESSAGE, RETURN_PARAMS } from '../oauth.ts';
import { ERROR_CODES } from '../errors.ts';
import { Uuid, text } from './common.ts';

const ReturnTo = text(1, 2048)
  .describe('An absolute http(s) URL on one of ALLOWED_ORIGINS (otherwise 400 invalid_return_to): where the redirect flow comes back to.')
  .meta({ format: 'uri' });

export const StartConnectionBody = z
  .strictObject({
    platform: z.enum(ALL_PLATFORMS).meta({ 'x-error-code': 'unknown_platform' }),
    kind: z.enum(ACCOUNT_KINDS).optional().describe("One of the platform's `kinds` (GET /api/platforms); default its first."),
    mode: z.enum(CONNECT_MODES).optional().describe('Default popup.'),
    returnTo: ReturnTo.optional(),
  })
  .meta({
    id: 'StartConnectionBody',
    description: 'Starts connecting a platform: the plan and limit gates run first.',
    examples: [{ platform: 'facebook', mode: 'popup', returnTo: 'https://host.example/connections' }],
  });

export const StartReconnectionBody = z
  .strictObject({
    mode: z.enum(CONNECT_MODES).optional().describe('Default popup.'),
    returnTo: ReturnTo.optional(),
  })
  .meta({
    id: 'StartReconnectionBody',
    description: 'Re-authorizes the same account; never counts against the limit.',
    examples: [{ mode: 'redirect', returnTo: 'https://host.example/connections' }],
  });

export const AttemptStarted = z
  .strictObject({
    attemptId: Uuid,
    authorizeUrl: z.string().url().describe('Submit an HTML form POST (application/x-www-form-urlencoded) with `fields` here, from a page on an allowed origin, into the pop-up or the page. A GET connects nothing.'),
    fields: z.record(z.string(), z.string()).describe('The form fields to post, the one-time secret among them.'),
  })
  .meta({ id: 'AttemptStarted' });

export const Choice = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    kind: z.enum(ACCOUNT_KINDS),
    avatarUrl: z.string().nullable(),
    alreadyConnected: z.boolean(),
  })
  .meta({ id: 'Choice' });

export const AttemptError = z.strictObject({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export const AttemptStatus = z
  .discriminatedUnion('status', [
    z.strictObject({ status: z.literal('pending') }),
    z.strictObject({ status: z.literal('choose'), choices: z.array(Choice).min(1) }),
    z.strictObject({ status: z.literal('connected'), accountIds: z.array(Uuid) }),
    z.strictObject({ status: z.literal('failed'), error: AttemptError }),
  ])
  .meta({ id: 'AttemptStatus', description: 'The outcome of a connection attempt: pending, choose, connected or failed.' });

export const SelectAccountsBody = z
  .strictObject({
    ids: z
      .array(z.string().min(1).max(128))
      .min(1)
      .max(100)
      .refine((ids) => new Set(ids).size === ids.length, { error: 'must not repeat an id' })
      .meta({ uniqueItems: true }),
  })
  .meta({
    id: 'SelectAccountsBody',
    description: 'The ids (from `choices`) of the Pages, professional accounts or organizations to add.',
    examples: [{ ids: ['1122334455'] }],
  });

export const SelectedAccounts = z.strictObject({ accountIds: z.array(Uuid) }).meta({ id: 'SelectedAccounts', description: 'The accounts added (or restored).' });

/** What the callback page posts to the opener (only to the allowed origin the attempt came from). */
export const OAuthMessage = z
  .strictObject({
    source: z.literal(OAUTH_MESSAGE.source),
    type: z.literal(OAUTH_MESSAGE.type),
    attemptId: z.string(),
    status: z.enum(['pending', 'choose', 'connected', 'failed']),
    choices: z.array(Choice).optional(),
    accountIds: z.array(Uuid).optional(),
    error: AttemptError.optional(),
  })
  .meta({ id: 'OAuthMessage' });

/** The query parameters the redirect flow returns to `returnTo` with. */
export const ReturnParams = z.strictObject({
  [RETURN_PARAMS.attempt]: Uuid,
  [RETURN_PARAMS.status]: z.enum(['pending', 'choose', 'connected', 'failed']),
});
