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
import { controlError, metaError, tiktokApiError } from './errors.ts';
import { facebookRouter } from './facebook.ts';
import { instagramRouter } from './instagram.ts';
import { linkedinRouter } from './linkedin.ts';
import { sameSecret, type PlatformContext, type RedirectPolicy } from './oauth.ts';
import { SANDBOX_CLIENTS, SANDBOX_PLATFORMS } from './seed.ts';
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
  /**
   * The redirect URIs registered with the sandbox's apps: the BFF's own callback URLs (exact
   * strings), or a rule. Unset: only URLs on the sandbox's own origin. Anything else gets an
   * error page, never a redirect (no open redirect).
   */
  redirectUris?: readonly string[] | RedirectPolicy;
  /** At most this many authorization codes are kept (default 5,000); the oldest go first. */
  maxCodes?: number;
  /** Changes within this window are written to the state file together (default 50 ms). */
  writeDelayMs?: number;
  /** When set, /control/* needs "Authorization: Bearer <controlKey>" (the host key beside real platforms). */
  controlKey?: string;
  /** Where `revoke` with `by: "user"` sends the platform's push signal (the BFF's base URL); default: the origin the sandbox is mounted on. */
  pushBaseUrl?: string;
}

/** The BFF's own callback URL of every platform, under its PUBLIC_URL: what the sandbox may redirect to. */
export function bffCallbackUrls(publicUrl: string): string[] {
  const base = publicUrl.replace(/\/+$/, '');
  return (['facebook', 'instagram', 'tiktok', 'x', 'linkedin'] as const).map((platform) => `${base}/oauth/callback/${platform}`);
}

function redirectPolicy(option: SandboxOptions['redirectUris']): RedirectPolicy {
  if (typeof option === 'function') return option;
  if (option) {
    const registered = new Set(option);
    return (uri) => registered.has(uri);
  }
  return (uri, base) => {
    try {
      return new URL(uri).origin === new URL(base).origin;
    } catch {
      return false;
    }
  };
}

function requireControlKey(key: string | undefined): express.RequestHandler {
  return (req, res, next) => {
    if (key === undefined) return next();
    const given = /^Bearer +(\S+) *$/i.exec(req.get('authorization') ?? '')?.[1];
    if (sameSecret(given, key)) return next();
    res.status(401).json(controlError('unauthorized', 'The sandbox control API needs "Authorization: Bearer <host API key>" when real platforms run beside the sandbox.'));
  };
}

export interface Sandbox {
  /** Mount at '/sandbox' on any Express app. */
  router: express.Router;
  /** The app credentials the sandbox accepts. */
  clients: Record<SandboxPlatform, { clientId: string; clientSecret: string }>;
  /** Every access token, refresh token and code issued so far (in this process; never served over HTTP). */
  issuedSecrets(): string[];
  /** Writes pending state to the state file now (writes are asynchronous and coalesced). */
  flush(): Promise<void>;
  /** What the store holds and how often it wrote its file (tests prove the bound and the coalescing). */
  stateStats(): { codes: number; tokens: number; writes: number };
  /** Ends any request held open by a timeout fault, and writes pending state once. */
  close(): void;
}

export function createSandbox(options: SandboxOptions): Sandbox {
  const store = new SandboxStore(options.clock, options.stateFile, {
    ...(options.maxCodes !== undefined ? { maxCodes: options.maxCodes } : {}),
    ...(options.writeDelayMs !== undefined ? { writeDelayMs: options.writeDelayMs } : {}),
  });
  const control = new ControlState();
  control.pushBaseUrl = options.pushBaseUrl;
  const context: PlatformContext = { store, control, redirects: redirectPolicy(options.redirectUris) };

  const router = express.Router();
  // The sandbox parses its own bodies, whatever the host app does.
  router.use(express.urlencoded({ extended: false }), express.json());
  router.use((req, res, next) => {
    // Absolute URLs it hands out (pictures, issuer) point back at wherever it is mounted.
    res.locals['sandboxBase'] = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;
    next();
  });

  router.use('/control', requireControlKey(options.controlKey), controlRouter(store, control));
  // stats: every request a platform answers, counted before it is routed (and before a fault answers it).
  for (const platform of SANDBOX_PLATFORMS) {
    router.use(`/${platform}`, (req, _res, next) => {
      control.countRequest(platform, req.method, req.path);
      next();
    });
    router.use(`/${platform}`, control.apiCall(platform, apiFault(platform, store)));
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
    flush: () => store.flush(),
    stateStats: () => ({ codes: store.codeCount, tokens: store.tokenCount, writes: store.writes }),
    close: () => {
      control.close();
      store.close();
    },
  };
}

/**
 * How each platform answers the API faults, as its documentation shows: Meta's rate-limit
 * codes with usage headers, TikTok's and LinkedIn's 429, X's 429 with x-rate-limit-reset and
 * 402 credits-depleted, LinkedIn's 426 for a retired version, Meta's version error.
 */
function apiFault(platform: SandboxPlatform, store: SandboxStore) {
  return (res: express.Response, kind: 'rate_limit' | 'billing' | 'version'): void => {
    const nowSeconds = Math.floor(store.nowMs() / 1000);
    if (kind === 'version') {
      if (platform === 'linkedin') {
        res.status(426).json({ status: 426, code: 'VERSION_RETIRED', message: 'Requested version is not active' });
      } else {
        res.status(400).json(metaError(12, '(#12) This endpoint is deprecated for versions v23.0 and higher', { type: 'OAuthException' }));
      }
      return;
    }
    if (kind === 'billing') {
      res.status(402).json({
        title: 'CreditsDepleted',
        type: 'https://api.twitter.com/2/problems/credits-depleted',
        status: 402,
        detail: 'Your enrolled account does not have any credits to fulfill this request.',
      });
      return;
    }
    switch (platform) {
      case 'facebook':
        res
          .status(400)
          .set('X-Business-Use-Case-Usage', JSON.stringify({ '200000000000001': [{ type: 'pages', call_count: 100, total_cputime: 42, total_time: 57, estimated_time_to_regain_access: 5 }] }))
          .json(metaError(80001, 'There have been too many calls to this Page account. Wait a bit and try again.', { type: 'OAuthException', isTransient: true }));
        return;
      case 'instagram':
        res
          .status(400)
          .set('X-App-Usage', JSON.stringify({ call_count: 100, total_cputime: 20, total_time: 35 }))
          .json(metaError(4, 'Application request limit reached', { type: 'OAuthException', isTransient: true }));
        return;
      case 'tiktok':
        res.status(429).json(tiktokApiError('rate_limit_exceeded', 'The API rate limit was exceeded. Please try again later.'));
        return;
      case 'x':
        res
          .status(429)
          .set({ 'x-rate-limit-limit': '75', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(nowSeconds + 900) })
          .json({ title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
        return;
      case 'linkedin':
        res.status(429).set('Retry-After', '60').json({ status: 429, serviceErrorCode: 101, code: 'TOO_MANY_REQUESTS', message: 'Resource level throttle limit for calls to this resource is reached.' });
        return;
    }
  };
}

export { sandboxEndpoints } from './endpoints.ts';
