/**
 * LinkedIn (OAuth 2.0 with OpenID Connect, the /v2 and versioned /rest APIs). Quirks kept
 * here: all requested scopes are granted or none; client id and secret go in the form body;
 * no PKCE; granted scopes come back comma-separated; for approved partners the refresh token
 * is returned unchanged by a refresh and its lifetime only counts down; denial arrives as
 * `user_cancelled_login` / `user_cancelled_authorize`; token health comes from introspection;
 * one member grant covers the member and every organization they administer.
 */
import * as client from 'openid-client';
import { PlatformError } from './adapter.ts';
import type { Grant, GrantedAccount, Inspection, PlatformAdapter, Refreshed, StoredAccount, TokenSet } from './adapter.ts';
import { REQUIRED_SCOPES } from './catalog.ts';
import type { AccountKind } from '../../contract/platforms.ts';
import { asRecord, asString, platformFetch, splitScopes, unixTime } from './http.ts';
import {
  OAuthClient,
  canRenew,
  grantedScopesFrom,
  requireEndpoints,
  throwExpired,
  timeoutSecondsOf,
  tokenSetFrom,
  usableRefreshToken,
} from './oauth-client.ts';
import type { OAuthAdapterOptions } from './oauth-client.ts';

export const REAL_ENDPOINTS: Readonly<Record<string, string>> = {
  authorize: 'https://www.linkedin.com/oauth/v2/authorization',
  token: 'https://www.linkedin.com/oauth/v2/accessToken',
  introspect: 'https://www.linkedin.com/oauth/v2/introspectToken',
  revoke: 'https://www.linkedin.com/oauth/v2/revoke',
  api: 'https://api.linkedin.com',
  userinfo: 'https://api.linkedin.com/v2/userinfo',
  issuer: 'https://www.linkedin.com/oauth',
  jwks: 'https://www.linkedin.com/oauth/openid/jwks',
};

const LABEL = 'LinkedIn';
/** Members need only the member scopes, but one request covers organizations too. */
const SCOPES = REQUIRED_SCOPES.linkedin;
/**
 * The /rest API refuses calls without a version; LinkedIn retires each monthly version about
 * a year after release, so this needs bumping yearly.
 */
export const LINKEDIN_API_VERSION = '202601';

function canPublish(kind: AccountKind, grantedScopes: readonly string[]): boolean {
  return grantedScopes.includes(kind === 'organization' ? 'w_organization_social' : 'w_member_social');
}

export function createLinkedInAdapter(options: OAuthAdapterOptions): PlatformAdapter {
  const endpoints = requireEndpoints(
    options.endpoints,
    ['authorize', 'token', 'introspect', 'revoke', 'api', 'userinfo', 'issuer', 'jwks'],
    LABEL,
  );
  const timeoutSeconds = timeoutSecondsOf(options);
  const oauth = new OAuthClient({
    label: LABEL,
    server: {
      issuer: endpoints.issuer,
      authorization_endpoint: endpoints.authorize,
      token_endpoint: endpoints.token,
      introspection_endpoint: endpoints.introspect,
      revocation_endpoint: endpoints.revoke,
      userinfo_endpoint: endpoints.userinfo,
      jwks_uri: endpoints.jwks,
      id_token_signing_alg_values_supported: ['RS256'],
    },
    clientId: options.clientId,
    clientAuth: client.ClientSecretPost(options.clientSecret),
    clock: options.clock,
    allowInsecure: options.allowInsecure,
    timeoutSeconds,
    deniedErrors: ['user_cancelled_login', 'user_cancelled_authorize'],
    // The id_token is checked against the issuer, audience, times and the JWKS signature.
    verifyIdTokenSignatures: true,
  });

  async function apiGet(url: string | URL, accessToken: string, versioned: boolean): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = { Authorization: `Bearer ${accessToken}` };
    if (versioned) {
      headers['LinkedIn-Version'] = LINKEDIN_API_VERSION;
      headers['X-Restli-Protocol-Version'] = '2.0.0';
    }
    const response = await platformFetch(LABEL, url, { headers, timeoutMs: timeoutSeconds * 1000 });
    const body = asRecord(response.body);
    if (response.status === 200) return body;
    if (response.status === 401) {
      throw new PlatformError('permanent', 'token_revoked', `${LABEL} has revoked this connection. Please reconnect the account.`, 401);
    }
    if (response.status === 403) {
      throw new PlatformError('rejected', 'missing_permissions', `${LABEL} did not grant the permission this needs. Please reconnect the account.`, 403);
    }
    if (response.status === 429) {
      throw new PlatformError('transient', 'platform_rate_limited', `${LABEL} asked us to slow down; we will try again later.`, 429);
    }
    const detail = asString(body['message']);
    throw new PlatformError('rejected', 'platform_rejected', detail ? `${LABEL} refused the request: ${detail}` : `${LABEL} refused the request.`, response.status);
  }

  function restUrl(path: string): URL {
    return new URL(`${endpoints.api.replace(/\/+$/, '')}/rest/${path}`);
  }

  async function member(accessToken: string): Promise<{ sub: string; name: string | null; picture: string | null }> {
    const info = await apiGet(endpoints.userinfo, accessToken, false);
    const sub = asString(info['sub']);
    if (sub === null) throw new PlatformError('rejected', 'platform_rejected', `${LABEL} did not say which member signed in.`);
    return { sub, name: asString(info['name']), picture: asString(info['picture']) };
  }

  /** Ids of the organizations this member administers (approved ADMINISTRATOR roles). */
  async function administeredOrganizationIds(accessToken: string): Promise<string[]> {
    const url = restUrl('organizationAcls');
    url.searchParams.set('q', 'roleAssignee');
    url.searchParams.set('role', 'ADMINISTRATOR');
    url.searchParams.set('state', 'APPROVED');
    const body = await apiGet(url, accessToken, true);
    const elements = Array.isArray(body['elements']) ? body['elements'] : [];
    const ids = elements
      .map((element) => /^urn:li:organization:(\d+)$/.exec(asString(asRecord(element)['organization']) ?? '')?.[1])
      .filter((id): id is string => id !== undefined);
    return [...new Set(ids)];
  }

  async function organizationAccount(id: string, grant: Grant): Promise<GrantedAccount> {
    const organization = await apiGet(restUrl(`organizations/${encodeURIComponent(id)}`), grant.tokens.accessToken, true);
    return {
      platformAccountId: id,
      kind: 'organization',
      displayName: asString(organization['localizedName']) ?? `Organization ${id}`,
      username: asString(organization['vanityName']),
      // logoV2 holds an asset URN; a direct URL is used only when the answer carries one.
      avatarUrl: asString(organization['logoUrl']),
      tokens: grant.tokens,
      grantedScopes: grant.grantedScopes,
      dataAccessExpiresAt: null,
      canPublish: canPublish('organization', grant.grantedScopes),
      connectMethod: 'oauth2',
    };
  }

  return {
    platform: 'linkedin',

    async authorizationUrl({ redirectUri, state }) {
      return oauth.authorizationUrl({ redirect_uri: redirectUri, response_type: 'code', scope: SCOPES.join(' '), state });
    },

    redirectError(params) {
      return oauth.redirectError(params);
    },

    async exchangeCode({ callbackUrl, state }): Promise<Grant> {
      const response = await oauth.exchangeCode(callbackUrl, { state });
      const tokens = tokenSetFrom(response, options.clock.now(), response['refresh_token_expires_in']);
      // openid-client has validated the id_token by now; without one, userinfo names the member.
      const userId = response.claims()?.sub ?? (await member(tokens.accessToken)).sub;
      return { platform: 'linkedin', tokens, grantedScopes: grantedScopesFrom(response, SCOPES), dataAccessExpiresAt: null, userId };
    },

    async accounts(grant): Promise<GrantedAccount[]> {
      const person = await member(grant.tokens.accessToken);
      const accounts: GrantedAccount[] = [
        {
          platformAccountId: person.sub,
          kind: 'member',
          displayName: person.name ?? person.sub,
          username: null,
          avatarUrl: person.picture,
          tokens: grant.tokens,
          grantedScopes: grant.grantedScopes,
          dataAccessExpiresAt: null,
          canPublish: canPublish('member', grant.grantedScopes),
          connectMethod: 'oauth2',
        },
      ];
      if (grant.grantedScopes.includes('rw_organization_admin')) {
        const ids = await administeredOrganizationIds(grant.tokens.accessToken);
        accounts.push(...(await Promise.all(ids.map((id) => organizationAccount(id, grant)))));
      }
      return accounts;
    },

    async refresh(account: StoredAccount): Promise<Refreshed> {
      const now = options.clock.now();
      const refreshToken = usableRefreshToken(account.tokens, now, LABEL);
      const response = await oauth.refresh(refreshToken);
      const fresh = tokenSetFrom(response, options.clock.now(), response['refresh_token_expires_in']);
      return { tokens: keepRefreshExpiry(fresh, account.tokens), grantedScopes: grantedScopesFrom(response, account.grantedScopes) };
    },

    async inspect(account: StoredAccount): Promise<Inspection> {
      const now = options.clock.now();
      const answer = await oauth.introspect(account.tokens.accessToken);
      const status = asString(answer['status']);
      const expiresAt = unixTime(answer['expires_at']);
      if (status === 'revoked' || (!answer.active && status !== 'expired')) {
        throw new PlatformError('permanent', 'token_revoked', `${LABEL} has revoked this connection. Please reconnect the account.`);
      }
      if (!answer.active) {
        // Expired: only a problem when the refresh token cannot renew it.
        if (!canRenew(account.tokens, now)) throwExpired(LABEL);
        return { expiresAt: expiresAt ?? account.tokens.expiresAt };
      }
      const grantedScopes = splitScopes(answer.scope);
      return {
        ...(grantedScopes.length > 0 ? { grantedScopes, canPublish: canPublish(account.kind, grantedScopes) } : {}),
        ...(expiresAt ? { expiresAt } : {}),
      };
    },

    async recentPosts() {
      return [];
    },

    async revoke(account: StoredAccount): Promise<void> {
      await oauth.revoke(account.tokens.accessToken);
    },
  };
}

/**
 * A partner refresh token keeps its first expiry: refreshing never extends it, so the earlier
 * of the stored expiry and the one the answer implies is the true one (rounding aside).
 */
function keepRefreshExpiry(fresh: TokenSet, stored: TokenSet): TokenSet {
  const sameToken = fresh.refreshToken === null || fresh.refreshToken === stored.refreshToken;
  if (!sameToken) return fresh;
  const candidates = [fresh.refreshTokenExpiresAt, stored.refreshTokenExpiresAt].filter((d): d is Date => d !== null);
  const earliest = candidates.length > 0 ? new Date(Math.min(...candidates.map((d) => d.getTime()))) : null;
  return { ...fresh, refreshToken: fresh.refreshToken ?? stored.refreshToken, refreshTokenExpiresAt: earliest };
}
