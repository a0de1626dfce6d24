import { Failure } from './errors.ts';

/**
 * Opaque paging cursors: a prefix naming what is paged, and the id to go on after, in
 * base64url. A cursor of another list, or one this API never gave out, is `invalid_cursor`.
 */
export function encodeCursor(kind: string, id: string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64url');
}

export function decodeCursor(kind: string, cursor: string): string {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const id = text.startsWith(`${kind}:`) ? text.slice(kind.length + 1) : '';
  if (!/^\d{1,18}$/.test(id) && !/^[0-9a-f-]{36}$/.test(id)) throw new Failure('invalid_cursor', 'The "after" cursor is not one this API gave out.');
  return id;
}
