import type { SandboxPlatform } from './seed.ts';

/*
 * Where each sandbox platform answers: the one part of the sandbox production code needs (to
 * point adapters at it), kept apart from its routers so nothing else of the sandbox is loaded
 * unless sandbox mode is on.
 */

/** Absolute URLs of each platform's endpoints under a sandbox mounted at `baseUrl` (no trailing slash). */
export function sandboxEndpoints(baseUrl: string): Record<SandboxPlatform, Record<string, string>> {
  const base = baseUrl.replace(/\/+$/, '');
  const facebookGraph = `${base}/facebook/graph/v23.0`;
  const linkedinOauth = `${base}/linkedin/www/oauth`;
  return {
    facebook: {
      authorize: `${base}/facebook/www/v23.0/dialog/oauth`,
      token: `${facebookGraph}/oauth/access_token`,
      // Facebook has no revoke endpoint: DELETE /me/permissions removes the grant.
      revoke: `${facebookGraph}/me/permissions`,
      debugToken: `${facebookGraph}/debug_token`,
      graph: facebookGraph,
    },
    instagram: {
      authorize: `${base}/instagram/www/oauth/authorize`,
      token: `${base}/instagram/api/oauth/access_token`,
      exchange: `${base}/instagram/graph/access_token`,
      refresh: `${base}/instagram/graph/refresh_access_token`,
      graph: `${base}/instagram/graph/v23.0`,
      basicDisplayAuthorize: `${base}/instagram/basic-display/oauth/authorize`,
      basicDisplayToken: `${base}/instagram/basic-display/oauth/access_token`,
      basicDisplayGraph: `${base}/instagram/basic-display`,
    },
    tiktok: {
      authorize: `${base}/tiktok/www/v2/auth/authorize/`,
      token: `${base}/tiktok/open/v2/oauth/token/`,
      revoke: `${base}/tiktok/open/v2/oauth/revoke/`,
      api: `${base}/tiktok/open/v2`,
    },
    x: {
      authorize: `${base}/x/www/i/oauth2/authorize`,
      token: `${base}/x/api/2/oauth2/token`,
      revoke: `${base}/x/api/2/oauth2/revoke`,
      api: `${base}/x/api/2`,
    },
    linkedin: {
      authorize: `${linkedinOauth}/v2/authorization`,
      token: `${linkedinOauth}/v2/accessToken`,
      introspect: `${linkedinOauth}/v2/introspectToken`,
      revoke: `${linkedinOauth}/v2/revoke`,
      api: `${base}/linkedin/api`,
      userinfo: `${base}/linkedin/api/v2/userinfo`,
      issuer: linkedinOauth,
      jwks: `${linkedinOauth}/openid/jwks`,
    },
  };
}
