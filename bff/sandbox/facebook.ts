/**
 * Facebook: classic Facebook Login (www.facebook.com/v23.0/dialog/oauth) and the Graph API
 * (graph.facebook.com): short-lived user tokens from a code, 60-day tokens from
 * fb_exchange_token, Page tokens from /me/accounts, debug_token, and Pages with their posts
 * and linked Instagram professional accounts.
 */
import express from 'express';
import type { Request, Response, Router } from 'express';
import { mountAuthorize } from './consent.ts';
import type { AuthorizeFlow } from './consent.ts';
import { metaError, metaServerError } from './errors.ts';
import {
  instagramMediaResolvers,
  instagramUserResolvers,
  INSTAGRAM_MEDIA_DEFAULT_FIELDS,
  metaDeadToken,
  metaTime,
  missingPermission,
  parseFields,
  readMetaToken,
  REDIRECT_URI_MISMATCH,
  sendEdge,
  sendMeta,
  sendNode,
  stripGraphVersion,
  unknownGraphPath,
  unsupportedGet,
} from './meta.ts';
import type { FieldResolvers } from './meta.ts';
import {
  avatarUrl,
  formBody,
  mediaUrl,
  param,
  permalinkUrl,
  profileUrl,
  queryParams,
  redeemCode,
  sameSecret,
} from './oauth.ts';
import type { PlatformContext, RedeemFailure } from './oauth.ts';
import { FACEBOOK_BUSINESSES, FACEBOOK_PAGES, FACEBOOK_USERS, INSTAGRAM_LINKED_ACCOUNTS, SANDBOX_CLIENTS, facebookBusinessesOf, facebookPageManagers } from './seed.ts';
import type { FacebookPage, FacebookUser, InstagramAccount, SeedPost } from './seed.ts';
import type { GrantRecord, TokenRecord } from './state.ts';

const CLIENT = SANDBOX_CLIENTS.facebook;
const APP_NAME = 'Sandbox App';
const TOKEN_PREFIX = 'sbx-fb';
const PAGE_TOKEN_PREFIX = 'sbx-fbpage';
const SHORT_LIVED_SECONDS = 3600;
const LONG_LIVED_SECONDS = 60 * 24 * 3600;
/** Meta's data access lasts 90 days from the user's consent. */
const DATA_ACCESS_SECONDS = 90 * 24 * 3600;

export const FACEBOOK_SCOPES: Readonly<Record<string, string>> = {
  public_profile: 'Your name and profile picture',
  email: 'Your email address',
  pages_show_list: 'Show the list of Pages you manage',
  pages_read_engagement: 'Read content posted on your Pages and its engagement',
  pages_manage_posts: 'Create, edit and delete posts on your Pages',
  pages_manage_engagement: 'Manage comments and reactions on your Pages',
  pages_manage_metadata: 'Manage Page settings and webhooks',
  pages_read_user_content: 'Read what people post on your Pages',
  read_insights: 'Read Page insights',
  business_management: 'Manage your business assets',
  instagram_basic: 'Read the profile and media of your Instagram professional accounts',
  instagram_content_publish: 'Publish to your Instagram professional accounts',
  instagram_manage_comments: 'Manage comments on your Instagram professional accounts',
  instagram_manage_insights: 'Read insights of your Instagram professional accounts',
};

const facebookFlow: AuthorizeFlow = {
  flow: 'facebook',
  title: 'Sandbox Facebook',
  client: CLIENT,
  clientIdParam: 'client_id',
  scopeSeparator: ',',
  scopes: FACEBOOK_SCOPES,
  defaultScopes: ['public_profile'],
  invalidScope: 'page',
  pkce: 'optional',
  allOrNothing: false,
  codeTtlSeconds: 600,
  users: FACEBOOK_USERS.map((user) => ({
    id: user.id,
    name: user.name,
    detail: `${user.pageIds.length} Page${user.pageIds.length === 1 ? '' : 's'}`,
  })),
  successFragment: '#_=_',
  denyParams: (state) => [
    ['error', 'access_denied'],
    ['error_code', '200'],
    ['error_reason', 'user_denied'],
    ['error_description', 'Permissions error'],
    ['state', state],
  ],
  note: 'Classic Facebook Login: untick a permission to decline it.',
};

/** Page scopes carry the Pages they apply to in debug_token's granular_scopes. */
const PAGE_SCOPE = /^(pages_|read_insights$|business_management$)/;
const PAGE_TASKS = ['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE'];

interface Caller {
  token: TokenRecord;
  grant: GrantRecord;
  user: FacebookUser;
  /** Set when the caller holds a Page token. */
  page: FacebookPage | undefined;
}

export function facebookRouter({ store, control, redirects }: PlatformContext): Router {
  const router = express.Router();
  mountAuthorize(router, '/www/:version/dialog/oauth', facebookFlow, store, redirects);

  const graph = express.Router();
  router.use('/graph', stripGraphVersion, graph);

  const guard = control.tokenEndpoint('facebook', (res) => sendMeta(res, 500, metaServerError()));
  graph.get('/oauth/access_token', guard, tokenEndpoint);
  graph.post('/oauth/access_token', guard, tokenEndpoint);

  function tokenEndpoint(req: Request, res: Response): void {
    // Facebook reads its parameters from the query string or the form, GET or POST alike.
    const params = { ...queryParams(req), ...formBody(req) };
    if (param(params, 'client_id') !== CLIENT.clientId) {
      return sendMeta(res, 400, metaError(101, 'Error validating application. Invalid application ID.'));
    }
    if (!sameSecret(param(params, 'client_secret'), CLIENT.clientSecret)) {
      return sendMeta(res, 400, metaError(1, 'Error validating client secret.'));
    }
    const grantType = param(params, 'grant_type') ?? 'authorization_code';
    if (grantType === 'authorization_code') {
      const result = redeemCode(store, 'facebook', {
        code: param(params, 'code'),
        clientId: CLIENT.clientId,
        redirectUri: param(params, 'redirect_uri'),
        codeVerifier: param(params, 'code_verifier'),
      });
      if (!result.ok) return sendMeta(res, 400, codeError(result.reason));
      return sendUserToken(res, result.grant, 'short');
    }
    if (grantType === 'fb_exchange_token') {
      const check = store.checkToken(param(params, 'fb_exchange_token'), ['facebook'], 'access');
      if (check.status !== 'active' || check.token.variant === 'page') {
        return sendMeta(res, 400, metaDeadToken(check, CLIENT.clientId));
      }
      return sendUserToken(res, check.grant, 'long');
    }
    if (grantType === 'client_credentials') {
      return void res.json({ access_token: `${CLIENT.clientId}|${CLIENT.clientSecret}`, token_type: 'bearer' });
    }
    sendMeta(res, 400, metaError(100, `Unsupported grant_type: ${grantType}`));
  }

  /** A user token from a code (short-lived) or from fb_exchange_token (long-lived). */
  function sendUserToken(res: Response, grant: GrantRecord, variant: 'short' | 'long'): void {
    const token = store.issueToken({
      grant,
      kind: 'access',
      prefix: TOKEN_PREFIX,
      ttlSeconds: variant === 'short' ? SHORT_LIVED_SECONDS : LONG_LIVED_SECONDS,
      variant,
    });
    res.json({ access_token: token.value, token_type: 'bearer', expires_in: store.secondsLeft(token) });
  }

  /** The token's caller, or undefined after answering with Meta's error. */
  function authenticate(req: Request, res: Response): Caller | undefined {
    const check = store.checkToken(readMetaToken(req), ['facebook'], 'access');
    if (check.status !== 'active') return void sendMeta(res, 400, metaDeadToken(check, CLIENT.clientId));
    if (store.nowMs() >= dataAccessExpiresAt(check.grant)) {
      // Past data access expiry only a new consent helps; Meta reports it as an expired session.
      return void sendMeta(
        res,
        400,
        metaError(190, 'Error validating access token: Data access for this user has expired.', { subcode: 463 }),
      );
    }
    const user = FACEBOOK_USERS.find((u) => u.id === check.grant.userId);
    if (!user) return void sendMeta(res, 400, metaDeadToken({ status: 'unknown' }, CLIENT.clientId));
    const page = check.token.pageId === null ? undefined : FACEBOOK_PAGES.find((p) => p.id === check.token.pageId);
    return { token: check.token, grant: check.grant, user, page };
  }

  /** debug_token's answer for one input token (what the endpoint and a batch item both send). */
  function debugTokenAnswer(input: string): Record<string, unknown> {
    const check = store.checkToken(input, ['facebook']);
    if (check.status === 'unknown') {
      const { error } = metaDeadToken(check, CLIENT.clientId);
      return { data: { error: { code: error.code, message: error.message }, is_valid: false, scopes: [] } };
    }
    const { token, grant } = check;
    const dead = check.status === 'active' ? undefined : metaDeadToken(check, CLIENT.clientId).error;
    return {
      data: {
        app_id: CLIENT.clientId,
        type: token.variant === 'page' ? 'PAGE' : 'USER',
        application: APP_NAME,
        data_access_expires_at: unixSeconds(dataAccessExpiresAt(grant)),
        ...(dead ? { error: { code: dead.code, message: dead.message, subcode: dead.error_subcode } } : {}),
        expires_at: token.expiresAt === null ? 0 : unixSeconds(token.expiresAt),
        is_valid: check.status === 'active',
        issued_at: unixSeconds(token.issuedAt),
        ...(token.pageId !== null ? { profile_id: token.pageId } : {}),
        scopes: grant.scopes,
        granular_scopes: grant.scopes.map((scope) => granularScope(grant.userId, scope)),
        user_id: grant.userId,
      },
    };
  }

  const appTokenRequired = () =>
    metaError(100, '(#100) You must provide an app access token, or a user access token that is an owner or developer of the app');

  graph.get('/debug_token', (req, res) => {
    if (readMetaToken(req) !== `${CLIENT.clientId}|${CLIENT.clientSecret}`) return sendMeta(res, 400, appTokenRequired());
    const input = param(queryParams(req), 'input_token');
    if (input === undefined) return sendMeta(res, 400, metaError(100, '(#100) The parameter input_token is required'));
    res.json(debugTokenAnswer(input));
  });

  /**
   * Graph batch requests (POST / with `batch`, at most 50): each item answered as
   * `{ code, headers, body }` with body a JSON string. The sandbox batches debug_token only
   * (what the BFF sends); other items answer Graph's unsupported-request error.
   */
  graph.post('/', (req, res) => {
    const params = { ...queryParams(req), ...formBody(req) };
    const appToken = `${CLIENT.clientId}|${CLIENT.clientSecret}`;
    if ((param(params, 'access_token') ?? readMetaToken(req)) !== appToken) return sendMeta(res, 400, appTokenRequired());
    let batch: unknown;
    try {
      batch = JSON.parse(param(params, 'batch') ?? '');
    } catch {
      batch = undefined;
    }
    if (!Array.isArray(batch)) return sendMeta(res, 400, metaError(100, '(#100) The parameter batch is required'));
    if (batch.length > 50) return sendMeta(res, 400, metaError(1, 'Batch requests are limited to 50 requests'));
    const answers = batch.map((item: unknown) => {
      const record = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
      const url = new URL(String(record['relative_url'] ?? ''), 'http://graph.invalid/');
      const input = url.searchParams.get('input_token');
      if (String(record['method'] ?? 'GET').toUpperCase() !== 'GET' || url.pathname.replace(/^\/(v\d+\.\d+\/)?/, '/') !== '/debug_token' || input === null) {
        return { code: 400, headers: [], body: JSON.stringify(metaError(100, '(#100) Unsupported request in the sandbox batch')) };
      }
      return { code: 200, headers: [], body: JSON.stringify(debugTokenAnswer(input)) };
    });
    res.json(answers);
  });

  graph.get('/me', (req, res) => {
    const caller = authenticate(req, res);
    if (!caller) return;
    const fields = parseFields(param(queryParams(req), 'fields'), ['id', 'name']);
    if (caller.page) sendNode(res, fields, pageResolvers(res, caller.page), 'Page');
    else sendNode(res, fields, userResolvers(res, caller), 'User');
  });

  graph.get('/me/permissions', (req, res) => {
    const caller = authenticate(req, res);
    if (!caller) return;
    res.json({
      data: [
        ...caller.grant.scopes.map((permission) => ({ permission, status: 'granted' })),
        ...caller.grant.declinedScopes.map((permission) => ({ permission, status: 'declined' })),
      ],
    });
  });

  // The app giving up its whole grant: every token from it dies (Meta subcode 458).
  graph.delete('/me/permissions', (req, res) => {
    const caller = authenticate(req, res);
    if (!caller) return;
    store.revokeGrant(caller.grant, 'deauthorized');
    res.json({ success: true });
  });

  graph.delete('/me/permissions/:permission', (req, res) => {
    const caller = authenticate(req, res);
    if (!caller) return;
    store.removeScope(caller.grant, req.params.permission);
    res.json({ success: true });
  });

  graph.get('/me/accounts', (req, res) => {
    const caller = authenticate(req, res);
    if (!caller) return;
    if (caller.page) return sendMeta(res, 400, metaError(100, '(#100) Tried accessing nonexisting field (accounts) on node type (Page)'));
    if (!caller.grant.scopes.includes('pages_show_list')) return missingPermission(res, 'pages_show_list');
    const pages = FACEBOOK_PAGES.filter((p) => p.ownerId === caller.user.id);
    sendEdge(
      req,
      res,
      pages,
      (page) => ({
        ...pageResolvers(res, page),
        access_token: () => pageToken(caller, page).value,
        tasks: () => PAGE_TASKS,
      }),
      ['access_token', 'category', 'category_list', 'name', 'id', 'tasks'],
      'Page',
    );
  });

  // Business Manager: the businesses a person has a role in, and their Pages (business_management).
  graph.get('/me/businesses', (req, res) => {
    const caller = authenticate(req, res);
    if (!caller) return;
    if (caller.page) return sendMeta(res, 400, metaError(100, '(#100) Tried accessing nonexisting field (businesses) on node type (Page)'));
    if (!caller.grant.scopes.includes('business_management')) return missingPermission(res, 'business_management');
    sendEdge(req, res, facebookBusinessesOf(caller.user.id), (b) => ({ id: () => b.id, name: () => b.name }), ['id', 'name'], 'Business');
  });

  for (const edge of ['owned_pages', 'client_pages'] as const) {
    graph.get(`/:id/${edge}`, (req, res) => {
      const caller = authenticate(req, res);
      if (!caller) return;
      const business = FACEBOOK_BUSINESSES.find((b) => b.id === req.params.id);
      if (!business || caller.page || !business.memberIds.includes(caller.user.id)) return unsupportedGet(res, req.params.id);
      if (!caller.grant.scopes.includes('business_management')) return missingPermission(res, 'business_management');
      const ids = edge === 'owned_pages' ? business.ownedPageIds : business.clientPageIds;
      const pages = FACEBOOK_PAGES.filter((p) => ids.includes(p.id));
      sendEdge(
        req,
        res,
        pages,
        (page) => ({ ...pageResolvers(res, page), access_token: () => pageToken(caller, page).value, tasks: () => PAGE_TASKS }),
        ['id', 'name'],
        'Page',
      );
    });
  }

  /**
   * A Page token read with a user token: from a long-lived one it never expires, from a
   * short-lived one it expires with it. Reading again returns the same token.
   */
  function pageToken(caller: Caller, page: FacebookPage): TokenRecord {
    return (
      store.findPageToken(caller.token.value, page.id) ??
      store.issueToken({
        grant: caller.grant,
        kind: 'access',
        prefix: PAGE_TOKEN_PREFIX,
        ttlSeconds: null,
        expiresAt: caller.token.variant === 'long' ? null : caller.token.expiresAt,
        variant: 'page',
        pageId: page.id,
        parent: caller.token.value,
      })
    );
  }

  graph.get('/:id/published_posts', (req, res) => {
    const caller = authenticate(req, res);
    if (!caller) return;
    const page = visiblePage(caller, req.params.id);
    if (!page) return unsupportedGet(res, req.params.id);
    if (caller.page?.id !== page.id) {
      return sendMeta(res, 400, metaError(210, '(#210) A page access token is required to request this resource.'));
    }
    if (!caller.grant.scopes.includes('pages_read_engagement')) return missingPermission(res, 'pages_read_engagement');
    sendEdge(req, res, page.posts, (post) => postResolvers(res, post), ['created_time', 'message', 'id'], 'Post');
  });

  graph.get('/:id/media', (req, res) => {
    const caller = authenticate(req, res);
    if (!caller) return;
    const account = visibleInstagramAccount(caller, req.params.id);
    if (!account) return unsupportedGet(res, req.params.id);
    if (!caller.grant.scopes.includes('instagram_basic')) return missingPermission(res, 'instagram_basic');
    sendEdge(
      req,
      res,
      account.media,
      (media) => instagramMediaResolvers(res, account, media),
      INSTAGRAM_MEDIA_DEFAULT_FIELDS,
      'IGMedia',
    );
  });

  graph.get('/:id', (req, res) => {
    const caller = authenticate(req, res);
    if (!caller) return;
    const id = req.params.id;
    const fields = param(queryParams(req), 'fields');
    const page = visiblePage(caller, id);
    if (page) return sendNode(res, parseFields(fields, ['id', 'name']), pageResolvers(res, page), 'Page');
    const account = visibleInstagramAccount(caller, id);
    if (account) {
      if (!caller.grant.scopes.includes('instagram_basic')) return missingPermission(res, 'instagram_basic');
      return sendNode(res, parseFields(fields, ['id']), instagramUserResolvers(res, account), 'IGUser');
    }
    if (!caller.page && id === caller.user.id) return sendNode(res, parseFields(fields, ['id', 'name']), userResolvers(res, caller), 'User');
    unsupportedGet(res, id);
  });

  graph.use(unknownGraphPath);
  return router;
}

function codeError(reason: RedeemFailure) {
  switch (reason) {
    case 'used':
      return metaError(100, 'This authorization code has been used.', { subcode: 36009 });
    case 'expired':
      return metaError(100, 'This authorization code has expired.', { subcode: 36007 });
    case 'redirect_uri_mismatch':
      return metaError(100, REDIRECT_URI_MISMATCH, { subcode: 36008 });
    case 'pkce_failed':
      return metaError(100, 'Invalid code verifier.');
    case 'unknown':
    case 'client_mismatch':
      return metaError(100, 'Invalid verification code format.');
  }
}

function dataAccessExpiresAt(grant: GrantRecord): number {
  return grant.grantedAt + DATA_ACCESS_SECONDS * 1000;
}

function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function granularScope(userId: string, scope: string): { scope: string; target_ids?: string[] } {
  const pages = FACEBOOK_PAGES.filter((p) => p.ownerId === userId);
  if (PAGE_SCOPE.test(scope)) return { scope, target_ids: pages.map((p) => p.id) };
  if (scope.startsWith('instagram_')) {
    return { scope, target_ids: pages.flatMap((p) => (p.instagramAccountId ? [p.instagramAccountId] : [])) };
  }
  return { scope };
}

/**
 * A user token sees its user's Pages (and, with business_management, its businesses' Pages);
 * a Page token sees its own Page.
 */
function visiblePage(caller: Caller, id: string): FacebookPage | undefined {
  const page = FACEBOOK_PAGES.find((p) => p.id === id);
  if (!page) return undefined;
  if (caller.page) return caller.page.id === page.id ? page : undefined;
  if (page.ownerId === caller.user.id) return page;
  const viaBusiness = caller.grant.scopes.includes('business_management') && facebookPageManagers(page.id).includes(caller.user.id);
  return viaBusiness ? page : undefined;
}

function visibleInstagramAccount(caller: Caller, id: string): InstagramAccount | undefined {
  const page = FACEBOOK_PAGES.find((p) => p.instagramAccountId === id);
  if (!page || !visiblePage(caller, page.id)) return undefined;
  return INSTAGRAM_LINKED_ACCOUNTS.find((a) => a.id === id);
}

function pictureResolver(res: Response, id: string) {
  return () => ({ data: { url: avatarUrl(res, id), height: 200, width: 200, is_silhouette: false } });
}

function userResolvers(res: Response, caller: Caller): FieldResolvers {
  const { user, grant } = caller;
  return {
    id: () => user.id,
    name: () => user.name,
    email: () => (grant.scopes.includes('email') ? user.email : undefined),
    picture: pictureResolver(res, user.id),
    link: () => profileUrl(res, user.id),
  };
}

function pageResolvers(res: Response, page: FacebookPage): FieldResolvers {
  return {
    id: () => page.id,
    name: () => page.name,
    username: () => page.username,
    link: () => profileUrl(res, page.id),
    category: () => page.category,
    category_list: () => [{ id: '2200', name: page.category }],
    fan_count: () => page.fanCount,
    followers_count: () => page.fanCount,
    picture: pictureResolver(res, page.id),
    instagram_business_account: () => (page.instagramAccountId ? { id: page.instagramAccountId } : undefined),
  };
}

function postResolvers(res: Response, post: SeedPost): FieldResolvers {
  const summary = (total: number) => () => ({ data: [], summary: { total_count: total } });
  return {
    id: () => post.id,
    message: () => post.message,
    created_time: () => metaTime(post.createdTime),
    permalink_url: () => permalinkUrl(res, post.id),
    full_picture: () => mediaUrl(res, post.id),
    is_published: () => true,
    likes: summary(post.likes),
    reactions: summary(post.likes),
    comments: summary(post.comments),
    shares: () => ({ count: post.shares }),
  };
}
