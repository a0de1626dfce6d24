/**
 * LinkedIn (OAuth 2.0 with OpenID Connect, the /v2 and versioned /rest APIs). Quirks kept
 * here: all requested scopes are granted or none; client id and secret go in the form body;
 * no PKCE; granted scopes come back comma-separated; for approved partners the refresh token
 * is returned unchanged by a refresh and its lifetime only counts down; denial arrives as
 * `user_cancelled_login` / `user_cancelled_authorize`; token health comes from introspection.
 *
 * Deviations handled (PLATFORMS.md "Deviations from the RFCs"):
 * - Token answers (code exchange and refresh) carry no `token_type`, which RFC 6749 5.1
 *   requires and openid-client refuses: `withTokenType` adds `Bearer` before it parses them.
 * - Members and Pages are two connect flows on two apps: the Community Management product
 *   (r_organization_social, w_organization_social, rw_organization_admin) must be the only
 *   product on its app, and an app without it answers `unauthorized_scope_error`. The member
 *   flow asks `openid profile w_member_social` of the first app; the Page flow asks only the
 *   organization scopes of `secondApp` (LINKEDIN_PAGES_CLIENT_ID, falling back to the first).
 * - Organization roles that may post: ADMINISTRATOR and CONTENT_ADMINISTRATOR; the
 *   organizationAcls finder is paged (start/count), read to its end.
 * - The /rest API needs `LinkedIn-Version: YYYYMM`; a retired version answers HTTP 426,
 *   which is the operator's configuration (LINKEDIN_API_VERSION), never a user's reconnect.
 *
 * Sources:
 * - Authorization code flow, token response (no token_type):
 *   https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow
 * - Members, OpenID Connect (ID token claims, /v2/userinfo; issuer https://www.linkedin.com/oauth):
 *   https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2
 *   and https://www.linkedin.com/oauth/.well-known/openid-configuration
 * - Refresh tokens: https://learn.microsoft.com/en-us/linkedin/shared/authentication/programmatic-refresh-tokens
 * - Introspection: https://learn.microsoft.com/en-us/linkedin/shared/authentication/token-introspection
 * - Organization access control (roles, paging):
 *   https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-access-control-by-role
 * - Community Management app rules: https://learn.microsoft.com/en-us/linkedin/marketing/community-management-overview
 * - Versioning (426 after sunset): https://learn.microsoft.com/en-us/linkedin/marketing/versioning
 * - openid-client issue 826 (LinkedIn missing token_type, workaround customFetch):
 *   https://github.com/panva/openid-client/issues/826
 * - linkedin-developers/linkedin-api-js-client (AccessToken3LResponse, issue 43);
 *   nextauthjs/next-auth providers/linkedin.ts; gitroomhq/postiz-app linkedin.page.provider.ts.
 */
import * as client from 'openid-client';
import { PlatformError } from './adapter.ts';
import type { Grant, GrantedAccount, Inspection, PlatformAdapter, Refreshed, StoredAccount, TokenSet } from './adapter.ts';
import { LINKEDIN_PAGE_SCOPES, REQUIRED_SCOPES } from './catalog.ts';
import type { AccountKind } from '../../contract/platforms.ts';
import { asRecord, asString, platformFetch, retryAfterSeconds, splitScopes, unixTime } from './http.ts';
import {
  OAuthClient,
  canRenew,
  grantedScopesFrom,
  requireEndpoints,
  throwExpired,
  deadlinesOf,
  timeoutSecondsOf,
  tokenSetFrom,
  usableRefreshToken,
} from './oauth-client.ts';
import type { OAuthAdapterOptions } from './oauth-client.ts';
import { LINKEDIN_API_VERSION } from './versions.ts';

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
const MEMBER_SCOPES = REQUIRED_SCOPES.linkedin;
const PAGE_SCOPES = LINKEDIN_PAGE_SCOPES;
/** How organization accounts connected through the Community Management app are marked. */
export const PAGE_CONNECT_METHOD = 'community_management';
/** Roles whose holders may post for an organization. */
export const POSTING_ROLES: readonly string[] = ['ADMINISTRATOR', 'CONTENT_ADMINISTRATOR'];
/** organizationAcls page size (the finder's documented maximum is 100 per page). */
const ACL_PAGE_SIZE = 100;
/** A safety stop for a paging answer that never ends. */
const ACL_MAX_PAGES = 50;

function canPublish(kind: AccountKind, grantedScopes: readonly string[]): boolean {
  return grantedScopes.includes(kind === 'organization' ? 'w_organization_social' : 'w_member_social');
}

/**
 * LinkedIn's token answers omit token_type (RFC 6749 5.1 requires it; openid-client refuses
 * the answer without it): a successful JSON answer without one gets `Bearer`. Errors and
 * answers that have one pass through untouched.
 */
export const withTokenType: client.CustomFetch = async (url, options) => {
  const response = await fetch(url, options as RequestInit);
  if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return response;
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, { status: response.status, headers: response.headers });
  }
  const record = asRecord(body);
  if (typeof record['access_token'] === 'string' && record['token_type'] === undefined) {
    return new Response(JSON.stringify({ ...record, token_type: 'Bearer' }), { status: response.status, headers: { 'content-type': 'application/json' } });
  }
  return new Response(text, { status: response.status, headers: response.headers });
};

export function createLinkedInAdapter(options: OAuthAdapterOptions): PlatformAdapter {
  const endpoints = requireEndpoints(
    options.endpoints,
    ['authorize', 'token', 'introspect', 'revoke', 'api', 'userinfo', 'issuer', 'jwks'],
    LABEL,
  );
  const timeoutSeconds = timeoutSecondsOf(options);
  const apiVersion = options.apiVersion ?? LINKEDIN_API_VERSION;
  const server: client.ServerMetadata = {
    issuer: endpoints.issuer,
    authorization_endpoint: endpoints.authorize,
    token_endpoint: endpoints.token,
    introspection_endpoint: endpoints.introspect,
    revocation_endpoint: endpoints.revoke,
    userinfo_endpoint: endpoints.userinfo,
    jwks_uri: endpoints.jwks,
    id_token_signing_alg_values_supported: ['RS256'],
  };
  const oauthFor = (app: { clientId: string; clientSecret: string }) =>
    new OAuthClient({
      label: LABEL,
      server,
      clientId: app.clientId,
      clientAuth: client.ClientSecretPost(app.clientSecret),
      clock: options.clock,
      allowInsecure: options.allowInsecure,
      ...deadlinesOf(options),
      deniedErrors: ['user_cancelled_login', 'user_cancelled_authorize'],
      customFetch: withTokenType,
      // The id_token is checked against the issuer, audience, times and the JWKS signature.
      verifyIdTokenSignatures: true,
    });
  const memberApp = oauthFor(options);
  /** The Community Management app (LINKEDIN_PAGES_CLIENT_ID), or the first app when there is none. */
  const pagesApp = options.secondApp ? oauthFor(options.secondApp) : memberApp;
  /** Which app issued a stored account's tokens: Pages connected through the Page flow are the second app's. */
  const appOf = (account: StoredAccount) => (account.kind === 'organization' && account.connectMethod === PAGE_CONNECT_METHOD ? pagesApp : memberApp);

  async function apiGet(url: string | URL, accessToken: string, versioned: boolean): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = { Authorization: `Bearer ${accessToken}` };
    if (versioned) {
      headers['LinkedIn-Version'] = apiVersion;
      headers['X-Restli-Protocol-Version'] = '2.0.0';
    }
    const response = await platformFetch(LABEL, url, { headers, timeoutMs: timeoutSeconds * 1000 });
    const body = asRecord(response.body);
    if (response.status === 200) return body;
    if (response.status === 401) {
      throw new PlatformError('permanent', 'token_revoked', `${LABEL} has revoked this connection. Please reconnect the account.`, 401);
    }
    if (response.status === 426 || (response.status === 400 && /^VERSION_/.test(asString(body['code']) ?? ''))) {
      throw new PlatformError(
        'operator',
        'api_version_retired',
        `${LABEL} no longer serves API version ${apiVersion} (HTTP ${response.status}). The operator must set LINKEDIN_API_VERSION to a supported version; the accounts themselves are fine.`,
        response.status,
      );
    }
    if (response.status === 403) {
      throw new PlatformError('rejected', 'missing_permissions', `${LABEL} did not grant the permission this needs. Please reconnect the account.`, 403);
    }
    if (response.status === 429) {
      throw new PlatformError('transient', 'platform_rate_limited', `${LABEL} asked us to slow down; we will try again later.`, 429, retryAfterSeconds(response.headers));
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

  /**
   * The member's approved roles on organizations, every page of them: the ids of those they may
   * post for (ADMINISTRATOR, CONTENT_ADMINISTRATOR), and the member's own id from roleAssignee.
   */
  async function postableOrganizations(accessToken: string): Promise<{ ids: string[]; memberId: string | null }> {
    const ids: string[] = [];
    let memberId: string | null = null;
    for (let page = 0, start = 0; page < ACL_MAX_PAGES; page++) {
      const url = restUrl('organizationAcls');
      url.searchParams.set('q', 'roleAssignee');
      url.searchParams.set('state', 'APPROVED');
      url.searchParams.set('start', String(start));
      url.searchParams.set('count', String(ACL_PAGE_SIZE));
      const body = await apiGet(url, accessToken, true);
      const elements = Array.isArray(body['elements']) ? body['elements'].map(asRecord) : [];
      for (const element of elements) {
        memberId ??= /^urn:li:person:(.+)$/.exec(asString(element['roleAssignee']) ?? '')?.[1] ?? null;
        const state = asString(element['state']);
        if (!POSTING_ROLES.includes(asString(element['role']) ?? '') || (state !== null && state !== 'APPROVED')) continue;
        const id = /^urn:li:organization:(\d+)$/.exec(asString(element['organization']) ?? '')?.[1];
        if (id !== undefined) ids.push(id);
      }
      const paging = asRecord(body['paging']);
      const total = typeof paging['total'] === 'number' ? paging['total'] : null;
      const links = Array.isArray(paging['links']) ? paging['links'].map(asRecord) : [];
      start += elements.length;
      const more = total !== null ? start < total : links.some((l) => l['rel'] === 'next') || elements.length === ACL_PAGE_SIZE;
      if (elements.length === 0 || !more) break;
    }
    return { ids: [...new Set(ids)], memberId };
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
      connectMethod: PAGE_CONNECT_METHOD,
    };
  }

  return {
    platform: 'linkedin',

    async authorizationUrl({ redirectUri, state, kind }) {
      const pages = kind === 'organization';
      const app = pages ? pagesApp : memberApp;
      return app.authorizationUrl({ redirect_uri: redirectUri, response_type: 'code', scope: (pages ? PAGE_SCOPES : MEMBER_SCOPES).join(' '), state });
    },

    redirectError(params) {
      return memberApp.redirectError(params);
    },

    async exchangeCode({ callbackUrl, state, kind }): Promise<Grant> {
      const pages = kind === 'organization';
      const response = await (pages ? pagesApp : memberApp).exchangeCode(callbackUrl, { state });
      const tokens = tokenSetFrom(response, options.clock.now(), response['refresh_token_expires_in']);
      const grantedScopes = grantedScopesFrom(response, pages ? PAGE_SCOPES : MEMBER_SCOPES);
      if (pages) {
        // The Community Management app has no OpenID Connect: the member is the ACLs' roleAssignee.
        const { memberId } = await postableOrganizations(tokens.accessToken);
        return { platform: 'linkedin', kind: 'organization', tokens, grantedScopes, dataAccessExpiresAt: null, userId: memberId ?? `token:${tokens.accessToken.slice(-8)}` };
      }
      // openid-client has validated the id_token by now; without one, userinfo names the member.
      const userId = response.claims()?.sub ?? (await member(tokens.accessToken)).sub;
      return { platform: 'linkedin', kind: 'member', tokens, grantedScopes, dataAccessExpiresAt: null, userId };
    },

    async accounts(grant): Promise<GrantedAccount[]> {
      if (grant.kind === 'organization') {
        const { ids } = await postableOrganizations(grant.tokens.accessToken);
        return Promise.all(ids.map((id) => organizationAccount(id, grant)));
      }
      const person = await member(grant.tokens.accessToken);
      return [
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
    },

    async refresh(account: StoredAccount): Promise<Refreshed> {
      const now = options.clock.now();
      const refreshToken = usableRefreshToken(account.tokens, now, LABEL);
      const response = await appOf(account).refresh(refreshToken);
      const fresh = tokenSetFrom(response, options.clock.now(), response['refresh_token_expires_in']);
      return { tokens: keepRefreshExpiry(fresh, account.tokens), grantedScopes: grantedScopesFrom(response, account.grantedScopes) };
    },

    async inspect(account: StoredAccount): Promise<Inspection> {
      const now = options.clock.now();
      const answer = await appOf(account).introspect(account.tokens.accessToken);
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
      await appOf(account).revoke(account.tokens.accessToken);
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
