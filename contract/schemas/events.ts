import { z } from 'zod';
import { EVENT_TYPES } from '../events.ts';
import { Cursor, DateTime, Uuid } from './common.ts';
import { Account } from './accounts.ts';

export const Event = z
  .strictObject({
    id: z.string().regex(/^[0-9]+$/),
    type: z.enum(EVENT_TYPES as [string, ...string[]]),
    accountId: Uuid.nullable(),
    message: z.string().describe('In English, the product\'s exact words.'),
    params: z
      .strictObject({ name: z.string(), days: z.int().min(0).optional() })
      .describe('What the message is built from: say it in any language from `type` and these.'),
    createdAt: DateTime,
  })
  .meta({ id: 'Event' });

export const EventList = z
  .strictObject({ events: z.array(Event).describe('Oldest first.'), cursor: z.string().describe('Opaque: pass as `after` to read what came since.') })
  .meta({ id: 'EventList' });

export const EventsQuery = z.strictObject({
  after: Cursor.optional().describe('An opaque cursor from an earlier answer; without it, the latest events.'),
});

export const HealthCheckResult = z
  .strictObject({ accounts: z.array(Account), events: z.array(Event).describe('The events this check produced.') })
  .meta({ id: 'HealthCheckResult' });

/** The body of a webhook delivery: an event and its workspace. */
export const WebhookDelivery = Event.extend({ workspaceId: z.string() }).meta({ id: 'WebhookDelivery' });
