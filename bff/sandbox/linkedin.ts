/**
 * LinkedIn (www.linkedin.com/oauth/v2/..., api.linkedin.com): all-or-nothing consent,
 * client credentials in the form body, 60-day access tokens, and (the sandbox app being an
 * approved partner) a 365-day refresh token that a refresh returns unchanged, its remaining
 * lifetime counting down. OpenID Connect: an RS256 id_token, discovery document and JWKS.
 *
 * Deviations reproduced (PLATFORMS.md): token answers carry no `token_type`; two apps, the
 * member app (Sign In with OpenID Connect + Share on LinkedIn) answering
 * `unauthorized_scope_error` to organization scopes, and the Community Management app
 * (SANDBOX_LINKEDIN_PAGES_CLIENT) allowing only those; organizationAcls lists every role
 * (ADMINISTRATOR, CONTENT_ADMINISTRATOR, ANALYST) and is paged with start/count; a
 * LinkedIn-Version retired a year after its month (on the 15th) answers HTTP 426.
 */
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import express from 'express';
import type { Request, Response, Router } from 'express';
import { mountAuthorize } from './consent.ts';
import type { AuthorizeFlow } from './consent.ts';
import { linkedinError, oauthError } from './errors.ts';
import { avatarUrl, bearerToken, clientMatches, formBody, param, queryParams, redeemCode, sandboxBase } from './oauth.ts';
import type { PlatformContext } from './oauth.ts';
import { LINKEDIN_MEMBERS, LINKEDIN_ORGANIZATIONS, SANDBOX_CLIENTS, SANDBOX_LINKEDIN_PAGES_CLIENT, linkedinMemberName } from './seed.ts';
import type { LinkedInMember, SandboxClient } from './seed.ts';
import type { CodeRecord, GrantRecord, TokenRecord } from './state.ts';

const CLIENT = SANDBOX_CLIENTS.linkedin;
const PAGES_CLIENT = SANDBOX_LINKEDIN_PAGES_CLIENT;
/** What each app's products allow: Community Management must be alone on its app. */
const MEMBER_APP_SCOPES = ['openid', 'profile', 'email', 'w_member_social'];
const PAGES_APP_SCOPES = ['r_organization_social', 'w_organization_social', 'rw_organization_admin', 'r_organization_admin'];
/** organizationAcls answers at most this many elements per page, 10 when no count is given. */
const ACL_MAX_COUNT = 100;
const ACL_DEFAULT_COUNT = 10;

/** The app a request authenticates as (client id and secret in the form body), if any. */
function appOf(body: Record<string, unknown>): SandboxClient | undefined {
  return [CLIENT, PAGES_CLIENT].find((app) => clientMatches(app, param(body, 'client_id'), param(body, 'client_secret')));
}

/** A LinkedIn-Version YYYYMM is served until the 15th of the same month a year later. */
export function linkedinVersionSunset(version: string): number {
  const year = Number(version.slice(0, 4));
  const month = Number(version.slice(4, 6));
  return Date.UTC(year + 1, month - 1, 15);
}
const TOKEN_PREFIX = 'sbx-li';
const ACCESS_SECONDS = 60 * 24 * 3600;
const REFRESH_SECONDS = 365 * 24 * 3600;
const ID_TOKEN_SECONDS = 3600;

export const LINKEDIN_SCOPES: Readonly<Record<string, string>> = {
  openid: 'Use your LinkedIn account to sign in',
  profile: 'Your name and photo',
  email: 'Your primary email address',
  w_member_social: 'Create, modify and delete posts, comments and reactions for you',
  r_organization_social: "Read your organizations' posts, comments and reactions",
  w_organization_social: 'Post, comment and react for your organizations',
  rw_organization_admin: 'Manage your organizations and read their reporting data',
  r_organization_admin: "Read your organizations' pages and reporting data",
};

const linkedinFlow: AuthorizeFlow = {
  flow: 'linkedin',
  title: 'Sandbox LinkedIn',
  client: CLIENT,
  otherClients: [PAGES_CLIENT],
  appScopes: (clientId) => (clientId === PAGES_CLIENT.clientId ? PAGES_APP_SCOPES : MEMBER_APP_SCOPES),
  unauthorizedScope: 'unauthorized_scope_error',
  clientIdParam: 'client_id',
  scopeSeparator: ' ',
  scopes: LINKEDIN_SCOPES,
  invalidScope: 'unauthorized_scope_error',
  pkce: 'ignored',
  allOrNothing: true,
  codeTtlSeconds: 600,
  users: LINKEDIN_MEMBERS.map((m) => {
    const organizations = LINKEDIN_ORGANIZATIONS.filter((o) => o.administrators.includes(m.sub) || o.contentAdministrators?.includes(m.sub)).length;
    const detail = `may post for ${organizations} organization${organizations === 1 ? '' : 's'}`;
    return { id: m.sub, name: linkedinMemberName(m), detail };
  }),
  denyParams: (state) => [
    ['error', 'user_cancelled_authorize'],
    ['error_description', 'The user cancelled the authorization'],
    ['state', state],
  ],
  note: 'LinkedIn grants every requested permission or none: unticking has no effect.',
};

const BAD_CLIENT = oauthError('invalid_client', 'Client authentication failed');
const DEAD_TOKEN = linkedinError(401, 65600, 'Invalid access token');

/** The signing key of this sandbox instance, made on first use. */
class IdTokenSigner {
  #key: { privateKey: KeyObject; kid: string; jwk: Record<string, unknown> } | undefined;

  #ensure() {
    if (!this.#key) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const kid = randomUUID();
      this.#key = {
        privateKey,
        kid,
        jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' },
      };
    }
    return this.#key;
  }

  jwks(): { keys: Array<Record<string, unknown>> } {
    return { keys: [this.#ensure().jwk] };
  }

  sign(claims: Record<string, unknown>): string {
    const key = this.#ensure();
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode({ alg: 'RS256', kid: key.kid, typ: 'JWT' })}.${encode(claims)}`;
    return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
  }
}

export function linkedinRouter({ store, control, redirects }: PlatformContext): Router {
  const router = express.Router();
  const signer = new IdTokenSigner();
  const issuer = (res: Response) => `${sandboxBase(res)}/linkedin/www/oauth`;

  mountAuthorize(router, '/www/oauth/v2/authorization', linkedinFlow, store, redirects);

  const guard = control.tokenEndpoint('linkedin', (res) => res.status(500).json(oauthError('server_error', 'Internal Server Error')));

  router.post('/www/oauth/v2/accessToken', guard, (req, res) => {
    const body = formBody(req);
    const app = appOf(body);
    if (!app) return void res.status(401).json(BAD_CLIENT);
    const grantType = param(body, 'grant_type');
    if (grantType === 'authorization_code') {
      const result = redeemCode(store, 'linkedin', {
        code: param(body, 'code'),
        clientId: app.clientId,
        redirectUri: param(body, 'redirect_uri'),
        codeVerifier: undefined,
      });
      if (!result.ok) {
        return void res
          .status(400)
          .json(
            oauthError(
              'invalid_grant',
              'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired.',
            ),
          );
      }
      const refresh = store.issueToken({ grant: result.grant, kind: 'refresh', prefix: TOKEN_PREFIX, ttlSeconds: REFRESH_SECONDS });
      return sendTokens(res, result.grant, refresh, idToken(res, result.code, result.grant, app));
    }
    if (grantType === 'refresh_token') {
      const check = store.checkToken(param(body, 'refresh_token'), ['linkedin'], 'refresh');
      if (check.status !== 'active') {
        return void res.status(400).json(oauthError('invalid_grant', 'The provided refresh token is invalid, expired or revoked.'));
      }
      // No rotation: the same refresh token comes back, with less time left.
      return sendTokens(res, check.grant, check.token, undefined);
    }
    res.status(400).json(oauthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.'));
  });

  function sendTokens(res: Response, grant: GrantRecord, refresh: TokenRecord, idTokenValue: string | undefined): void {
    const access = store.issueToken({ grant, kind: 'access', prefix: TOKEN_PREFIX, ttlSeconds: ACCESS_SECONDS });
    res.json({
      access_token: access.value,
      expires_in: store.secondsLeft(access),
      refresh_token: refresh.value,
      refresh_token_expires_in: store.secondsLeft(refresh),
      // LinkedIn lists granted scopes with commas although they are requested with spaces,
      // and (unlike RFC 6749 5.1) sends no token_type.
      scope: grant.scopes.join(','),
      ...(idTokenValue ? { id_token: idTokenValue } : {}),
    });
  }

  function idToken(res: Response, code: CodeRecord, grant: GrantRecord, app: SandboxClient): string | undefined {
    const member = LINKEDIN_MEMBERS.find((m) => m.sub === grant.userId);
    if (!member || !grant.scopes.includes('openid')) return undefined;
    const now = Math.floor(store.nowMs() / 1000);
    return signer.sign({
      iss: issuer(res),
      aud: app.clientId,
      iat: now,
      exp: now + ID_TOKEN_SECONDS,
      sub: member.sub,
      ...(code.nonce !== null ? { nonce: code.nonce } : {}),
      ...memberClaims(res, member, grant),
    });
  }

  router.post('/www/oauth/v2/introspectToken', (req, res) => {
    const body = formBody(req);
    const app = appOf(body);
    if (!app) return void res.status(401).json(BAD_CLIENT);
    const check = store.checkToken(param(body, 'token'), ['linkedin']);
    if (check.status === 'unknown') return void res.json({ active: false });
    const { token, grant } = check;
    const seconds = (ms: number) => Math.floor(ms / 1000);
    res.json({
      active: check.status === 'active',
      client_id: app.clientId,
      authorized_at: seconds(grant.grantedAt),
      created_at: seconds(token.issuedAt),
      status: check.status === 'active' ? 'active' : check.status === 'revoked' ? 'revoked' : 'expired',
      expires_at: token.expiresAt === null ? null : seconds(token.expiresAt),
      scope: grant.scopes.join(','),
      auth_type: '3L',
    });
  });

  router.post('/www/oauth/v2/revoke', (req, res) => {
    const body = formBody(req);
    if (!appOf(body)) return void res.status(401).json(BAD_CLIENT);
    store.revokeToken(param(body, 'token'), ['linkedin']);
    res.status(200).end();
  });

  router.get('/www/oauth/.well-known/openid-configuration', (_req, res) => {
    const base = sandboxBase(res);
    res.json({
      issuer: issuer(res),
      authorization_endpoint: `${base}/linkedin/www/oauth/v2/authorization`,
      token_endpoint: `${base}/linkedin/www/oauth/v2/accessToken`,
      userinfo_endpoint: `${base}/linkedin/api/v2/userinfo`,
      jwks_uri: `${base}/linkedin/www/oauth/openid/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'profile', 'email'],
      claims_supported: [
        ...['iss', 'aud', 'iat', 'exp', 'sub', 'nonce'],
        ...['name', 'given_name', 'family_name', 'picture', 'locale', 'email', 'email_verified'],
      ],
    });
  });

  router.get('/www/oauth/openid/jwks', (_req, res) => {
    res.json(signer.jwks());
  });

  /** The member behind a live bearer token, or undefined after answering 401. */
  function authenticate(req: Request, res: Response): { member: LinkedInMember; grant: GrantRecord } | undefined {
    const check = store.checkToken(bearerToken(req), ['linkedin'], 'access');
    const member = check.status === 'active' ? LINKEDIN_MEMBERS.find((m) => m.sub === check.grant.userId) : undefined;
    if (!member || !check.grant) return void res.status(401).json(DEAD_TOKEN);
    return { member, grant: check.grant };
  }

  function forbidden(res: Response, resource: string): void {
    res.status(403).json(linkedinError(403, 100, `Not enough permissions to access: ${resource}`, 'ACCESS_DENIED'));
  }

  /** The versioned /rest API refuses calls without a LinkedIn-Version header. */
  function versioned(req: Request, res: Response): boolean {
    const version = req.get('linkedin-version') ?? '';
    if (/^\d{6}(\.\d{2})?$/.test(version)) {
      if (linkedinVersionSunset(version) > store.nowMs()) return true;
      res.status(426).json({ status: 426, code: 'VERSION_RETIRED', message: `Requested version ${version} is not active` });
      return false;
    }
    res.status(400).json({
      status: 400,
      code: 'VERSION_MISSING',
      message: 'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
    });
    return false;
  }

  router.get('/api/v2/userinfo', (req, res) => {
    const caller = authenticate(req, res);
    if (!caller) return;
    if (!caller.grant.scopes.includes('openid')) return forbidden(res, 'userinfo.GET.NO_VERSION');
    res.json({ sub: caller.member.sub, ...memberClaims(res, caller.member, caller.grant) });
  });

  router.get('/api/rest/organizationAcls', (req, res) => {
    if (!versioned(req, res)) return;
    const caller = authenticate(req, res);
    if (!caller) return;
    const query = queryParams(req);
    if (param(query, 'q') !== 'roleAssignee') {
      return void res.status(400).json(linkedinError(400, 100, 'Invalid query parameters passed to request', 'QUERY_PARAM_NOT_ALLOWED'));
    }
    const scopes = caller.grant.scopes;
    if (!scopes.includes('rw_organization_admin') && !scopes.includes('r_organization_admin')) {
      return forbidden(res, 'organizationAcls.FINDER-roleAssignee');
    }
    const role = param(query, 'role');
    const state = param(query, 'state');
    const sub = caller.member.sub;
    const all = LINKEDIN_ORGANIZATIONS.flatMap((o) => [
      ...(o.administrators.includes(sub) ? ['ADMINISTRATOR'] : []),
      ...(o.contentAdministrators?.includes(sub) ? ['CONTENT_ADMINISTRATOR'] : []),
      ...(o.analysts?.includes(sub) ? ['ANALYST'] : []),
    ].map((r) => ({ organization: `urn:li:organization:${o.id}`, role: r, state: 'APPROVED', roleAssignee: `urn:li:person:${sub}` })));
    const matching = all.filter((e) => (role === undefined || e.role === role) && (state === undefined || e.state === state));
    const start = Math.max(0, Number(param(query, 'start') ?? 0) || 0);
    const count = Math.min(ACL_MAX_COUNT, Math.max(1, Number(param(query, 'count') ?? ACL_DEFAULT_COUNT) || ACL_DEFAULT_COUNT));
    const elements = matching.slice(start, start + count);
    const links = start + count < matching.length ? [{ rel: 'next', type: 'application/json', href: `/rest/organizationAcls?q=roleAssignee&start=${start + count}&count=${count}` }] : [];
    res.json({ paging: { start, count, links, total: matching.length }, elements });
  });

  router.get('/api/rest/organizations/:id', (req, res) => {
    if (!versioned(req, res)) return;
    if (!authenticate(req, res)) return;
    const organization = LINKEDIN_ORGANIZATIONS.find((o) => String(o.id) === req.params.id);
    if (!organization) return void res.status(404).json(linkedinError(404, 100, `Organization ${req.params.id} not found`, 'NOT_FOUND'));
    res.json({
      id: organization.id,
      localizedName: organization.localizedName,
      vanityName: organization.vanityName,
      name: { localized: { en_US: organization.localizedName }, preferredLocale: { country: 'US', language: 'en' } },
      logoV2: {
        original: `urn:li:digitalmediaAsset:sandbox-org-logo-${organization.id}`,
        cropped: `urn:li:digitalmediaAsset:sandbox-org-logo-${organization.id}`,
        cropInfo: { x: 0, y: 0, width: 0, height: 0 },
      },
      // Sandbox convenience: the logo's URL directly, instead of resolving the asset URN.
      logoUrl: avatarUrl(res, String(organization.id)),
    });
  });

  return router;
}

/** Profile claims, shared by the id_token and /v2/userinfo; email only with the email scope. */
function memberClaims(res: Response, member: LinkedInMember, grant: GrantRecord): Record<string, unknown> {
  return {
    ...(grant.scopes.includes('profile')
      ? {
          name: linkedinMemberName(member),
          given_name: member.givenName,
          family_name: member.familyName,
          picture: avatarUrl(res, member.sub),
          locale: member.locale,
        }
      : {}),
    ...(grant.scopes.includes('email') ? { email: member.email, email_verified: true } : {}),
  };
}
