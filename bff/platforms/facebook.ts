/**
 * Facebook Pages through classic Facebook Login. One consent covers every Page the person
 * manages: each becomes an account holding its Page token, and (as `refreshToken`) the 60-day
 * user token it was read with, whose expiry is the one that counts.
 *
 * Page tokens from a long-lived user token have no expiry of their own (`expires_at` 0 in
 * debug_token): they die with the user token and with data access, so the account's expiry
 * is the user token's, never a Page token's. Business-owned Pages are not in /me/accounts for
 * every user: with business_management they come from /me/businesses -> owned_pages and
 * client_pages.
 *
 * Sources:
 * - Long-lived tokens, Page tokens that do not expire:
 *   https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived
 * - Page access tokens and /me/accounts: https://developers.facebook.com/docs/pages-api/getting-started
 * - debug_token (expires_at 0 = never, data_access_expires_at):
 *   https://developers.facebook.com/docs/graph-api/reference/debug_token
 * - Business-owned Pages: https://developers.facebook.com/docs/graph-api/reference/business/owned_pages
 *   and https://developers.facebook.com/docs/graph-api/reference/business/client_pages
 * - Error codes and rate limits: https://developers.facebook.com/docs/graph-api/guides/error-handling
 *   and https://developers.facebook.com/docs/graph-api/overview/rate-limiting
 * - Versions: https://developers.facebook.com/docs/graph-api/changelog/versions
 * - nextauthjs/next-auth providers/facebook.ts; gitroomhq/postiz-app facebook.provider.ts
 *   (/me/accounts with access_token, tasks); NangoHQ/nango providers.yaml (facebook).
 */
import type { AdapterOptions, GrantedAccount, PlatformAdapter, PlatformPost, StoredAccount } from './adapter.ts';
import { REQUIRED_SCOPES } from './catalog.ts';
import { asRecord, asString } from './http.ts';
import {
  BUSINESS_SCOPE,
  CREATE_CONTENT_TASK,
  DEFAULT_TIMEOUT_SECONDS,
  FacebookLogin,
  facebookLoginEndpoints,
  graphCount,
  graphData,
  graphTime,
  newestFirst,
  pageTokens,
} from './meta-graph.ts';
import type { ManagedPage, MetaTimeoutOption } from './meta-graph.ts';

/** The real platform, with the keys sandboxEndpoints().facebook uses. */
export const REAL_ENDPOINTS: Readonly<Record<string, string>> = Object.freeze({
  authorize: 'https://www.facebook.com/v23.0/dialog/oauth',
  token: 'https://graph.facebook.com/v23.0/oauth/access_token',
  // Facebook has no OAuth revoke endpoint: DELETE /me/permissions removes the app's grant.
  revoke: 'https://graph.facebook.com/v23.0/me/permissions',
  debugToken: 'https://graph.facebook.com/v23.0/debug_token',
  graph: 'https://graph.facebook.com/v23.0',
});

const LABEL = 'Facebook';
const PUBLISH_SCOPE = 'pages_manage_posts';
const RECENT_POSTS = 10;
const PAGE_PROFILE_FIELDS = 'id,name,username,link,picture{url}';
// Counts ride along as summaries so one request gives the posts and their numbers.
const POST_FIELDS = 'id,message,created_time,permalink_url,full_picture,likes.summary(true).limit(0),comments.summary(true).limit(0),shares';

/** A Page can be published to when the person's tasks on it include creating content and the app may post. */
function pageCanPublish(tasks: readonly string[], grantedScopes: readonly string[]): boolean {
  return tasks.includes(CREATE_CONTENT_TASK) && grantedScopes.includes(PUBLISH_SCOPE);
}

export function createFacebookAdapter(options: AdapterOptions & MetaTimeoutOption): PlatformAdapter {
  const login = new FacebookLogin(
    { ...options, timeoutSeconds: options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS },
    facebookLoginEndpoints(options.endpoints, LABEL),
    // business_management lists business-owned Pages; not required for an account's health.
    [...REQUIRED_SCOPES.facebook, BUSINESS_SCOPE],
    LABEL,
  );
  const samePage = (account: StoredAccount) => (pages: ManagedPage[]) => pages.find((p) => p.id === account.platformAccountId);

  return {
    platform: 'facebook',

    authorizationUrl: (input) => login.authorizationUrl(input),

    redirectError: (params) => login.redirectError(params),

    exchangeCode: (input) => login.exchangeCode('facebook', input),

    async accounts(grant) {
      const userToken = grant.tokens.accessToken;
      const pages = await login.managedPages(userToken, 'sign-in', [], grant.grantedScopes.includes(BUSINESS_SCOPE));
      return Promise.all(
        pages.map(async (page): Promise<GrantedAccount> => {
          const profile = await login.get(page.id, page.accessToken, { fields: PAGE_PROFILE_FIELDS }, 'sign-in');
          return {
            platformAccountId: page.id,
            kind: 'page',
            displayName: asString(profile['name']) ?? page.name,
            username: asString(profile['username']),
            avatarUrl: asString(asRecord(asRecord(profile['picture'])['data'])['url']),
            tokens: pageTokens(page.accessToken, userToken, grant.tokens.expiresAt),
            grantedScopes: grant.grantedScopes,
            dataAccessExpiresAt: grant.dataAccessExpiresAt,
            canPublish: pageCanPublish(page.tasks, grant.grantedScopes),
            connectMethod: 'facebook_login',
          };
        }),
      );
    },

    async refresh(account) {
      const { tokens } = await login.renewThroughPage(account, samePage(account));
      return { tokens };
    },

    async inspect(account) {
      const grant = await login.inspectGrant(account);
      // Tasks live on /me/accounts; without a user token only the scopes can be judged.
      const userToken = account.tokens.refreshToken;
      const page = userToken ? samePage(account)(await login.managedPages(userToken, 'read', [], account.grantedScopes.includes(BUSINESS_SCOPE))) : undefined;
      const tasks = userToken ? (page?.tasks ?? []) : [CREATE_CONTENT_TASK];
      return { ...grant, canPublish: pageCanPublish(tasks, grant.grantedScopes) };
    },

    // One debug_token per user grant, 50 to a batch; Page tasks are re-read only on renewal.
    verifyGrants: (accounts) => login.verifyUserGrants(accounts),

    async recentPosts(account) {
      const body = await login.get(`${account.platformAccountId}/published_posts`, account.tokens.accessToken, {
        fields: POST_FIELDS,
        limit: String(RECENT_POSTS),
      });
      const posts = graphData(body).flatMap((item): PlatformPost[] => {
        const post = asRecord(item);
        const id = asString(post['id']);
        if (!id) return [];
        const metrics: Record<string, number> = {};
        for (const name of ['likes', 'comments', 'shares'] as const) {
          const count = graphCount(post[name]);
          if (count !== null) metrics[name] = count;
        }
        return [
          {
            platformPostId: id,
            message: asString(post['message']),
            permalinkUrl: asString(post['permalink_url']),
            mediaUrl: asString(post['full_picture']),
            publishedAt: graphTime(post['created_time']),
            metrics,
          },
        ];
      });
      return newestFirst(posts);
    },

    // Removes the app's whole grant for the person, so every Page from that consent stops working.
    revoke: (account) => login.revoke(account),
  };
}
