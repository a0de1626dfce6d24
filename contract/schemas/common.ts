/**
 * Building blocks of the wire shapes. Every schema with an `id` becomes a component of the
 * OpenAPI document; `x-error-code` names the error a violation of that field is answered with
 * (default: the generic one for its place, e.g. invalid_field in a body).
 */
import { z } from 'zod';
import { ERROR_CODES } from '../errors.ts';

/** Text a person or a host typed: bounded, no control characters. */
export const text = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/, { error: 'must not contain control characters' });

/** Workspace ids come from the host: printable, bounded, no path tricks. */
export const HostId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, { error: 'may hold letters, digits and . _ : @ - only, starting with a letter or digit' });

/** Ids this API gives out (accounts, attempts): UUIDs, in any case. */
export const Uuid = z.guid();

export const DateTime = z.iso.datetime({ offset: false });

/** An opaque paging cursor from an earlier answer. */
export const Cursor = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'is not a cursor this API gave out' }).meta({ 'x-error-code': 'invalid_cursor' });

export const Url = z.string().url();

export const ErrorBody = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(ERROR_CODES).describe('Stable, machine-readable; see docs/errors.md.'),
      message: z.string().describe('For people; never a stack trace or a token.'),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional().describe('The values the message was built from, for saying it in another language.'),
    }),
  })
  .meta({ id: 'Error', description: 'Every error of every endpoint (4xx/5xx) has this shape.' });

/** No fields: the body may be left out. */
export const EmptyBody = z.strictObject({}).meta({ id: 'EmptyBody', description: 'No fields; the body may be left out.' });
