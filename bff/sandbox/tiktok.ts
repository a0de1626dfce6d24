/**
 * TikTok Login Kit for Web (www.tiktok.com/v2/auth/authorize/) and the Open API
 * (open.tiktokapis.com/v2): `client_key` instead of client_id, comma-separated scopes,
 * refresh tokens that rotate on every refresh, user info by field with per-field scopes.
 */
import express from 'express';
import type { Request, Response, Router } from 'express';
import { mountAuthorize } from './consent.ts';
import type { AuthorizeFlow } from './consent.ts';
import { tiktokApiError, tiktokOAuthError, tiktokOk } from './errors.ts';
import {
  avatarUrl,
  bearerToken,
  clientMatches,
  formBody,
  param,
  profileUrl,
  queryParams,
  redeemCode,
  splitScopes,
} from './oauth.ts';
import type { PlatformContext, RedeemFailure } from './oauth.ts';
import { SANDBOX_CLIENTS, TIKTOK_USERS } from './seed.ts';
import type { TikTokUser } from './seed.ts';
import type { GrantRecord, TokenRecord } from './state.ts';

const CLIENT = SANDBOX_CLIENTS.tiktok;
const TOKEN_PREFIX = 'sbx-tt';
/** The current token-management page: access tokens live 2 hours (an older page said 24 h). */
const ACCESS_SECONDS = 2 * 3600;
/** A refresh token is good for 180 days (older page: 365) after the first one was issued; rotation does not extend it. */
const REFRESH_SECONDS = 180 * 24 * 3600;

export const TIKTOK_SCOPES: Readonly<Record<string, string>> = {
  'user.info.basic': 'Read your avatar and display name',
  'user.info.profile': 'Read your username, bio and verification status',
  'user.info.stats': 'Read your follower, like and video counts',
  'video.list': 'Read your public videos',
  'video.publish': 'Post videos to your profile',
  'video.upload': 'Upload videos as drafts',
};

/** The scope each user field needs. */
const FIELD_SCOPES: Readonly<Record<string, string>> = {
  open_id: 'user.info.basic',
  union_id: 'user.info.basic',
  avatar_url: 'user.info.basic',
  avatar_url_100: 'user.info.basic',
  avatar_large_url: 'user.info.basic',
  display_name: 'user.info.basic',
  username: 'user.info.profile',
  bio_description: 'user.info.profile',
  profile_deep_link: 'user.info.profile',
  is_verified: 'user.info.profile',
  follower_count: 'user.info.stats',
  following_count: 'user.info.stats',
  likes_count: 'user.info.stats',
  video_count: 'user.info.stats',
};

const tiktokFlow: AuthorizeFlow = {
  flow: 'tiktok',
  title: 'Sandbox TikTok',
  client: CLIENT,
  clientIdParam: 'client_key',
  scopeSeparator: ',',
  scopes: TIKTOK_SCOPES,
  invalidScope: 'invalid_scope',
  pkce: 'ignored',
  allOrNothing: false,
  codeTtlSeconds: 600,
  users: TIKTOK_USERS.map((u) => ({ id: u.openId, name: u.displayName, detail: `@${u.username}` })),
  // TikTok also reports the granted scopes in the redirect.
  successParams: (code, state) => [
    ['code', code.code],
    ['scopes', code.scopes.join(',')],
    ['state', state],
  ],
  denyParams: () => [
    ['error', 'access_denied'],
    ['error_description', 'The user denied the authorization request.'],
  ],
  errorParams: (error, description) => [
    ['error', error],
    ['error_description', description],
  ],
};

export function tiktokRouter({ store, control, redirects }: PlatformContext): Router {
  const router = express.Router();
  mountAuthorize(router, '/www/v2/auth/authorize/', tiktokFlow, store, redirects);

  const guard = control.tokenEndpoint('tiktok', (res) =>
    res.status(500).json(tiktokOAuthError('server_error', 'Internal server error, please retry later.')),
  );

  router.post('/open/v2/oauth/token/', guard, (req, res) => {
    const body = formBody(req);
    if (!clientAuthenticated(body)) return void rejectClient(res);
    const grantType = param(body, 'grant_type');
    if (grantType === 'authorization_code') {
      const result = redeemCode(store, 'tiktok', {
        code: param(body, 'code'),
        clientId: CLIENT.clientId,
        redirectUri: param(body, 'redirect_uri'),
        codeVerifier: undefined,
      });
      if (!result.ok) return void res.status(400).json(tiktokOAuthError('invalid_grant', codeErrorMessage(result.reason)));
      const refresh = store.issueToken({ grant: result.grant, kind: 'refresh', prefix: TOKEN_PREFIX, ttlSeconds: REFRESH_SECONDS });
      return sendTokens(res, result.grant, refresh);
    }
    if (grantType === 'refresh_token') {
      const check = store.checkToken(param(body, 'refresh_token'), ['tiktok'], 'refresh');
      if (check.status !== 'active') {
        // TikTok answers some token errors inside an HTTP 200 body.
        return void res.status(200).json(tiktokOAuthError('invalid_grant', 'Refresh token is invalid or expired.'));
      }
      // Rotation: the old refresh token stops working, the new one keeps the original expiry.
      store.markRotated(check.token);
      const refresh = store.issueToken({
        grant: check.grant,
        kind: 'refresh',
        prefix: TOKEN_PREFIX,
        ttlSeconds: null,
        expiresAt: check.token.expiresAt,
      });
      return sendTokens(res, check.grant, refresh);
    }
    res.status(400).json(tiktokOAuthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.'));
  });

  function sendTokens(res: Response, grant: GrantRecord, refresh: TokenRecord): void {
    const access = store.issueToken({ grant, kind: 'access', prefix: TOKEN_PREFIX, ttlSeconds: ACCESS_SECONDS });
    res.json({
      access_token: access.value,
      expires_in: store.secondsLeft(access),
      open_id: grant.userId,
      refresh_expires_in: store.secondsLeft(refresh),
      refresh_token: refresh.value,
      scope: grant.scopes.join(','),
      token_type: 'Bearer',
    });
  }

  router.post('/open/v2/oauth/revoke/', (req, res) => {
    const body = formBody(req);
    if (!clientAuthenticated(body)) return void rejectClient(res);
    store.revokeToken(param(body, 'token'), ['tiktok']);
    res.json({});
  });

  router.get('/open/v2/user/info/', (req: Request, res: Response) => {
    const check = store.checkToken(bearerToken(req), ['tiktok'], 'access');
    if (check.status !== 'active') {
      return void res
        .status(401)
        .json(tiktokApiError('access_token_invalid', 'The access token is invalid or not found in the request.'));
    }
    const fields = splitScopes(param(queryParams(req), 'fields'), ',');
    if (fields.length === 0) return void res.status(400).json(tiktokApiError('invalid_params', 'fields is required.'));
    const unknown = fields.find((f) => !Object.hasOwn(FIELD_SCOPES, f));
    if (unknown) return void res.status(400).json(tiktokApiError('invalid_params', `Invalid field: ${unknown}`));
    const missing = fields.map((f) => FIELD_SCOPES[f] ?? '').find((scope) => !check.grant.scopes.includes(scope));
    if (missing) {
      const message = `The user did not authorize the scope required for completing this request: ${missing}.`;
      return void res.status(401).json(tiktokApiError('scope_not_authorized', message));
    }
    const user = TIKTOK_USERS.find((u) => u.openId === check.grant.userId);
    if (!user) return void res.status(401).json(tiktokApiError('access_token_invalid', 'The access token is invalid.'));
    const values = userFields(res, user);
    res.json({ data: { user: Object.fromEntries(fields.map((f) => [f, values[f]])) }, error: tiktokOk() });
  });

  return router;
}

/** TikTok authenticates the app with client_key and client_secret in the form body. */
function clientAuthenticated(body: Record<string, unknown>): boolean {
  return clientMatches(CLIENT, param(body, 'client_key'), param(body, 'client_secret'));
}

function rejectClient(res: Response): void {
  res.status(401).json(tiktokOAuthError('invalid_client', 'Client key or secret is incorrect.'));
}

function userFields(res: Response, user: TikTokUser): Record<string, unknown> {
  return {
    open_id: user.openId,
    union_id: user.unionId,
    avatar_url: avatarUrl(res, user.openId),
    avatar_url_100: avatarUrl(res, user.openId),
    avatar_large_url: avatarUrl(res, user.openId),
    display_name: user.displayName,
    username: user.username,
    bio_description: user.bio,
    profile_deep_link: profileUrl(res, user.openId),
    is_verified: user.verified,
    follower_count: user.followerCount,
    following_count: user.followingCount,
    likes_count: user.likesCount,
    video_count: user.videoCount,
  };
}

function codeErrorMessage(reason: RedeemFailure): string {
  switch (reason) {
    case 'expired':
      return 'Authorization code is expired.';
    case 'redirect_uri_mismatch':
      return 'Redirect URI does not match the one used in the authorization request.';
    case 'used':
      return 'Authorization code has been used.';
    case 'unknown':
    case 'client_mismatch':
    case 'pkce_failed':
      return 'Authorization code is invalid.';
  }
}
