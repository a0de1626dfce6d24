/**
 * TikTok (Login Kit for Web and the Open API v2). Quirks kept here: the app id travels as
 * `client_key`, in the authorize URL and with the secret in every token request's form body;
 * scopes are comma-separated and the person may grant a subset; web logins use no PKCE;
 * refresh tokens rotate (the new one must be stored every time); user fields each need
 * their own scope; errors come as `{ error: { code, message } }`.
 *
 * Deviations handled (PLATFORMS.md): access tokens live 2 hours and refresh tokens 180 days
 * (older pages said 24 h and 365 days): both are read from each answer's `expires_in` and
 * `refresh_expires_in`, never assumed. Some errors arrive inside HTTP 200 bodies (a non-"ok"
 * `error.code`, or an OAuth `error` without an access token): read from the body, whatever
 * the status. `access_token_invalid` means "refresh and retry", not "revoked": at connect the
 * adapter refreshes once and retries; in a check it marks the access token as expired and
 * asks for a renewal (`Inspection.renew`): the refresh service renews at once and checks once more.
 * A refresh that gets no answer in time may have rotated the token: `refresh_outcome_unknown`,
 * and the refresh service keeps the access token until it expires before it tries again.
 *
 * Sources:
 * - Login Kit for Web: https://developers.tiktok.com/doc/login-kit-web
 * - Token management (2 h access, 180-day rotating refresh): https://developers.tiktok.com/doc/oauth-user-access-token-management
 * - Error codes: https://developers.tiktok.com/doc/tiktok-api-v2-error-handling
 * - User info: https://developers.tiktok.com/doc/tiktok-api-v2-get-user-info
 * - gitroomhq/postiz-app tiktok.provider.ts (refresh, client_key); NangoHQ/nango providers.yaml (tiktok-accounts).
 */
import type * as client from 'openid-client';
import { PlatformError } from './adapter.ts';
import type { Grant, GrantedAccount, Inspection, PlatformAdapter, Refreshed, StoredAccount } from './adapter.ts';
import { REQUIRED_SCOPES } from './catalog.ts';
import { asRecord, asString, platformFetch } from './http.ts';
import {
  OAuthClient,
  canRenew,
  deadTokenOutcome,
  hasExpired,
  grantedScopesFrom,
  requireEndpoints,
  deadlinesOf,
  timeoutSecondsOf,
  tokenSetFrom,
  usableRefreshToken,
} from './oauth-client.ts';
import type { OAuthAdapterOptions } from './oauth-client.ts';

export const REAL_ENDPOINTS: Readonly<Record<string, string>> = {
  authorize: 'https://www.tiktok.com/v2/auth/authorize/',
  token: 'https://open.tiktokapis.com/v2/oauth/token/',
  revoke: 'https://open.tiktokapis.com/v2/oauth/revoke/',
  api: 'https://open.tiktokapis.com/v2',
};

const LABEL = 'TikTok';
const SCOPES = REQUIRED_SCOPES.tiktok;
const PUBLISH_SCOPE = 'video.publish';

/** TikTok authenticates the app with client_key and client_secret in the form body, never client_id. */
function clientKeyAuth(clientKey: string, clientSecret: string): client.ClientAuth {
  return (_as, _client, body) => {
    body.set('client_key', clientKey);
    body.set('client_secret', clientSecret);
  };
}

/** Each user field needs its own scope; asking for one not granted fails the whole call. */
function profileFields(grantedScopes: readonly string[]): string[] {
  const fields: string[] = [];
  if (grantedScopes.includes('user.info.basic')) fields.push('open_id', 'avatar_url', 'display_name');
  if (grantedScopes.includes('user.info.profile')) fields.push('username');
  return fields;
}

export function createTikTokAdapter(options: OAuthAdapterOptions): PlatformAdapter {
  const endpoints = requireEndpoints(options.endpoints, ['authorize', 'token', 'revoke', 'api'], LABEL);
  const timeoutSeconds = timeoutSecondsOf(options);
  const oauth = new OAuthClient({
    label: LABEL,
    server: {
      issuer: new URL(endpoints.authorize).origin,
      authorization_endpoint: endpoints.authorize,
      token_endpoint: endpoints.token,
      revocation_endpoint: endpoints.revoke,
    },
    clientId: options.clientId,
    clientAuth: clientKeyAuth(options.clientId, options.clientSecret),
    clock: options.clock,
    allowInsecure: options.allowInsecure,
    ...deadlinesOf(options),
    rotatesRefreshTokens: true,
  });

  /** GET /user/info/ for these fields; TikTok error codes become PlatformErrors. */
  async function userInfo(accessToken: string, fields: string[]): Promise<Record<string, unknown>> {
    const url = new URL(`${endpoints.api.replace(/\/+$/, '')}/user/info/`);
    url.searchParams.set('fields', fields.join(','));
    const response = await platformFetch(LABEL, url, {
      headers: { Authorization: `Bearer ${accessToken}` },
      timeoutMs: timeoutSeconds * 1000,
    });
    const body = asRecord(response.body);
    const error = asRecord(body['error']);
    const code = asString(error['code']);
    if (response.status === 200 && (code === null || code === 'ok')) return asRecord(asRecord(body['data'])['user']);
    if (code === 'access_token_invalid') {
      throw new PlatformError('permanent', 'token_revoked', `${LABEL} has revoked this connection. Please reconnect the account.`, response.status);
    }
    if (code === 'scope_not_authorized') {
      throw new PlatformError('rejected', 'missing_permissions', `${LABEL} did not grant the permission this needs. Please reconnect and allow every permission.`, response.status);
    }
    if (response.status === 429 || code === 'rate_limit_exceeded') {
      throw new PlatformError('transient', 'platform_rate_limited', `${LABEL} asked us to slow down; we will try again later.`, response.status);
    }
    const detail = asString(error['message']);
    throw new PlatformError('rejected', 'platform_rejected', detail ? `${LABEL} refused the request: ${detail}` : `${LABEL} refused the request.`, response.status);
  }

  return {
    platform: 'tiktok',

    async authorizationUrl({ redirectUri, state }) {
      const url = oauth.authorizationUrl({ redirect_uri: redirectUri, response_type: 'code', scope: SCOPES.join(','), state });
      // TikTok reads client_key and rejects a request without it; client_id means nothing to it.
      url.searchParams.delete('client_id');
      url.searchParams.set('client_key', options.clientId);
      return url;
    },

    redirectError(params) {
      return oauth.redirectError(params);
    },

    async exchangeCode({ callbackUrl, state }): Promise<Grant> {
      const response = await oauth.exchangeCode(callbackUrl, { state });
      const userId = asString(response['open_id']);
      if (userId === null) throw new PlatformError('rejected', 'platform_rejected', `${LABEL} did not say which account was connected.`);
      return {
        platform: 'tiktok',
        tokens: tokenSetFrom(response, options.clock.now(), response['refresh_expires_in']),
        grantedScopes: grantedScopesFrom(response, SCOPES),
        dataAccessExpiresAt: null,
        userId,
      };
    },

    async accounts(grant): Promise<GrantedAccount[]> {
      const fields = profileFields(grant.grantedScopes);
      let tokens = grant.tokens;
      let user: Record<string, unknown> = {};
      if (fields.length > 0) {
        try {
          user = await userInfo(tokens.accessToken, fields);
        } catch (err) {
          // access_token_invalid: refresh once and retry with the new (rotated) tokens, which the account keeps.
          if (!(err instanceof PlatformError && err.code === 'token_revoked' && canRenew(tokens, options.clock.now()))) throw err;
          const response = await oauth.refresh(tokens.refreshToken!);
          tokens = tokenSetFrom(response, options.clock.now(), response['refresh_expires_in']);
          user = await userInfo(tokens.accessToken, fields);
        }
      }
      const username = asString(user['username']);
      return [
        {
          platformAccountId: grant.userId,
          kind: 'profile',
          // Without user.info.basic TikTok shares no name: fall back to what it did share.
          displayName: asString(user['display_name']) ?? username ?? grant.userId,
          username,
          avatarUrl: asString(user['avatar_url']),
          tokens,
          grantedScopes: grant.grantedScopes,
          dataAccessExpiresAt: null,
          canPublish: grant.grantedScopes.includes(PUBLISH_SCOPE),
          connectMethod: 'oauth2',
        },
      ];
    },

    async refresh(account: StoredAccount): Promise<Refreshed> {
      const refreshToken = usableRefreshToken(account.tokens, options.clock.now(), LABEL);
      const response = await oauth.refresh(refreshToken);
      // Rotation: the answer carries a new refresh token, and the old one is already dead.
      return {
        tokens: tokenSetFrom(response, options.clock.now(), response['refresh_expires_in']),
        grantedScopes: grantedScopesFrom(response, account.grantedScopes),
      };
    },

    async inspect(account: StoredAccount): Promise<Inspection> {
      // The cheapest field the grant allows; with neither profile scope there is nothing to ask.
      const field = profileFields(account.grantedScopes).find((f) => f === 'open_id' || f === 'username');
      if (!field) return {};
      try {
        await userInfo(account.tokens.accessToken, [field]);
        return {};
      } catch (err) {
        // TikTok says access_token_invalid for expired and revoked tokens alike, and it means
        // "refresh and retry": with a live refresh token the access token counts as expired
        // now and the answer asks for a renewal (`renew`), which the caller makes at once and
        // checks again once: the refresh (TikTok's verification) decides whether the grant lives.
        if (err instanceof PlatformError && err.code === 'token_revoked') {
          const now = options.clock.now();
          if (canRenew(account.tokens, now)) return hasExpired(account.tokens.expiresAt, now) ? { expiresAt: account.tokens.expiresAt } : { expiresAt: now, renew: true };
          return deadTokenOutcome(account.tokens, now, LABEL);
        }
        throw err;
      }
    },

    async recentPosts() {
      return [];
    },

    async revoke(account: StoredAccount): Promise<void> {
      // TikTok revokes the whole grant from its access token.
      await oauth.revoke(account.tokens.accessToken);
    },
  };
}
