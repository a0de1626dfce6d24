/**
 * Sandbox platforms: loopback fakes of Facebook, Instagram, TikTok, X and LinkedIn that play
 * the platforms' side of OAuth and serve the few API reads the product needs, faithfully
 * enough (parameter names, client authentication, PKCE, scope separators, response and error
 * shapes) that the product's adapters talk to them exactly as to the real platforms.
 * Adapters must never import this module: they only know the URLs of sandboxEndpoints().
 *
 * Each real host is emulated under /sandbox/<platform>/<host segment>, keeping the real path:
 *
 * Facebook
 *   /sandbox/facebook/www/v23.0/dialog/oauth            = https://www.facebook.com/v23.0/dialog/oauth
 *   /sandbox/facebook/graph/v23.0/...                   = https://graph.facebook.com/v23.0/...
 *     oauth/access_token (GET or POST: code, fb_exchange_token, client_credentials),
 *     debug_token, me, me/permissions (GET, DELETE), me/accounts, {page-id},
 *     {page-id}/published_posts, {ig-user-id}, {ig-user-id}/media
 * Instagram (Instagram Login)
 *   /sandbox/instagram/www/oauth/authorize              = https://www.instagram.com/oauth/authorize
 *   /sandbox/instagram/api/oauth/access_token           = https://api.instagram.com/oauth/access_token
 *   /sandbox/instagram/graph/access_token               = https://graph.instagram.com/access_token (ig_exchange_token)
 *   /sandbox/instagram/graph/refresh_access_token       = https://graph.instagram.com/refresh_access_token (ig_refresh_token)
 *   /sandbox/instagram/graph/v23.0/...                  = https://graph.instagram.com/v23.0/...
 *     me, {ig-user-id}, {ig-user-id}/media (GET; POST creates a media container)
 * Instagram Basic Display (retired in December 2024; kept to create legacy accounts)
 *   /sandbox/instagram/basic-display/oauth/authorize    = https://api.instagram.com/oauth/authorize
 *   /sandbox/instagram/basic-display/oauth/access_token = https://api.instagram.com/oauth/access_token
 *   /sandbox/instagram/basic-display/me                 = https://graph.instagram.com/me (and the rest of that Graph)
 * TikTok
 *   /sandbox/tiktok/www/v2/auth/authorize/              = https://www.tiktok.com/v2/auth/authorize/
 *   /sandbox/tiktok/open/v2/oauth/token/                = https://open.tiktokapis.com/v2/oauth/token/
 *   /sandbox/tiktok/open/v2/oauth/revoke/               = https://open.tiktokapis.com/v2/oauth/revoke/
 *   /sandbox/tiktok/open/v2/user/info/                  = https://open.tiktokapis.com/v2/user/info/
 * X
 *   /sandbox/x/www/i/oauth2/authorize                   = https://x.com/i/oauth2/authorize
 *   /sandbox/x/api/2/oauth2/token                       = https://api.x.com/2/oauth2/token
 *   /sandbox/x/api/2/oauth2/revoke                      = https://api.x.com/2/oauth2/revoke
 *   /sandbox/x/api/2/users/me                           = https://api.x.com/2/users/me
 * LinkedIn
 *   /sandbox/linkedin/www/oauth/v2/authorization        = https://www.linkedin.com/oauth/v2/authorization
 *   /sandbox/linkedin/www/oauth/v2/accessToken          = https://www.linkedin.com/oauth/v2/accessToken
 *   /sandbox/linkedin/www/oauth/v2/introspectToken      = https://www.linkedin.com/oauth/v2/introspectToken
 *   /sandbox/linkedin/www/oauth/v2/revoke               = https://www.linkedin.com/oauth/v2/revoke
 *   /sandbox/linkedin/www/oauth/.well-known/openid-configuration, /openid/jwks
 *                                                       = https://www.linkedin.com/oauth/.well-known/openid-configuration, ...
 *   /sandbox/linkedin/api/v2/userinfo                   = https://api.linkedin.com/v2/userinfo
 *   /sandbox/linkedin/api/rest/organizationAcls         = https://api.linkedin.com/rest/organizationAcls
 *   /sandbox/linkedin/api/rest/organizations/{id}       = https://api.linkedin.com/rest/organizations/{id}
 * The sandbox's own
 *   /sandbox/control/...                                the control API (clock, revoke, faults, stats, accounts)
 *   /sandbox/avatars/{id}.svg, /sandbox/media/{id}.svg  pictures; /sandbox/posts/{id}, /sandbox/profiles/{id} pages
 */
import express from 'express';
import type { ErrorRequestHandler } from 'express';
import type { OffsetClock } from '../clock.ts';
import { assetsRouter } from './assets.ts';
import { ControlState, controlRouter } from './control.ts';
import { controlError } from './errors.ts';
import { facebookRouter } from './facebook.ts';
import { instagramRouter } from './instagram.ts';
import { linkedinRouter } from './linkedin.ts';
import type { PlatformContext } from './oauth.ts';
import { SANDBOX_CLIENTS } from './seed.ts';
import type { SandboxPlatform } from './seed.ts';
import { SandboxStore } from './state.ts';
import { tiktokRouter } from './tiktok.ts';
import { xRouter } from './x.ts';

export type { SandboxPlatform } from './seed.ts';

export interface SandboxOptions {
  /** The sandbox's notion of now; shared with the BFF. */
  clock: OffsetClock;
  /** When set, grants, tokens, codes and revocations are kept in this JSON file across restarts. */
  stateFile?: string;
  /** Where `revoke` with `by: "user"` sends the platform's push signal (the BFF's base URL); default: the origin the sandbox is mounted on. */
  pushBaseUrl?: string;
}

export interface Sandbox {
  /** Mount at '/sandbox' on any Express app. */
  router: express.Router;
  /** The app credentials the sandbox accepts. */
  clients: Record<SandboxPlatform, { clientId: string; clientSecret: string }>;
  /** Every access token, refresh token and code issued so far (in this process; never served over HTTP). */
  issuedSecrets(): string[];
  /** Ends any request held open by a timeout fault. */
  close(): void;
}

export function createSandbox(options: SandboxOptions): Sandbox {
  const store = new SandboxStore(options.clock, options.stateFile);
  const control = new ControlState();
  control.pushBaseUrl = options.pushBaseUrl;
  const context: PlatformContext = { store, control };

  const router = express.Router();
  // The sandbox parses its own bodies, whatever the host app does.
  router.use(express.urlencoded({ extended: false }), express.json());
  router.use((req, res, next) => {
    // Absolute URLs it hands out (pictures, issuer) point back at wherever it is mounted.
    res.locals['sandboxBase'] = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;
    next();
  });

  router.use('/control', controlRouter(store, control));
  // stats: every request a platform answers, counted before it is routed.
  for (const platform of ['facebook', 'instagram', 'tiktok', 'x', 'linkedin'] as const) {
    router.use(`/${platform}`, (req, _res, next) => {
      control.countRequest(platform, req.method, req.path);
      next();
    });
  }
  router.use('/facebook', facebookRouter(context));
  router.use('/instagram', instagramRouter(context));
  router.use('/tiktok', tiktokRouter(context));
  router.use('/x', xRouter(context));
  router.use('/linkedin', linkedinRouter(context));
  router.use(assetsRouter());

  router.use((_req, res) => {
    res.status(404).json(controlError('not_found', 'No such sandbox endpoint.'));
  });
  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    if (status >= 400 && status < 500) {
      res.status(status).json(controlError('invalid_request', 'The request body could not be parsed.'));
    } else {
      res.status(500).json(controlError('internal_error', 'The sandbox failed to handle this request.'));
    }
  };
  router.use(onError);

  return {
    router,
    clients: structuredClone(SANDBOX_CLIENTS) as Record<SandboxPlatform, { clientId: string; clientSecret: string }>,
    issuedSecrets: () => store.issuedSecrets(),
    close: () => control.close(),
  };
}

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
