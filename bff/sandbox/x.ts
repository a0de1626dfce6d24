/**
 * X OAuth 2.0 (x.com/i/oauth2/authorize, api.x.com/2/oauth2/token): PKCE with S256 required,
 * HTTP Basic client authentication for the confidential client on every token call,
 * 30-second codes, refresh tokens only with offline.access, rotated on each refresh.
 */
import express from 'express';
import type { Request, Response, Router } from 'express';
import { mountAuthorize } from './consent.ts';
import type { AuthorizeFlow } from './consent.ts';
import { oauthError, xProblem } from './errors.ts';
import {
  avatarUrl,
  basicCredentials,
  bearerToken,
  clientMatches,
  formBody,
  param,
  queryParams,
  redeemCode,
  splitScopes,
} from './oauth.ts';
import type { PlatformContext } from './oauth.ts';
import { SANDBOX_CLIENTS, X_USERS } from './seed.ts';
import type { XUser } from './seed.ts';
import type { GrantRecord } from './state.ts';

const CLIENT = SANDBOX_CLIENTS.x;
const TOKEN_PREFIX = 'sbx-x';
const ACCESS_SECONDS = 2 * 3600;
/** Undocumented by X; the sandbox lets an unused refresh token live six months. */
const REFRESH_SECONDS = 180 * 24 * 3600;

export const X_SCOPES: Readonly<Record<string, string>> = {
  'tweet.read': 'Read posts you can see',
  'tweet.write': 'Post and repost for you',
  'tweet.moderate.write': 'Hide and unhide replies to your posts',
  'users.read': 'Read your profile',
  'follows.read': 'Read who you follow',
  'follows.write': 'Follow and unfollow for you',
  'offline.access': 'Stay connected (refresh token)',
  'media.write': 'Upload media',
  'like.read': 'Read your likes',
  'like.write': 'Like and unlike posts',
};

const xFlow: AuthorizeFlow = {
  flow: 'x',
  title: 'Sandbox X',
  client: CLIENT,
  clientIdParam: 'client_id',
  scopeSeparator: ' ',
  scopes: X_SCOPES,
  invalidScope: 'invalid_scope',
  pkce: 'required-s256',
  allOrNothing: false,
  codeTtlSeconds: 30,
  users: X_USERS.map((u) => ({ id: u.id, name: u.name, detail: `@${u.username}` })),
  denyParams: (state) => [
    ['error', 'access_denied'],
    ['state', state],
  ],
};

const BAD_CLIENT = oauthError('unauthorized_client', 'Missing valid authorization header');

export function xRouter({ store, control, redirects }: PlatformContext): Router {
  const router = express.Router();
  mountAuthorize(router, '/www/i/oauth2/authorize', xFlow, store, redirects);

  const guard = control.tokenEndpoint('x', (res) => res.status(500).json(xProblem(500, 'Internal Server Error')));

  /** X's confidential clients must use HTTP Basic; credentials in the body are refused. */
  function clientAuthenticated(req: Request): boolean {
    const basic = basicCredentials(req);
    const bodyClientId = param(formBody(req), 'client_id');
    return (
      basic !== undefined &&
      clientMatches(CLIENT, basic.id, basic.secret) &&
      (bodyClientId === undefined || bodyClientId === CLIENT.clientId) &&
      param(formBody(req), 'client_secret') === undefined
    );
  }

  router.post('/api/2/oauth2/token', guard, (req, res) => {
    if (!clientAuthenticated(req)) return void res.status(401).json(BAD_CLIENT);
    const body = formBody(req);
    const grantType = param(body, 'grant_type');
    if (grantType === 'authorization_code') {
      const result = redeemCode(store, 'x', {
        code: param(body, 'code'),
        clientId: CLIENT.clientId,
        redirectUri: param(body, 'redirect_uri'),
        codeVerifier: param(body, 'code_verifier'),
      });
      if (!result.ok) {
        return void res.status(400).json(oauthError('invalid_request', 'Value passed for the authorization code was invalid.'));
      }
      return sendTokens(res, result.grant);
    }
    if (grantType === 'refresh_token') {
      const check = store.checkToken(param(body, 'refresh_token'), ['x'], 'refresh');
      // Replaying an already-used refresh token revokes the whole grant (every token from it).
      if (check.status === 'rotated') store.revokeGrant(check.grant, 'refresh_token_replayed');
      if (check.status !== 'active') {
        return void res.status(400).json(oauthError('invalid_request', 'Value passed for the token was invalid.'));
      }
      store.markRotated(check.token);
      return sendTokens(res, check.grant);
    }
    res.status(400).json(oauthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.'));
  });

  function sendTokens(res: Response, grant: GrantRecord): void {
    const access = store.issueToken({ grant, kind: 'access', prefix: TOKEN_PREFIX, ttlSeconds: ACCESS_SECONDS });
    const refresh = grant.scopes.includes('offline.access')
      ? store.issueToken({ grant, kind: 'refresh', prefix: TOKEN_PREFIX, ttlSeconds: REFRESH_SECONDS })
      : undefined;
    res.json({
      token_type: 'bearer',
      expires_in: store.secondsLeft(access),
      access_token: access.value,
      scope: grant.scopes.join(' '),
      ...(refresh ? { refresh_token: refresh.value } : {}),
    });
  }

  router.post('/api/2/oauth2/revoke', (req, res) => {
    if (!clientAuthenticated(req)) return void res.status(401).json(BAD_CLIENT);
    store.revokeToken(param(formBody(req), 'token'), ['x']);
    res.json({ revoked: true });
  });

  router.get('/api/2/users/me', (req, res) => {
    const check = store.checkToken(bearerToken(req), ['x'], 'access');
    if (check.status !== 'active') return void res.status(401).json(xProblem(401, 'Unauthorized'));
    if (!check.grant.scopes.includes('users.read') || !check.grant.scopes.includes('tweet.read')) {
      return void res.status(403).json(xProblem(403, 'Forbidden'));
    }
    const user = X_USERS.find((u) => u.id === check.grant.userId);
    if (!user) return void res.status(401).json(xProblem(401, 'Unauthorized'));
    const extra = splitScopes(param(queryParams(req), 'user.fields'), ',');
    const values = optionalUserFields(res, user);
    const data: Record<string, unknown> = { id: user.id, name: user.name, username: user.username };
    for (const field of extra) if (field in values) data[field] = values[field];
    res.json({ data });
  });

  return router;
}

/** Fields X returns only when asked for in `user.fields`. */
function optionalUserFields(res: Response, user: XUser): Record<string, unknown> {
  return {
    profile_image_url: avatarUrl(res, user.id),
    description: user.description,
    created_at: user.createdAt,
    verified: false,
    protected: false,
    public_metrics: {
      followers_count: user.followersCount,
      following_count: user.followingCount,
      tweet_count: user.tweetCount,
      listed_count: 0,
    },
  };
}
