/**
 * Instagram: Instagram Login (www.instagram.com/oauth/authorize, api.instagram.com code
 * exchange, graph.instagram.com with ig_exchange_token and ig_refresh_token) and the retired
 * Basic Display method, kept so a legacy account that cannot publish can be created.
 */
import { randomInt } from 'node:crypto';
import express from 'express';
import type { Request, Response, Router } from 'express';
import { mountAuthorize } from './consent.ts';
import type { AuthorizeFlow } from './consent.ts';
import { instagramApiError, metaError, metaServerError } from './errors.ts';
import {
  instagramMediaResolvers,
  instagramUserResolvers,
  INSTAGRAM_MEDIA_DEFAULT_FIELDS,
  metaDeadToken,
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
import { formBody, param, queryParams, redeemCode, sameSecret } from './oauth.ts';
import type { PlatformContext, RedeemFailure } from './oauth.ts';
import { INSTAGRAM_ACCOUNTS, INSTAGRAM_LEGACY_ACCOUNT_ID, SANDBOX_CLIENTS } from './seed.ts';
import type { InstagramAccount } from './seed.ts';
import type { GrantRecord, TokenRecord } from './state.ts';

const CLIENT = SANDBOX_CLIENTS.instagram;
const SHORT_LIVED_SECONDS = 3600;
const LONG_LIVED_SECONDS = 60 * 24 * 3600;
/** ig_refresh_token refuses tokens younger than this. */
const MIN_REFRESH_AGE_MS = 24 * 3600 * 1000;
const FLOWS = ['instagram', 'instagram-basic'] as const;
type InstagramFlow = (typeof FLOWS)[number];

export const INSTAGRAM_LOGIN_SCOPES: Readonly<Record<string, string>> = {
  instagram_business_basic: 'Read your profile and media',
  instagram_business_content_publish: 'Publish posts, reels and stories',
  instagram_business_manage_comments: 'Read and reply to comments',
  instagram_business_manage_insights: 'Read insights about your account and media',
  instagram_business_manage_messages: 'Read and send direct messages',
};

const BASIC_DISPLAY_SCOPES: Readonly<Record<string, string>> = {
  user_profile: 'Read your username and account type',
  user_media: 'Read your photos and videos',
};

/** Which scope each action needs; Basic Display could never publish. */
const CAPABILITY_SCOPES: Readonly<Record<InstagramFlow, { profile: string; media: string; publish: string | null }>> = {
  instagram: {
    profile: 'instagram_business_basic',
    media: 'instagram_business_basic',
    publish: 'instagram_business_content_publish',
  },
  'instagram-basic': { profile: 'user_profile', media: 'user_media', publish: null },
};

const TOKEN_PREFIX: Readonly<Record<InstagramFlow, string>> = { instagram: 'sbx-ig', 'instagram-basic': 'sbx-igbd' };

/** Both methods deny with the same parameters, and no state. */
const denyParams = (): Array<[string, string]> => [
  ['error', 'access_denied'],
  ['error_reason', 'user_denied'],
  ['error_description', 'The user denied your request'],
];

const loginFlow: AuthorizeFlow = {
  flow: 'instagram',
  title: 'Sandbox Instagram',
  client: CLIENT,
  clientIdParam: 'client_id',
  scopeSeparator: ',',
  scopes: INSTAGRAM_LOGIN_SCOPES,
  invalidScope: 'page',
  pkce: 'ignored',
  allOrNothing: false,
  codeTtlSeconds: 600,
  users: INSTAGRAM_ACCOUNTS.map((a) => ({ id: a.id, name: a.name, detail: `@${a.username}, ${a.accountType.toLowerCase()}` })),
  successFragment: '#_',
  denyParams,
};

const basicDisplayFlow: AuthorizeFlow = {
  ...loginFlow,
  flow: 'instagram-basic',
  title: 'Sandbox Instagram (Basic Display, retired)',
  scopes: BASIC_DISPLAY_SCOPES,
  users: INSTAGRAM_ACCOUNTS.filter((a) => a.id === INSTAGRAM_LEGACY_ACCOUNT_ID).map((a) => ({
    id: a.id,
    name: a.name,
    detail: `@${a.username}, personal`,
  })),
  note: 'The retired Basic Display method: the account it connects can read but never publish.',
};

interface Caller {
  token: TokenRecord;
  grant: GrantRecord;
  flow: InstagramFlow;
  account: InstagramAccount;
}

export function instagramRouter({ store, control, redirects }: PlatformContext): Router {
  const router = express.Router();

  // api.instagram.com answers in its own error shape; graph.instagram.com in Meta's.
  const apiGuard = control.tokenEndpoint('instagram', (res) =>
    res.status(500).json(instagramApiError(500, 'An unknown error has occurred.')),
  );
  const graphGuard = control.tokenEndpoint('instagram', (res) => sendMeta(res, 500, metaServerError()));

  mountAuthorize(router, '/www/oauth/authorize', loginFlow, store, redirects);
  router.post('/api/oauth/access_token', apiGuard, codeExchange('instagram'));
  mountAuthorize(router, '/basic-display/oauth/authorize', basicDisplayFlow, store, redirects);
  router.post('/basic-display/oauth/access_token', apiGuard, codeExchange('instagram-basic'));

  function codeExchange(flow: InstagramFlow) {
    return (req: Request, res: Response): void => {
      const body = formBody(req);
      if (param(body, 'client_id') !== CLIENT.clientId) return void res.status(400).json(instagramApiError(400, 'Invalid platform app'));
      if (!sameSecret(param(body, 'client_secret'), CLIENT.clientSecret)) {
        return void res.status(400).json(instagramApiError(400, 'Error validating client secret.'));
      }
      if (param(body, 'grant_type') !== 'authorization_code') {
        return void res.status(400).json(instagramApiError(400, 'Invalid grant_type: expected authorization_code'));
      }
      const result = redeemCode(store, flow, {
        code: param(body, 'code'),
        clientId: CLIENT.clientId,
        redirectUri: param(body, 'redirect_uri'),
        codeVerifier: undefined,
      });
      if (!result.ok) return void res.status(400).json(instagramApiError(400, codeErrorMessage(result.reason)));
      const token = store.issueToken({
        grant: result.grant,
        kind: 'access',
        prefix: TOKEN_PREFIX[flow],
        ttlSeconds: SHORT_LIVED_SECONDS,
        variant: 'short',
      });
      const userId = result.grant.userId;
      // Non-standard on purpose: no token_type, no expires_in (the token lasts an hour).
      if (flow === 'instagram') {
        res.json({ data: [{ access_token: token.value, user_id: userId, permissions: result.grant.scopes.join(',') }] });
      } else {
        res.json({ access_token: token.value, user_id: userId });
      }
    };
  }

  const graph = express.Router();
  router.use('/graph', stripGraphVersion, graph);
  // Basic Display lived on the same Graph host; the sandbox serves it under its own prefix too.
  router.use('/basic-display', stripGraphVersion, graph);

  graph.get('/access_token', graphGuard, (req, res) => {
    const query = queryParams(req);
    if (param(query, 'grant_type') !== 'ig_exchange_token') {
      return sendMeta(res, 400, metaError(100, 'Unsupported grant_type: expected ig_exchange_token'));
    }
    if (!sameSecret(param(query, 'client_secret'), CLIENT.clientSecret)) {
      return sendMeta(res, 400, metaError(1, 'Error validating client secret.'));
    }
    const check = store.checkToken(param(query, 'access_token'), FLOWS);
    if (check.status !== 'active') return sendMeta(res, 400, metaDeadToken(check, CLIENT.clientId));
    sendLongLived(res, check.grant);
  });

  graph.get('/refresh_access_token', graphGuard, (req, res) => {
    const query = queryParams(req);
    if (param(query, 'grant_type') !== 'ig_refresh_token') {
      return sendMeta(res, 400, metaError(100, 'Unsupported grant_type: expected ig_refresh_token'));
    }
    const check = store.checkToken(param(query, 'access_token'), FLOWS);
    if (check.status !== 'active') return sendMeta(res, 400, metaDeadToken(check, CLIENT.clientId));
    if (check.token.variant !== 'long') {
      return sendMeta(res, 400, metaError(100, 'Only long-lived access tokens can be refreshed; exchange this token first.'));
    }
    // Not code 190: the token is still good, it just cannot be refreshed yet.
    if (store.nowMs() - check.token.issuedAt < MIN_REFRESH_AGE_MS) {
      return sendMeta(res, 400, metaError(100, 'The access token must be at least 24 hours old to be refreshed.'));
    }
    sendLongLived(res, check.grant);
  });

  function sendLongLived(res: Response, grant: GrantRecord): void {
    const token = store.issueToken({
      grant,
      kind: 'access',
      prefix: TOKEN_PREFIX[instagramFlow(grant)],
      ttlSeconds: LONG_LIVED_SECONDS,
      variant: 'long',
    });
    res.json({ access_token: token.value, token_type: 'bearer', expires_in: store.secondsLeft(token) });
  }

  function authenticate(req: Request, res: Response): Caller | undefined {
    const check = store.checkToken(readMetaToken(req), FLOWS, 'access');
    if (check.status !== 'active') return void sendMeta(res, 400, metaDeadToken(check, CLIENT.clientId));
    const account = INSTAGRAM_ACCOUNTS.find((a) => a.id === check.grant.userId);
    if (!account) return void sendMeta(res, 400, metaDeadToken({ status: 'unknown' }, CLIENT.clientId));
    return { token: check.token, grant: check.grant, flow: instagramFlow(check.grant), account };
  }

  /** The caller, when it may act as account `id` ("me" included) with `capability`. */
  function authorize(req: Request, res: Response, capability: 'profile' | 'media'): Caller | undefined {
    const caller = authenticate(req, res);
    if (!caller) return undefined;
    const id = typeof req.params['id'] === 'string' ? req.params['id'] : 'me';
    if (id !== 'me' && id !== caller.account.id) return void unsupportedGet(res, id);
    const scope = CAPABILITY_SCOPES[caller.flow][capability];
    if (!caller.grant.scopes.includes(scope)) return void missingPermission(res, scope);
    return caller;
  }

  const profile = (req: Request, res: Response) => {
    const caller = authorize(req, res, 'profile');
    if (!caller) return;
    const fields = parseFields(param(queryParams(req), 'fields'), ['id', 'username']);
    sendNode(res, fields, profileResolvers(res, caller), 'User');
  };

  const media = (req: Request, res: Response) => {
    const caller = authorize(req, res, 'media');
    if (!caller) return;
    const { account } = caller;
    sendEdge(
      req,
      res,
      account.media,
      (m) => mediaResolvers(caller, instagramMediaResolvers(res, account, m)),
      INSTAGRAM_MEDIA_DEFAULT_FIELDS,
      'Media',
    );
  };

  graph.get('/me', profile);
  graph.get('/me/media', media);
  graph.get('/:id', profile);
  graph.get('/:id/media', media);

  /** Creating a media container, the first step of publishing. */
  graph.post('/:id/media', (req, res) => {
    const caller = authenticate(req, res);
    if (!caller) return;
    if (req.params.id !== 'me' && req.params.id !== caller.account.id) return unsupportedGet(res, req.params.id);
    const scope = CAPABILITY_SCOPES[caller.flow].publish;
    if (scope === null) {
      return sendMeta(res, 403, metaError(10, '(#10) Application does not have permission for this action'));
    }
    if (!caller.grant.scopes.includes(scope)) return missingPermission(res, scope);
    const params = { ...queryParams(req), ...formBody(req) };
    if (!param(params, 'image_url') && !param(params, 'video_url')) {
      return sendMeta(res, 400, metaError(100, '(#100) The parameter image_url or video_url is required'));
    }
    res.json({ id: `1789${String(randomInt(1e9, 1e10))}${String(randomInt(1e3, 1e4))}` });
  });

  graph.use(unknownGraphPath);
  return router;
}

/** Which of Instagram's two methods a grant came from. */
function instagramFlow(grant: GrantRecord): InstagramFlow {
  return grant.flow === 'instagram-basic' ? 'instagram-basic' : 'instagram';
}

function codeErrorMessage(reason: RedeemFailure): string {
  switch (reason) {
    case 'used':
      return 'This authorization code has been used';
    case 'expired':
      return 'This authorization code has expired';
    case 'redirect_uri_mismatch':
      return REDIRECT_URI_MISMATCH;
    case 'unknown':
    case 'client_mismatch':
    case 'pkce_failed':
      return 'Matching code was not found or was already used';
  }
}

/** The account as the caller's method sees it: professional through Instagram Login, personal through Basic Display. */
function profileResolvers(res: Response, caller: Caller): FieldResolvers {
  const { account } = caller;
  if (caller.flow === 'instagram-basic') {
    return {
      id: () => account.id,
      username: () => account.username,
      account_type: () => 'PERSONAL',
      media_count: () => account.media.length,
    };
  }
  return {
    ...instagramUserResolvers(res, account),
    user_id: () => account.id,
    account_type: () => account.accountType,
  };
}

/** Basic Display never exposed engagement counts. */
function mediaResolvers(caller: Caller, all: FieldResolvers): FieldResolvers {
  if (caller.flow === 'instagram') return all;
  const { like_count: _likes, comments_count: _comments, media_product_type: _type, ...basic } = all;
  return basic;
}
