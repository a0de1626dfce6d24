/**
 * X (OAuth 2.0 with PKCE and the v2 API). Quirks kept here: PKCE with S256 is required; the
 * confidential client authenticates with HTTP Basic on every token, refresh and revoke call;
 * scopes are space-separated and may be granted in part; a refresh token comes only with
 * offline.access and rotates on each refresh; a dead refresh token is answered with
 * `invalid_request` rather than `invalid_grant`; the token response does not say who the
 * user is, so the profile call identifies the grant.
 *
 * Deviations handled (PLATFORMS.md): replaying an already-used refresh token revokes the whole
 * grant, so a refresh whose answer was lost is `refresh_outcome_unknown`, never retried here:
 * the refresh service keeps the access token until it expires before it tries the stored
 * refresh token again (the refresh deadline is longer than a read's). API use is billed
 * per call: HTTP 402 `credits-depleted` is the operator's billing (kind `operator`), never the
 * account's grant, and never makes the connect give the fresh token back. HTTP 429 is a
 * transient wait, read from `x-rate-limit-reset`.
 *
 * Sources:
 * - OAuth 2.0 Authorization Code with PKCE: https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/authorization-code
 * - User access tokens, refresh, revoke: https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/user-access-token
 * - Rate limits (x-rate-limit-reset): https://docs.x.com/x-api/fundamentals/rate-limits
 * - Pay-per-use pricing and 402 credits: https://docs.x.com/x-api/getting-started/pricing
 * - PLhery/node-twitter-api-v2 (refreshOAuth2Token, rate-limit headers);
 *   nextauthjs/next-auth providers/twitter.ts; NangoHQ/nango providers.yaml (twitter-v2).
 */
import * as client from 'openid-client';
import { PlatformError } from './adapter.ts';
import type { Grant, GrantedAccount, Inspection, PlatformAdapter, Refreshed, StoredAccount } from './adapter.ts';
import { REQUIRED_SCOPES } from './catalog.ts';
import { asRecord, asString, platformFetch, retryAfterSeconds } from './http.ts';
import {
  OAuthClient,
  deadTokenOutcome,
  grantedScopesFrom,
  requireEndpoints,
  deadlinesOf,
  timeoutSecondsOf,
  tokenSetFrom,
  usableRefreshToken,
} from './oauth-client.ts';
import type { OAuthAdapterOptions, OAuthFailure } from './oauth-client.ts';

export const REAL_ENDPOINTS: Readonly<Record<string, string>> = {
  authorize: 'https://x.com/i/oauth2/authorize',
  token: 'https://api.x.com/2/oauth2/token',
  revoke: 'https://api.x.com/2/oauth2/revoke',
  api: 'https://api.x.com/2',
};

const LABEL = 'X';
const SCOPES = REQUIRED_SCOPES.x;
const PUBLISH_SCOPE = 'tweet.write';

interface XProfile {
  id: string;
  name: string | null;
  username: string | null;
  profileImageUrl: string | null;
}

/** X answers a rotated, revoked or expired refresh token with 400 invalid_request. */
function classify(failure: OAuthFailure): PlatformError | undefined {
  if (failure.operation === 'refresh' && failure.status === 400 && (failure.error === 'invalid_request' || failure.error === 'invalid_grant')) {
    return new PlatformError('permanent', 'invalid_grant', `${LABEL} no longer accepts this account's refresh token. Please reconnect it.`, 400);
  }
  return undefined;
}

export function createXAdapter(options: OAuthAdapterOptions): PlatformAdapter {
  const endpoints = requireEndpoints(options.endpoints, ['authorize', 'token', 'revoke', 'api'], LABEL);
  const timeoutSeconds = timeoutSecondsOf(options);
  const oauth = new OAuthClient({
    label: LABEL,
    server: {
      issuer: new URL(endpoints.authorize).origin,
      authorization_endpoint: endpoints.authorize,
      token_endpoint: endpoints.token,
      revocation_endpoint: endpoints.revoke,
      code_challenge_methods_supported: ['S256'],
    },
    clientId: options.clientId,
    clientAuth: client.ClientSecretBasic(options.clientSecret),
    clock: options.clock,
    allowInsecure: options.allowInsecure,
    ...deadlinesOf(options),
    classify,
    rotatesRefreshTokens: true,
  });

  async function me(accessToken: string): Promise<XProfile> {
    const url = new URL(`${endpoints.api.replace(/\/+$/, '')}/users/me`);
    url.searchParams.set('user.fields', 'profile_image_url,username,name');
    const response = await platformFetch(LABEL, url, {
      headers: { Authorization: `Bearer ${accessToken}` },
      timeoutMs: timeoutSeconds * 1000,
    });
    const body = asRecord(response.body);
    const data = asRecord(body['data']);
    const id = asString(data['id']);
    if (response.status === 200 && id !== null) {
      return { id, name: asString(data['name']), username: asString(data['username']), profileImageUrl: asString(data['profile_image_url']) };
    }
    switch (response.status) {
      case 401:
        throw new PlatformError('permanent', 'token_revoked', `${LABEL} has revoked this connection. Please reconnect the account.`, 401);
      case 403:
        throw new PlatformError(
          'rejected',
          'missing_permissions',
          `${LABEL} did not let us read the profile: allow "users.read" and "tweet.read" and connect again.`,
          403,
        );
      case 402:
        // Pay-per-use: the operator's X developer account has no credits left. Not the account's grant.
        throw new PlatformError(
          'operator',
          'billing_credits_depleted',
          `${LABEL} refused the call because this server's X developer account has run out of credits (HTTP 402 ${asString(body['title']) ?? 'credits-depleted'}). This is the operator's billing, not a problem with the connected account: the operator tops up the X developer account and it works again.`,
          402,
        );
      case 429:
        throw new PlatformError('transient', 'platform_rate_limited', `${LABEL} asked us to slow down; we will try again later.`, 429, retryAfterSeconds(response.headers));
    }
    // API v2 errors are problem documents: { title, detail, status }.
    const detail = asString(body['detail']) ?? asString(body['title']);
    throw new PlatformError('rejected', 'platform_rejected', detail ? `${LABEL} refused the request: ${detail}` : `${LABEL} refused the request.`, response.status);
  }

  return {
    platform: 'x',

    async authorizationUrl({ redirectUri, state, codeVerifier }) {
      return oauth.authorizationUrl({
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: SCOPES.join(' '),
        state,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
    },

    redirectError(params) {
      return oauth.redirectError(params);
    },

    async exchangeCode({ callbackUrl, state, codeVerifier }): Promise<Grant> {
      const response = await oauth.exchangeCode(callbackUrl, { state, codeVerifier });
      const tokens = tokenSetFrom(response, options.clock.now(), undefined);
      let profile: XProfile;
      try {
        profile = await me(tokens.accessToken);
      } catch (err) {
        // An account we cannot identify cannot be stored: give the grant back (best effort),
        // unless the failure is ours or passing (credits depleted, rate limit, outage): then
        // the person's grant is fine and a later try needs no new consent.
        const passing = err instanceof PlatformError && (err.kind === 'operator' || err.kind === 'transient');
        if (!passing) await oauth.revoke(tokens.accessToken, 'access_token').catch(() => undefined);
        throw err;
      }
      return { platform: 'x', tokens, grantedScopes: grantedScopesFrom(response, SCOPES), dataAccessExpiresAt: null, userId: profile.id };
    },

    async accounts(grant): Promise<GrantedAccount[]> {
      const profile = await me(grant.tokens.accessToken);
      return [
        {
          platformAccountId: profile.id,
          kind: 'profile',
          displayName: profile.name ?? profile.username ?? profile.id,
          username: profile.username,
          avatarUrl: profile.profileImageUrl,
          tokens: grant.tokens,
          grantedScopes: grant.grantedScopes,
          dataAccessExpiresAt: null,
          canPublish: grant.grantedScopes.includes(PUBLISH_SCOPE),
          connectMethod: 'oauth2',
        },
      ];
    },

    async refresh(account: StoredAccount): Promise<Refreshed> {
      // No offline.access, no refresh token: nothing to renew with.
      const refreshToken = usableRefreshToken(account.tokens, options.clock.now(), LABEL);
      const response = await oauth.refresh(refreshToken);
      // Rotation: the new refresh token replaces the old, which X has already retired.
      return {
        tokens: tokenSetFrom(response, options.clock.now(), undefined),
        grantedScopes: grantedScopesFrom(response, account.grantedScopes),
      };
    },

    async inspect(account: StoredAccount): Promise<Inspection> {
      try {
        await me(account.tokens.accessToken);
        return {};
      } catch (err) {
        // X answers 401 for expired and revoked tokens alike.
        if (err instanceof PlatformError && err.code === 'token_revoked') return deadTokenOutcome(account.tokens, options.clock.now(), LABEL);
        throw err;
      }
    },

    async recentPosts() {
      return [];
    },

    async revoke(account: StoredAccount): Promise<void> {
      // The refresh token first: it is the one that would keep the grant alive.
      if (account.tokens.refreshToken !== null) await oauth.revoke(account.tokens.refreshToken, 'refresh_token');
      await oauth.revoke(account.tokens.accessToken, 'access_token');
    },
  };
}
