/**
 * Graph API pieces Facebook and Instagram share: where a token may be sent, Meta's dead-token
 * and permission errors, the `fields` parameter, and the Instagram user and media nodes
 * (served both on graph.facebook.com and graph.instagram.com).
 */
import type { NextFunction, Request, Response } from 'express';
import { metaError } from './errors.ts';
import type { MetaErrorBody } from './errors.ts';
import { bearerToken, formBody, mediaUrl, param, permalinkUrl, avatarUrl, queryParams } from './oauth.ts';
import type { InstagramAccount, InstagramMedia } from './seed.ts';
import type { TokenCheck } from './state.ts';

/** Meta takes the token as `access_token` (query or form) or in the Authorization header. */
export function readMetaToken(req: Request): string | undefined {
  const header = /^OAuth\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
  return param(queryParams(req), 'access_token') ?? param(formBody(req), 'access_token') ?? bearerToken(req) ?? header;
}

/** What Meta says when the code exchange's redirect_uri differs from the dialog's. */
export const REDIRECT_URI_MISMATCH =
  'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request';

/** Meta's error for a token that cannot be used (code 190 and the subcode saying why). */
export function metaDeadToken(check: TokenCheck, appId: string): MetaErrorBody {
  if (check.status === 'expired' && check.token.expiresAt !== null) {
    const when = new Date(check.token.expiresAt).toUTCString();
    return metaError(190, `Error validating access token: Session has expired on ${when}.`, { subcode: 463 });
  }
  if (check.status === 'revoked' && check.grant.revokedReason === 'session_invalidated') {
    return metaError(
      190,
      'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
      { subcode: 460 },
    );
  }
  if (check.status === 'revoked') {
    return metaError(190, `Error validating access token: The user has not authorized application ${appId}.`, { subcode: 458 });
  }
  return metaError(190, 'Invalid OAuth access token - Cannot parse access token');
}

export function sendMeta(res: Response, status: number, body: MetaErrorBody): void {
  res.status(status).json(body);
}

export function missingPermission(res: Response, scope: string): void {
  sendMeta(res, 403, metaError(10, `(#10) This endpoint requires the '${scope}' permission.`));
}

/** What the Graph API says for an id the token cannot see, or that does not exist. */
export function unsupportedGet(res: Response, id: string): void {
  sendMeta(
    res,
    400,
    metaError(
      100,
      `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      { type: 'GraphMethodException', subcode: 33 },
    ),
  );
}

/** Graph hosts serve every path with or without a version prefix (`/v23.0/me` = `/me`). */
export function stripGraphVersion(req: Request, _res: Response, next: NextFunction): void {
  const stripped = req.url.replace(/^\/v\d+\.\d+(?=[/?]|$)/, '');
  req.url = stripped.startsWith('/') ? stripped : `/${stripped}`;
  next();
}

/** Graph's answer for a path it does not serve. */
export function unknownGraphPath(req: Request, res: Response): void {
  sendMeta(res, 400, metaError(100, `Unknown path components: ${req.path}`));
}

// --- fields ----------------------------------------------------------------------------

export interface FieldSpec {
  name: string;
  /** Subfields from `picture{url}`; null when none were given. */
  sub: FieldSpec[] | null;
}

/**
 * Parses Graph's `fields` syntax: `id,name,picture{url},likes.summary(true).limit(0)`.
 * Modifiers after the name (`.summary(true)`) are accepted and ignored.
 */
export function parseFields(value: string | undefined, defaults: readonly string[]): FieldSpec[] {
  if (value === undefined) return defaults.map((name) => ({ name, sub: null }));
  const fields: FieldSpec[] = [];
  let depth = 0;
  let start = 0;
  const flush = (end: number) => {
    const part = value.slice(start, end).trim();
    if (part !== '') fields.push(parseField(part));
  };
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '{' || ch === '(') depth++;
    else if (ch === '}' || ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      flush(i);
      start = i + 1;
    }
  }
  flush(value.length);
  return fields;
}

function parseField(part: string): FieldSpec {
  const name = /^[A-Za-z0-9_]+/.exec(part)?.[0] ?? part;
  const brace = part.indexOf('{');
  const sub = brace >= 0 && part.endsWith('}') ? parseFields(part.slice(brace + 1, -1), []) : null;
  return { name, sub };
}

export type FieldResolvers = Record<string, ((spec: FieldSpec) => unknown) | undefined>;

/**
 * Builds a node with the requested fields (and always its id, as Graph does). An unknown
 * field is Graph's "nonexisting field" error; a resolver returning undefined leaves the
 * field out (as Graph omits empty edges like instagram_business_account).
 */
export function selectFields(
  fields: readonly FieldSpec[],
  resolvers: FieldResolvers,
  nodeType: string,
): { ok: true; node: Record<string, unknown> } | { ok: false; error: MetaErrorBody } {
  const node: Record<string, unknown> = {};
  for (const field of fields) {
    const resolve = Object.hasOwn(resolvers, field.name) ? resolvers[field.name] : undefined;
    if (!resolve) {
      return {
        ok: false,
        error: metaError(100, `(#100) Tried accessing nonexisting field (${field.name}) on node type (${nodeType})`),
      };
    }
    const value = resolve(field);
    if (value !== undefined) node[field.name] = value;
  }
  const id = resolvers['id'];
  if (id && !('id' in node)) node['id'] = id({ name: 'id', sub: null });
  return { ok: true, node };
}

/** Answers with the selected node, or with Graph's error for an unknown field. */
export function sendNode(res: Response, fields: readonly FieldSpec[], resolvers: FieldResolvers, nodeType: string): void {
  const selected = selectFields(fields, resolvers, nodeType);
  if (selected.ok) res.json(selected.node);
  else sendMeta(res, 400, selected.error);
}

/** Answers with `{ data: [...] }`, one node per item, honouring `limit`. */
export function sendEdge<T>(
  req: Request,
  res: Response,
  items: readonly T[],
  resolversOf: (item: T) => FieldResolvers,
  defaults: readonly string[],
  nodeType: string,
): void {
  const fields = parseFields(param(queryParams(req), 'fields'), defaults);
  const limit = Number(param(queryParams(req), 'limit') ?? 25);
  const data: Record<string, unknown>[] = [];
  for (const item of items.slice(0, Number.isInteger(limit) && limit > 0 ? limit : 25)) {
    const selected = selectFields(fields, resolversOf(item), nodeType);
    if (!selected.ok) return sendMeta(res, 400, selected.error);
    data.push(selected.node);
  }
  res.json({ data });
}

/** Graph's timestamp format: `2026-11-21T08:15:00+0000`. */
export function metaTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

// --- Instagram nodes -------------------------------------------------------------------

/** Fields of an Instagram professional account as both Graph hosts serve them. */
export function instagramUserResolvers(res: Response, account: InstagramAccount): FieldResolvers {
  return {
    id: () => account.id,
    username: () => account.username,
    name: () => account.name,
    biography: () => account.biography,
    profile_picture_url: () => avatarUrl(res, account.id),
    followers_count: () => account.followersCount,
    follows_count: () => account.followsCount,
    media_count: () => account.media.length,
  };
}

export const INSTAGRAM_MEDIA_DEFAULT_FIELDS = ['id'] as const;

export function instagramMediaResolvers(res: Response, account: InstagramAccount, media: InstagramMedia): FieldResolvers {
  return {
    id: () => media.id,
    caption: () => media.caption,
    media_type: () => media.mediaType,
    media_product_type: () => 'FEED',
    media_url: () => mediaUrl(res, media.id),
    thumbnail_url: () => (media.mediaType === 'VIDEO' ? mediaUrl(res, media.id) : undefined),
    permalink: () => permalinkUrl(res, media.id),
    timestamp: () => metaTime(media.timestamp),
    username: () => account.username,
    like_count: () => media.likeCount,
    comments_count: () => media.commentsCount,
  };
}
