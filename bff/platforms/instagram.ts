/**
 * Instagram professional accounts. The product connects them through Instagram Login
 * (www.instagram.com/oauth/authorize, graph.instagram.com): one account per consent, a 60-day
 * token renewed with ig_refresh_token, no refresh token. Two other ways an account may have
 * been stored are still understood:
 * - `instagram_basic_display`: the Basic Display API, retired in December 2024. Its accounts
 *   could never publish and cannot be renewed; reconnecting through Instagram Login fixes them.
 * - `facebook_login`: professional accounts reached through the Facebook Pages they are linked
 *   to (`loginVia: 'facebook'`), held like a Facebook Page (Page token + 60-day user token).
 *
 * Deviations handled (PLATFORMS.md): the code exchange answers without token_type (repaired
 * before openid-client parses it); a long-lived token can be refreshed only when at least 24 h
 * old and unexpired; Meta's rate-limit codes (4, 17, 32, 368, 613, 80001-80014, HTTP 429) are
 * transient with the wait from X-App-Usage / X-Business-Use-Case-Usage (meta-graph.ts).
 *
 * Sources:
 * - Instagram API with Instagram Login, business login:
 *   https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login
 * - Long-lived tokens and ig_refresh_token:
 *   https://developers.facebook.com/docs/instagram-platform/reference/refresh_access_token
 * - Basic Display end of life: https://developers.facebook.com/blog/post/2024/09/04/update-on-instagram-basic-display-api
 * - Get Started (GET /me answers `{ data: [{ user_id, username, id }] }`):
 *   https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/get-started
 * - Rate limiting: https://developers.facebook.com/docs/graph-api/overview/rate-limiting
 * - gitroomhq/postiz-app instagram.standalone.provider.ts; NangoHQ/nango providers.yaml (instagram).
 */
import * as client from 'openid-client';
import { PlatformError } from './adapter.ts';
import type { AdapterOptions, Grant, GrantedAccount, PlatformAdapter, PlatformPost, RedirectError, StoredAccount } from './adapter.ts';
import { INSTAGRAM_VIA_FACEBOOK_SCOPES, REQUIRED_SCOPES } from './catalog.ts';
import { asRecord, asString, expiresIn, splitScopes } from './http.ts';
import {
  CREATE_CONTENT_TASK,
  DEFAULT_TIMEOUT_SECONDS,
  FacebookLogin,
  endpoint,
  facebookLoginEndpoints,
  graphCall,
  graphCount,
  graphData,
  graphTime,
  metaRedirectError,
  newestFirst,
  oauthConfiguration,
  oauthFailure,
  pageTokens,
} from './meta-graph.ts';
import type { ManagedPage, MetaAction, MetaTimeoutOption } from './meta-graph.ts';

/** The real platform, with the keys sandboxEndpoints().instagram uses. */
export const REAL_ENDPOINTS: Readonly<Record<string, string>> = Object.freeze({
  authorize: 'https://www.instagram.com/oauth/authorize',
  token: 'https://api.instagram.com/oauth/access_token',
  exchange: 'https://graph.instagram.com/access_token',
  refresh: 'https://graph.instagram.com/refresh_access_token',
  graph: 'https://graph.instagram.com/v23.0',
  // The retired Basic Display API: only its Graph is still read, for legacy accounts.
  basicDisplayAuthorize: 'https://api.instagram.com/oauth/authorize',
  basicDisplayToken: 'https://api.instagram.com/oauth/access_token',
  basicDisplayGraph: 'https://graph.instagram.com',
});

/**
 * Instagram endpoints plus Facebook's under `facebook`-prefixed keys (`facebookAuthorize`,
 * `facebookToken`, `facebookGraph`, `facebookDebugToken`, `facebookRevoke`): what
 * `loginVia: 'facebook'` needs, and what lets an Instagram-Login adapter still renew accounts
 * stored from a Facebook Login connection.
 */
export function withFacebookEndpoints(instagram: Record<string, string>, facebook: Record<string, string>): Record<string, string> {
  const prefixed = Object.entries(facebook).map(([key, url]) => [`facebook${key[0]?.toUpperCase() ?? ''}${key.slice(1)}`, url]);
  return { ...instagram, ...Object.fromEntries(prefixed) };
}

export type InstagramLoginVia = 'instagram' | 'facebook';

export interface InstagramAdapterOptions extends AdapterOptions, MetaTimeoutOption {
  /**
   * How new accounts connect: 'instagram' (default, what the product uses) is Instagram Login
   * with this app's Instagram credentials. 'facebook' uses Facebook Login on the Facebook
   * endpoints given in `endpoints` under `facebook`-prefixed keys (see withFacebookEndpoints),
   * and then clientId/clientSecret are the Facebook app's.
   */
  loginVia?: InstagramLoginVia;
}

const LABEL = 'Instagram';
const PUBLISH_SCOPE = 'instagram_business_content_publish';
const VIA_FACEBOOK_PUBLISH_SCOPE = 'instagram_content_publish';
/** Instagram Login only serves professional accounts; these can publish. */
const PUBLISHING_ACCOUNT_TYPES = new Set(['BUSINESS', 'MEDIA_CREATOR']);
const RECENT_POSTS = 10;
const PROFILE_FIELDS = 'user_id,username,name,profile_picture_url,account_type';
const LINKED_PROFILE_FIELDS = 'id,username,name,profile_picture_url';
const MEDIA_FIELDS = 'id,caption,media_type,media_url,thumbnail_url,permalink,timestamp';
const MEDIA_METRIC_FIELDS = `${MEDIA_FIELDS},like_count,comments_count`;

export const CONNECT_METHODS = {
  instagramLogin: 'instagram_login',
  basicDisplay: 'instagram_basic_display',
  facebookLogin: 'facebook_login',
} as const;

/**
 * Instagram Login's code exchange answers `{"data":[{"access_token","user_id","permissions"}]}`
 * (older apps got the same fields unwrapped) with no token_type, which openid-client rightly
 * refuses: this repairs a successful answer into a standard token response, keeping the
 * permissions as its scope. user_id is quoted before parsing: it does not fit a JS number.
 */
const repairTokenResponse: client.CustomFetch = async (url, options) => {
  const response = await fetch(url, options as RequestInit);
  if (!response.ok) return response;
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = asRecord(JSON.parse(text.replace(/("user_id"\s*:\s*)(\d+)/g, '$1"$2"')));
  } catch {
    return new Response(text, { status: response.status, headers: response.headers });
  }
  const entry = Array.isArray(body['data']) ? asRecord(body['data'][0]) : body;
  const permissions = entry['permissions'];
  const scope = Array.isArray(permissions) ? permissions.filter((p) => typeof p === 'string').join(',') : asString(permissions);
  const repaired = {
    access_token: entry['access_token'],
    token_type: asString(entry['token_type']) ?? 'bearer',
    ...(asString(entry['user_id']) ? { user_id: asString(entry['user_id']) } : {}),
    ...(scope ? { scope } : {}),
    ...(entry['expires_in'] !== undefined ? { expires_in: entry['expires_in'] } : {}),
  };
  return new Response(JSON.stringify(repaired), { status: 200, headers: { 'content-type': 'application/json' } });
};

/** Instagram Login appends `#_` to the redirect; if it ended up inside the code value, drop it. */
function withoutCodeSuffix(callbackUrl: URL): URL {
  const url = new URL(callbackUrl);
  url.hash = '';
  const code = url.searchParams.get('code');
  if (code?.endsWith('#_')) url.searchParams.set('code', code.slice(0, -2));
  return url;
}

function mediaPosts(body: Record<string, unknown>): PlatformPost[] {
  const posts = graphData(body).flatMap((item): PlatformPost[] => {
    const media = asRecord(item);
    const id = asString(media['id']);
    if (!id) return [];
    const metrics: Record<string, number> = {};
    const likes = graphCount(media['like_count']);
    const comments = graphCount(media['comments_count']);
    if (likes !== null) metrics['likes'] = likes;
    if (comments !== null) metrics['comments'] = comments;
    return [
      {
        platformPostId: id,
        message: asString(media['caption']),
        permalinkUrl: asString(media['permalink']),
        // A video's media_url is the video itself; its thumbnail is what a list shows.
        mediaUrl: asString(media['thumbnail_url']) ?? asString(media['media_url']),
        publishedAt: graphTime(media['timestamp']),
        metrics,
      },
    ];
  });
  return newestFirst(posts);
}

export function createInstagramAdapter(options: InstagramAdapterOptions): PlatformAdapter {
  const loginVia = options.loginVia ?? 'instagram';
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const timeoutMs = timeoutSeconds * 1000;
  const { endpoints, clock } = options;
  const urls = {
    authorize: endpoint(endpoints, 'authorize', LABEL),
    token: endpoint(endpoints, 'token', LABEL),
    exchange: endpoint(endpoints, 'exchange', LABEL),
    refresh: endpoint(endpoints, 'refresh', LABEL),
    graph: endpoint(endpoints, 'graph', LABEL),
    basicDisplayGraph: endpoints['basicDisplayGraph']?.replace(/\/+$/, '') ?? null,
  };

  const config = oauthConfiguration({ ...options, timeoutSeconds }, urls);
  config[client.customFetch] = repairTokenResponse;

  // Facebook Login is needed for loginVia 'facebook', and to keep serving accounts stored from it.
  const hasFacebook = loginVia === 'facebook' || 'facebookToken' in endpoints;
  const facebook = hasFacebook
    ? new FacebookLogin(
        { ...options, timeoutSeconds },
        facebookLoginEndpoints(endpoints, `${LABEL} (through Facebook)`, 'facebook'),
        INSTAGRAM_VIA_FACEBOOK_SCOPES,
        'Facebook',
      )
    : null;

  function viaFacebook(): FacebookLogin {
    if (facebook) return facebook;
    throw new PlatformError(
      'rejected',
      'platform_not_configured',
      'This Instagram account was connected through Facebook, which is not set up here. Reconnect it with Instagram Login.',
    );
  }

  const instagramGraph = (path: string, token: string, query: Record<string, string>, action: MetaAction = 'read') =>
    graphCall(LABEL, `${urls.graph}/${path}`, { token, query, action, timeoutMs });

  /** ig_exchange_token and ig_refresh_token are GETs on the Graph host, not OAuth grant requests. */
  async function longLivedToken(url: string, query: Record<string, string>, action: MetaAction) {
    const body = await graphCall(LABEL, url, { query, action, timeoutMs });
    const accessToken = asString(body['access_token']);
    if (!accessToken) throw new PlatformError('rejected', 'platform_rejected', `${LABEL} answered without an access token.`);
    return { accessToken, expiresAt: expiresIn(clock.now(), body['expires_in']) };
  }

  const linkedPage = (account: StoredAccount) => (pages: ManagedPage[]) =>
    pages.find((p) => p.instagramAccountId === account.platformAccountId);

  // --- Instagram Login --------------------------------------------------------------------

  async function exchangeInstagramCode(input: { callbackUrl: URL; state: string }): Promise<Grant> {
    let shortLived: { token: string; userId: string | null; scopes: string[] };
    try {
      const tokens = await client.authorizationCodeGrant(config, withoutCodeSuffix(input.callbackUrl), { expectedState: input.state });
      shortLived = { token: tokens.access_token, userId: asString(tokens['user_id']), scopes: splitScopes(tokens.scope, /,/) };
    } catch (err) {
      throw await oauthFailure(err, LABEL, 'sign-in');
    }
    // The code gives an hour; exchange it at once for the 60-day token.
    const longLived = await longLivedToken(
      urls.exchange,
      { grant_type: 'ig_exchange_token', client_secret: options.clientSecret, access_token: shortLived.token },
      'sign-in',
    );
    return {
      platform: 'instagram',
      tokens: { accessToken: longLived.accessToken, refreshToken: null, expiresAt: longLived.expiresAt, refreshTokenExpiresAt: null },
      grantedScopes: shortLived.scopes,
      dataAccessExpiresAt: null,
      userId: shortLived.userId ?? '',
    };
  }

  /**
   * GET /me on graph.instagram.com. The documented answer wraps the profile in `data: [...]`
   * (Get Started page, test/fixtures/platforms/instagram/me.json); a flat object (as the sandbox and
   * many clients read it) is accepted too.
   */
  async function me(token: string, fields: string, action: MetaAction = 'read'): Promise<Record<string, unknown>> {
    const body = await instagramGraph('me', token, { fields }, action);
    return Array.isArray(body['data']) ? asRecord(body['data'][0]) : body;
  }

  async function instagramLoginAccount(grant: Grant): Promise<GrantedAccount> {
    const profile = await me(grant.tokens.accessToken, PROFILE_FIELDS, 'sign-in');
    // user_id is the professional account's id; id is app-scoped.
    const id = asString(profile['user_id']) ?? asString(profile['id']) ?? grant.userId;
    const username = asString(profile['username']);
    return {
      platformAccountId: id,
      kind: 'professional',
      displayName: asString(profile['name']) ?? username ?? id,
      username,
      avatarUrl: asString(profile['profile_picture_url']),
      tokens: grant.tokens,
      grantedScopes: grant.grantedScopes,
      dataAccessExpiresAt: null,
      canPublish: PUBLISHING_ACCOUNT_TYPES.has(asString(profile['account_type']) ?? '') && grant.grantedScopes.includes(PUBLISH_SCOPE),
      connectMethod: CONNECT_METHODS.instagramLogin,
    };
  }

  // --- Facebook Login (accounts linked to Pages) -----------------------------------------

  async function facebookLinkedAccounts(grant: Grant): Promise<GrantedAccount[]> {
    const login = viaFacebook();
    const pages = await login.managedPages(grant.tokens.accessToken, 'sign-in', ['instagram_business_account']);
    const linked = pages.filter((page): page is ManagedPage & { instagramAccountId: string } => page.instagramAccountId !== null);
    return Promise.all(
      linked.map(async (page): Promise<GrantedAccount> => {
        const profile = await login.get(page.instagramAccountId, page.accessToken, { fields: LINKED_PROFILE_FIELDS }, 'sign-in');
        const username = asString(profile['username']);
        return {
          platformAccountId: page.instagramAccountId,
          kind: 'professional',
          displayName: asString(profile['name']) ?? username ?? page.name,
          username,
          avatarUrl: asString(profile['profile_picture_url']),
          tokens: pageTokens(page.accessToken, grant.tokens.accessToken, grant.tokens.expiresAt),
          grantedScopes: grant.grantedScopes,
          dataAccessExpiresAt: grant.dataAccessExpiresAt,
          canPublish: page.tasks.includes(CREATE_CONTENT_TASK) && grant.grantedScopes.includes(VIA_FACEBOOK_PUBLISH_SCOPE),
          connectMethod: CONNECT_METHODS.facebookLogin,
        };
      }),
    );
  }

  const retired = (): PlatformError =>
    new PlatformError(
      'permanent',
      'connect_method_retired',
      'Instagram retired the Basic Display connection this account was made with. Reconnect it with Instagram Login.',
    );

  function basicDisplayGraph(): string {
    if (urls.basicDisplayGraph) return urls.basicDisplayGraph;
    throw retired();
  }

  return {
    platform: 'instagram',

    async authorizationUrl(input) {
      if (loginVia === 'facebook') return viaFacebook().authorizationUrl(input);
      // Instagram Login takes no PKCE: the code is bound by the client secret alone.
      return client.buildAuthorizationUrl(config, {
        redirect_uri: input.redirectUri,
        scope: REQUIRED_SCOPES.instagram.join(','),
        state: input.state,
        response_type: 'code',
      });
    },

    redirectError(params): RedirectError | null {
      return loginVia === 'facebook' ? viaFacebook().redirectError(params) : metaRedirectError(LABEL, params);
    },

    exchangeCode(input) {
      return loginVia === 'facebook' ? viaFacebook().exchangeCode('instagram', input) : exchangeInstagramCode(input);
    },

    async accounts(grant) {
      return loginVia === 'facebook' ? facebookLinkedAccounts(grant) : [await instagramLoginAccount(grant)];
    },

    async refresh(account) {
      switch (account.connectMethod) {
        case CONNECT_METHODS.basicDisplay:
          throw retired();
        case CONNECT_METHODS.facebookLogin: {
          const { tokens } = await viaFacebook().renewThroughPage(account, linkedPage(account), ['instagram_business_account']);
          return { tokens };
        }
        default: {
          // Refused (code 100, not 190) while the token is under 24 hours old: "rejected", not dead.
          const renewed = await longLivedToken(
            urls.refresh,
            { grant_type: 'ig_refresh_token', access_token: account.tokens.accessToken },
            'renewal',
          );
          return { tokens: { accessToken: renewed.accessToken, refreshToken: null, expiresAt: renewed.expiresAt, refreshTokenExpiresAt: null } };
        }
      }
    },

    async inspect(account) {
      switch (account.connectMethod) {
        case CONNECT_METHODS.basicDisplay:
          // Still answers for the token, but nothing connected this way can publish.
          await graphCall(LABEL, `${basicDisplayGraph()}/me`, { token: account.tokens.accessToken, query: { fields: 'id,username' }, timeoutMs });
          return { canPublish: false };
        case CONNECT_METHODS.facebookLogin: {
          const login = viaFacebook();
          const grant = await login.inspectGrant(account);
          const userToken = account.tokens.refreshToken;
          const page = userToken ? linkedPage(account)(await login.managedPages(userToken, 'read', ['instagram_business_account'])) : undefined;
          const tasks = userToken ? (page?.tasks ?? []) : [CREATE_CONTENT_TASK];
          return { ...grant, canPublish: tasks.includes(CREATE_CONTENT_TASK) && grant.grantedScopes.includes(VIA_FACEBOOK_PUBLISH_SCOPE) };
        }
        default: {
          const profile = await me(account.tokens.accessToken, 'user_id,username,account_type');
          return {
            canPublish:
              PUBLISHING_ACCOUNT_TYPES.has(asString(profile['account_type']) ?? '') && account.grantedScopes.includes(PUBLISH_SCOPE),
          };
        }
      }
    },

    async verifyGrants(accounts) {
      // Through Facebook Login: the user grants, batched; Instagram Login has no debug_token, so one read each.
      const viaGrant = accounts.filter((a) => a.connectMethod === CONNECT_METHODS.facebookLogin);
      const grants = viaGrant.length > 0 ? await viaFacebook().verifyUserGrants(viaGrant) : [];
      const answers = new Map(viaGrant.map((a, i) => [a, grants[i]!]));
      return Promise.all(
        accounts.map(async (a) => {
          const known = answers.get(a);
          if (known) return known;
          try {
            return await this.inspect(a);
          } catch (err) {
            if (err instanceof PlatformError) return err;
            throw err;
          }
        }),
      );
    },

    async recentPosts(account) {
      const query = { fields: MEDIA_METRIC_FIELDS, limit: String(RECENT_POSTS) };
      switch (account.connectMethod) {
        case CONNECT_METHODS.basicDisplay:
          // Basic Display never exposed like or comment counts.
          return mediaPosts(
            await graphCall(LABEL, `${basicDisplayGraph()}/me/media`, {
              token: account.tokens.accessToken,
              query: { fields: MEDIA_FIELDS, limit: String(RECENT_POSTS) },
              timeoutMs,
            }),
          );
        case CONNECT_METHODS.facebookLogin:
          return mediaPosts(await viaFacebook().get(`${account.platformAccountId}/media`, account.tokens.accessToken, query));
        default:
          return mediaPosts(await instagramGraph(`${account.platformAccountId}/media`, account.tokens.accessToken, query));
      }
    },

    async revoke(account) {
      // Instagram Login and Basic Display have no revoke endpoint; a Facebook grant can be removed.
      if (account.connectMethod === CONNECT_METHODS.facebookLogin) await viaFacebook().revoke(account);
    },
  };
}
