import { PACKAGE_VERSION } from '../package-root.ts';
import type { AccountKind, LivePlatform } from '../platforms/catalog.ts';
import { ALL_PLATFORMS, LIVE_PLATFORMS } from '../platforms/catalog.ts';
import { PLANS, type PlatformStatus } from '../plans/plans.ts';
import { REASONS, type Health } from '../accounts/health.ts';
import { EVENT_MESSAGES } from '../events/events.ts';
import { CONNECT_MODES, type AttemptStatus } from '../connections/connection.service.ts';
import { ROLES, SESSION_TTL } from '../sessions/sessions.ts';
import { HOST_ID } from '../http/validate.ts';

/**
 * The OpenAPI 3.1 description of the BFF's HTTP interface: the host API (/v1), the widget API
 * (/api), the browser's side of OAuth (/oauth) and the operations endpoints. Enumerations and
 * limits come from the constants the code validates with; test/bff/openapi.test.ts proves the
 * rest (routes, request rules, response shapes, status codes) against the running app.
 *
 * Not described: /sandbox (sandbox mode only, a development tool) and /demo (the example page's
 * session, embedded database only).
 */

export type JsonSchema = { [keyword: string]: unknown };

/** Exhaustive lists of union types that have no runtime constant. */
const exhaustive =
  <T extends string>() =>
  <const L extends readonly T[]>(list: L & ([T] extends [L[number]] ? unknown : { missing: Exclude<T, L[number]> })) =>
    list;
const ACCOUNT_KINDS = exhaustive<AccountKind>()(['page', 'professional', 'profile', 'member', 'organization']);
const HEALTHS = exhaustive<Health>()(['healthy', 'needs_reconnect']);
const PLATFORM_STATUSES = exhaustive<PlatformStatus>()(['available', 'upgrade_required', 'coming_soon']);
const ATTEMPT_STATUSES = exhaustive<AttemptStatus>()(['pending', 'choose', 'connected', 'failed']);
const EVENT_TYPES = Object.keys(EVENT_MESSAGES);

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: JsonSchema): JsonSchema => {
  const type = schema.type;
  const out: JsonSchema = { ...schema, type: Array.isArray(type) ? [...type, 'null'] : [type, 'null'] };
  if (Array.isArray(schema.enum)) out.enum = [...schema.enum, null];
  return out;
};
const string = (extra: JsonSchema = {}): JsonSchema => ({ type: 'string', ...extra });
const dateTime = string({ format: 'date-time' });
const uuid = string({ format: 'uuid' });
const integer = (extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', ...extra });
const array = (items: JsonSchema, extra: JsonSchema = {}): JsonSchema => ({ type: 'array', items, ...extra });
/** An object with exactly these properties; all required unless listed as optional. */
function object(properties: Record<string, JsonSchema>, optional: readonly string[] = []): JsonSchema {
  const required = Object.keys(properties).filter((k) => !optional.includes(k));
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

/** Text the validators accept: no control characters (bff/http/validate.ts). */
const NO_CONTROL_CHARACTERS = '^[^\\u0000-\\u001f\\u007f]*$';
const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const text = (min: number, max: number): JsonSchema => string({ minLength: min, maxLength: max, pattern: NO_CONTROL_CHARACTERS });

const accountProperties: Record<string, JsonSchema> = {
  id: uuid,
  platform: string({ enum: [...LIVE_PLATFORMS] }),
  kind: string({ enum: [...ACCOUNT_KINDS] }),
  displayName: string(),
  username: nullable(string()),
  avatarUrl: nullable(string()),
  health: string({ enum: [...HEALTHS] }),
  reason: nullable(string({ enum: [...REASONS], description: 'The first that applies, in this order; null when healthy.' })),
  reasonMessage: nullable(string({ description: 'The reason in words for people (names missing scopes).' })),
  canPublish: { type: 'boolean' },
  connectedAt: dateTime,
  lastRefreshedAt: nullable(dateTime),
  tokenExpiresAt: nullable(dateTime),
  lastError: { oneOf: [{ type: 'null' }, object({ code: string(), message: string() })], description: 'The last connection error the platform gave, for "Fix with AI Support".' },
};

const schemas: Record<string, JsonSchema> = {
  Error: {
    ...object({ error: object({ code: string({ description: 'Stable, machine-readable.' }), message: string({ description: 'For people; never a stack trace or a token.' }) }) }),
    description: 'Every error of every endpoint (4xx/5xx) has this shape.',
  },
  Account: { ...object(accountProperties), description: 'An account as the widget and the host see it in a list.' },
  RecentPost: object({
    id: string(),
    message: nullable(string()),
    permalinkUrl: nullable(string()),
    mediaUrl: nullable(string()),
    publishedAt: nullable(dateTime),
    metrics: { type: 'object', additionalProperties: { type: 'number' } },
  }),
  TokenDebug: {
    ...object({
      grantedScopes: array(string()),
      missingScopes: array(string()),
      requiredScopes: array(string()),
      tokenExpiresAt: nullable(dateTime),
      refreshTokenExpiresAt: nullable(dateTime),
      dataAccessExpiresAt: nullable(dateTime),
      connectMethod: string(),
      consecutiveRefreshFailures: integer({ minimum: 0 }),
    }),
    description: 'The token debug panel: admin sessions only.',
  },
  AccountDetail: {
    ...object(
      {
        ...accountProperties,
        platformAccountId: string({ description: 'The account\'s id at its platform (the Page id, the user id, the organization URN\'s number).' }),
        recentPosts: { oneOf: [{ type: 'null' }, array(ref('RecentPost'))], description: 'Facebook and Instagram; null elsewhere.' },
        debug: ref('TokenDebug'),
      },
      ['debug'],
    ),
    description: 'An account with its details; `debug` only for admin sessions.',
  },
  Workspace: object({
    id: string(),
    name: nullable(string()),
    plan: string({ enum: [...PLANS] }),
    accountLimit: nullable(integer({ minimum: 0, description: 'The limit in force (the override, else the plan\'s); null when unlimited.' })),
    accountLimitOverride: nullable(integer({ minimum: 0 })),
    accountCount: integer({ minimum: 0 }),
    createdAt: dateTime,
    updatedAt: dateTime,
  }),
  Event: object({
    id: string({ pattern: '^[0-9]+$' }),
    type: string({ enum: EVENT_TYPES }),
    accountId: nullable(uuid),
    message: string(),
    createdAt: dateTime,
  }),
  Choice: object({ id: string(), name: string(), kind: string({ enum: [...ACCOUNT_KINDS] }), avatarUrl: nullable(string()), alreadyConnected: { type: 'boolean' } }),
  AttemptStarted: object({
    attemptId: uuid,
    authorizeUrl: string({ format: 'uri', description: '`PUBLIC_URL/oauth/start/<attemptId>?t=<one-time token>`: open it in the pop-up or the page.' }),
  }),
  AttemptStatus: {
    oneOf: [
      object({ status: { const: 'pending' } }),
      object({ status: { const: 'choose' }, choices: array(ref('Choice'), { minItems: 1 }) }),
      object({ status: { const: 'connected' }, accountIds: array(uuid) }),
      object({ status: { const: 'failed' }, error: object({ code: string(), message: string() }) }),
    ],
    description: `The outcome of a connection attempt: ${ATTEMPT_STATUSES.join(', ')}.`,
  },
};

// ---- request bodies, from the validators in the route files ----

const requestBodies: Record<string, { schema: JsonSchema; example: unknown; description: string }> = {
  PutWorkspace: {
    description: 'Creates or updates a workspace. `accountLimit` overrides the plan\'s limit; null goes back to the plan\'s.',
    schema: object(
      {
        name: nullable(text(1, 200)),
        plan: string({ enum: [...PLANS] }),
        accountLimit: nullable(integer({ minimum: 0, maximum: 1_000_000 })),
      },
      ['name', 'accountLimit'],
    ),
    example: { name: 'Acme', plan: 'professional', accountLimit: 20 },
  },
  CreateSession: {
    description: 'A short-lived session token for the widget, for one user of a workspace.',
    schema: object(
      {
        workspaceId: string({ minLength: 1, maxLength: HOST_ID.max, pattern: HOST_ID.pattern.source }),
        userId: text(1, 200),
        role: string({ enum: [...ROLES] }),
        ttlSeconds: integer({ minimum: SESSION_TTL.min, maximum: SESSION_TTL.max, default: SESSION_TTL.default }),
      },
      ['ttlSeconds'],
    ),
    example: { workspaceId: 'acme', userId: 'user-42', role: 'admin', ttlSeconds: 3600 },
  },
  StartConnection: {
    description: 'Starts connecting a platform: the plan and limit gates run first.',
    schema: object(
      {
        platform: string({ enum: [...ALL_PLATFORMS] }),
        mode: string({ enum: [...CONNECT_MODES], default: 'popup' }),
        returnTo: text(1, 2048),
      },
      ['mode', 'returnTo'],
    ),
    example: { platform: 'facebook', mode: 'popup', returnTo: 'https://host.example/connections' },
  },
  StartReconnection: {
    description: 'Re-authorizes the same account; never counts against the limit.',
    schema: object({ mode: string({ enum: [...CONNECT_MODES], default: 'popup' }), returnTo: text(1, 2048) }, ['mode', 'returnTo']),
    example: { mode: 'redirect', returnTo: 'https://host.example/connections' },
  },
  SelectAccounts: {
    description: 'The ids (from `choices`) of the Pages, professional accounts or organizations to add.',
    schema: object({ ids: array(string({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: 100, uniqueItems: true }) }),
    example: { ids: ['1122334455'] },
  },
  HealthCheck: {
    description: 'No fields; the body may be left out.',
    schema: object({}),
    example: {},
  },
};
// returnTo must also be an absolute URL on an allowed origin (400 invalid_return_to): not expressible as a schema.
for (const name of ['StartConnection', 'StartReconnection']) {
  const properties = requestBodies[name]!.schema.properties as Record<string, JsonSchema>;
  properties.returnTo = { ...properties.returnTo, format: 'uri', description: 'An absolute URL on one of ALLOWED_ORIGINS (otherwise 400 invalid_return_to).' };
}

// ---- responses ----

type Responses = Record<string, JsonSchema>;

/** An error response whose `code` is one of these. */
function errorResponse(description: string, codes: readonly string[], headers: Record<string, JsonSchema> = {}): JsonSchema {
  return {
    description: `${description} Codes: ${codes.join(', ')}.`,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    content: {
      'application/json': {
        schema: object({ error: object({ code: string({ enum: [...new Set(codes)] }), message: string() }) }),
      },
    },
  };
}

const json = (description: string, schema: JsonSchema, headers?: Record<string, JsonSchema>): JsonSchema => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema } },
});

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before trying again.', required: true, schema: string({ pattern: '^[0-9]+$' }) } };

const QUERY_CODES = ['unknown_parameter', 'invalid_parameter'];
const BODY_PARSE_CODES = ['invalid_json', 'request_aborted', 'bad_request'];
const HOST_AUTH_CODES = ['invalid_authorization', 'missing_credentials', 'wrong_credentials', 'invalid_api_key'];
const SESSION_AUTH_CODES = ['invalid_authorization', 'missing_session', 'wrong_credentials', 'invalid_session', 'session_expired'];

/** Error responses many operations share, kept once under components.responses. */
const sharedResponses: Record<string, JsonSchema> = {
  HostUnauthorized: errorResponse('Missing or wrong host API key.', HOST_AUTH_CODES),
  SessionUnauthorized: errorResponse('Missing, invalid or expired session token.', SESSION_AUTH_CODES),
  PayloadTooLarge: errorResponse('The request body is over 100 kB.', ['payload_too_large']),
  UnsupportedMediaType: errorResponse('A request body that is not JSON.', ['unsupported_media_type', 'unsupported_encoding']),
  RateLimited: errorResponse('Over RATE_LIMIT_PER_MINUTE for this client.', ['rate_limited'], retryAfter),
  InternalError: errorResponse('An unexpected error (logged).', ['internal_error']),
};
const shared = (name: keyof typeof sharedResponses & string): JsonSchema => ({ $ref: `#/components/responses/${name}` });

/** What every route of the host API (/v1) or the widget API (/api) may answer, besides its own. */
function apiResponses(api: 'host' | 'widget', own: Responses, options: { badRequest?: string[]; rateLimited?: boolean; unavailable?: string[] } = {}): Responses {
  const responses: Responses = {
    ...own,
    400: errorResponse('The request is not valid.', [...(options.badRequest ?? []), ...QUERY_CODES, ...BODY_PARSE_CODES]),
    401: shared(api === 'host' ? 'HostUnauthorized' : 'SessionUnauthorized'),
    413: shared('PayloadTooLarge'),
    415: shared('UnsupportedMediaType'),
    ...(options.rateLimited ? { 429: shared('RateLimited') } : {}),
    500: shared('InternalError'),
    503: errorResponse('The database (or the platform) cannot be reached right now; retry later.', ['database_unavailable', ...(options.unavailable ?? [])], retryAfter),
  };
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
}

// ---- parameters ----

const pathParameter = (name: string, schema: JsonSchema, description: string): JsonSchema => ({ name, in: 'path', required: true, description, schema });
const workspaceIdParameter = pathParameter('workspaceId', string({ minLength: 1, maxLength: HOST_ID.max, pattern: HOST_ID.pattern.source }), 'The host\'s own workspace id.');
const accountIdParameter = pathParameter('accountId', string({ pattern: UUID_PATTERN }), 'An account id (a UUID).');
const attemptIdParameter = pathParameter('attemptId', string({ pattern: UUID_PATTERN }), 'A connection attempt id (a UUID).');

/** Routes that answer 400 unknown_parameter to any query parameter they do not declare. */
const STRICT_QUERY = { 'x-rejects-unknown-query-parameters': true };

/** A JSON request body; required when it has required fields (an absent body counts as `{}`). */
const inlineBody = (name: string): JsonSchema => {
  const { schema, example, description } = requestBodies[name]!;
  const required = Array.isArray(schema.required) && schema.required.length > 0;
  return { description, required, content: { 'application/json': { schema, example } } };
};

/** Express's redirect says where it goes, as text or HTML depending on Accept. */
const redirectBody = { 'text/plain': { schema: string() }, 'text/html': { schema: string() } };

const hostSecurity = [{ hostApiKey: [] }];
const sessionSecurity = [{ sessionToken: [] }];

function paths(): Record<string, Record<string, JsonSchema>> {
  return {
    '/v1/workspaces/{workspaceId}': {
      put: {
        operationId: 'putWorkspace',
        tags: ['host'],
        summary: 'Create or update a workspace',
        security: hostSecurity,
        parameters: [workspaceIdParameter],
        ...STRICT_QUERY,
        requestBody: inlineBody('PutWorkspace'),
        responses: apiResponses(
          'host',
          { 200: json('Updated.', object({ workspace: ref('Workspace') })), 201: json('Created.', object({ workspace: ref('Workspace') })) },
          { badRequest: ['invalid_id', 'invalid_body', 'unknown_field', 'invalid_field'], rateLimited: true },
        ),
      },
      get: {
        operationId: 'getWorkspace',
        tags: ['host'],
        summary: 'Read a workspace',
        security: hostSecurity,
        parameters: [workspaceIdParameter],
        ...STRICT_QUERY,
        responses: apiResponses(
          'host',
          { 200: json('The workspace.', object({ workspace: ref('Workspace') })), 404: errorResponse('No such workspace.', ['workspace_not_found']) },
          { badRequest: ['invalid_id'], rateLimited: true },
        ),
      },
    },
    '/v1/workspaces/{workspaceId}/accounts': {
      get: {
        operationId: 'listWorkspaceAccounts',
        tags: ['host'],
        summary: 'The workspace\'s accounts: the same list the widget sees',
        security: hostSecurity,
        parameters: [workspaceIdParameter],
        ...STRICT_QUERY,
        responses: apiResponses(
          'host',
          { 200: json('Amber first, then by platform, then by name.', object({ accounts: array(ref('Account')) })), 404: errorResponse('No such workspace.', ['workspace_not_found']) },
          { badRequest: ['invalid_id'], rateLimited: true },
        ),
      },
    },
    '/v1/sessions': {
      post: {
        operationId: 'createSession',
        tags: ['host'],
        summary: 'Mint a session token for the widget',
        security: hostSecurity,
        ...STRICT_QUERY,
        requestBody: inlineBody('CreateSession'),
        responses: apiResponses(
          'host',
          {
            201: json('The token to hand to the widget, and when it expires (real time).', object({ token: string(), expiresAt: dateTime })),
            404: errorResponse('No such workspace.', ['workspace_not_found']),
          },
          { badRequest: ['invalid_body', 'unknown_field', 'missing_field', 'invalid_field'], rateLimited: true },
        ),
      },
    },
    '/v1/accounts/{accountId}/credentials': {
      get: {
        operationId: 'getAccountCredentials',
        tags: ['host'],
        summary: 'A usable access token for the host\'s own publishing, renewed first when needed',
        security: hostSecurity,
        parameters: [accountIdParameter],
        ...STRICT_QUERY,
        responses: apiResponses(
          'host',
          {
            200: json(
              'Sent with Cache-Control: no-store.',
              object({ accessToken: string(), expiresAt: nullable(dateTime), platform: string({ enum: [...LIVE_PLATFORMS] satisfies LivePlatform[] }), platformAccountId: string() }),
            ),
            404: errorResponse('No connected account with this id.', ['account_not_found']),
            409: errorResponse('The account is amber: reconnect it first.', ['needs_reconnect']),
          },
          { badRequest: ['invalid_id'], rateLimited: true, unavailable: ['refresh_in_progress', 'platform_unavailable', 'platform_not_configured'] },
        ),
      },
    },

    '/api/accounts': {
      get: {
        operationId: 'listAccounts',
        tags: ['widget'],
        summary: 'The session\'s workspace\'s accounts',
        security: sessionSecurity,
        ...STRICT_QUERY,
        responses: apiResponses('widget', { 200: json('Amber first, then by platform, then by name.', object({ accounts: array(ref('Account')) })) }),
      },
    },
    '/api/accounts/{accountId}': {
      get: {
        operationId: 'getAccount',
        tags: ['widget'],
        summary: 'An account with its details (and, for admins, the token debug panel)',
        security: sessionSecurity,
        parameters: [accountIdParameter],
        ...STRICT_QUERY,
        responses: apiResponses(
          'widget',
          { 200: json('The account.', object({ account: ref('AccountDetail') })), 404: errorResponse('No such account in this workspace.', ['account_not_found']) },
          { badRequest: ['invalid_id'] },
        ),
      },
      delete: {
        operationId: 'disconnectAccount',
        tags: ['widget'],
        summary: 'Disconnect: revoke at the platform (best effort), delete the credentials, hide the account',
        security: sessionSecurity,
        parameters: [accountIdParameter],
        ...STRICT_QUERY,
        responses: apiResponses(
          'widget',
          { 204: { description: 'Disconnected.' }, 404: errorResponse('No such account in this workspace.', ['account_not_found']) },
          { badRequest: ['invalid_id'] },
        ),
      },
    },
    '/api/accounts/{accountId}/reconnect': {
      post: {
        operationId: 'startReconnection',
        tags: ['widget'],
        summary: 'Start re-authorizing an account',
        security: sessionSecurity,
        parameters: [accountIdParameter],
        ...STRICT_QUERY,
        requestBody: inlineBody('StartReconnection'),
        responses: apiResponses(
          'widget',
          {
            201: json('Open `authorizeUrl`.', ref('AttemptStarted')),
            403: errorResponse('The plan no longer includes this platform.', ['plan_upgrade_required', 'platform_coming_soon']),
            404: errorResponse('No such account in this workspace (or the workspace is gone).', ['account_not_found', 'workspace_not_found']),
          },
          { badRequest: ['invalid_id', 'invalid_body', 'unknown_field', 'invalid_field', 'invalid_return_to'], rateLimited: true, unavailable: ['platform_not_configured'] },
        ),
      },
    },
    '/api/platforms': {
      get: {
        operationId: 'listPlatforms',
        tags: ['widget'],
        summary: 'Every platform with its state on the workspace\'s plan, and the count against the limit',
        security: sessionSecurity,
        ...STRICT_QUERY,
        responses: apiResponses('widget', {
          200: json(
            'All platforms are always listed.',
            object({
              platforms: array(
                object({ platform: string({ enum: [...ALL_PLATFORMS] }), label: string(), status: string({ enum: [...PLATFORM_STATUSES] }), requiredPlan: string({ enum: [...PLANS] }) }),
              ),
              accountCount: integer({ minimum: 0 }),
              accountLimit: nullable(integer({ minimum: 0, description: 'null when unlimited' })),
            }),
          ),
          404: errorResponse('The session\'s workspace is gone.', ['workspace_not_found']),
        }),
      },
    },
    '/api/connections': {
      post: {
        operationId: 'startConnection',
        tags: ['widget'],
        summary: 'Start connecting a platform',
        security: sessionSecurity,
        ...STRICT_QUERY,
        requestBody: inlineBody('StartConnection'),
        responses: apiResponses(
          'widget',
          {
            201: json('Open `authorizeUrl`.', ref('AttemptStarted')),
            403: errorResponse('Refused by the plan or the account limit, with a message for people.', ['plan_upgrade_required', 'account_limit_reached', 'platform_coming_soon']),
            404: errorResponse('The session\'s workspace is gone.', ['workspace_not_found']),
          },
          { badRequest: ['invalid_body', 'unknown_field', 'missing_field', 'invalid_field', 'unknown_platform', 'invalid_return_to'], rateLimited: true, unavailable: ['platform_not_configured'] },
        ),
      },
    },
    '/api/connections/{attemptId}': {
      get: {
        operationId: 'getConnection',
        tags: ['widget'],
        summary: 'The outcome of a connection attempt',
        security: sessionSecurity,
        parameters: [attemptIdParameter],
        ...STRICT_QUERY,
        responses: apiResponses(
          'widget',
          { 200: json('The attempt\'s status.', ref('AttemptStatus')), 404: errorResponse('No attempt with this id for this user.', ['attempt_not_found']) },
          { badRequest: ['invalid_id'] },
        ),
      },
    },
    '/api/connections/{attemptId}/select': {
      post: {
        operationId: 'selectAccounts',
        tags: ['widget'],
        summary: 'Choose which of the grant\'s Pages / accounts / organizations to add',
        security: sessionSecurity,
        parameters: [attemptIdParameter],
        ...STRICT_QUERY,
        requestBody: inlineBody('SelectAccounts'),
        responses: apiResponses(
          'widget',
          {
            200: json('The accounts added (or restored).', object({ accountIds: array(uuid) })),
            403: errorResponse('Over the limit (nothing is added) or off the plan.', ['account_limit_reached', 'plan_upgrade_required', 'platform_coming_soon']),
            404: errorResponse('No attempt with this id for this user.', ['attempt_not_found']),
            409: errorResponse('The attempt has nothing to choose (any more), or the workspace is gone.', ['attempt_not_choosing', 'workspace_not_found']),
            410: errorResponse('The choice took longer than 10 minutes.', ['attempt_expired']),
          },
          { badRequest: ['invalid_id', 'invalid_body', 'unknown_field', 'invalid_field', 'invalid_choice'], unavailable: ['platform_not_configured'] },
        ),
      },
    },
    '/api/health-check': {
      post: {
        operationId: 'runHealthCheck',
        tags: ['widget'],
        summary: 'Due refreshes and a platform health check for every account, now',
        security: sessionSecurity,
        ...STRICT_QUERY,
        requestBody: inlineBody('HealthCheck'),
        responses: apiResponses(
          'widget',
          { 200: json('The accounts after the check, and the events it produced.', object({ accounts: array(ref('Account')), events: array(ref('Event')) })) },
          { badRequest: ['invalid_body', 'unknown_field'] },
        ),
      },
    },
    '/api/events': {
      get: {
        operationId: 'listEvents',
        tags: ['widget'],
        summary: 'The workspace\'s events since a cursor (toasts)',
        security: sessionSecurity,
        parameters: [
          {
            name: 'after',
            in: 'query',
            required: false,
            description: 'An opaque cursor from an earlier answer; without it, the latest events. A malformed one is a 400 invalid_cursor.',
            schema: string({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
          },
        ],
        ...STRICT_QUERY,
        responses: apiResponses('widget', { 200: json('Events, oldest first, and the cursor to go on from.', object({ events: array(ref('Event')), cursor: string() })) }, { badRequest: ['invalid_cursor'] }),
      },
    },

    '/oauth/start/{attemptId}': {
      get: {
        operationId: 'openAuthorizeUrl',
        tags: ['oauth'],
        summary: 'The authorize URL: binds this browser to the attempt (httpOnly cookie) and redirects to the platform',
        description: 'Opened by the browser, not called by code. Takes no Authorization header: the one-time `t` is the credential.',
        security: [],
        parameters: [attemptIdParameter, { name: 't', in: 'query', required: true, description: 'The one-time token from `authorizeUrl`.', schema: string({ maxLength: 100 }) }],
        responses: {
          302: {
            description: 'To the platform\'s consent page, with a fresh state (and PKCE).',
            content: redirectBody,
            headers: {
              Location: { required: true, schema: string({ format: 'uri' }) },
              'Set-Cookie': { required: true, description: '`cp_oauth_<attemptId>`: httpOnly, SameSite=Lax, path PUBLIC_URL/oauth.', schema: string() },
            },
          },
          400: errorResponse('The link is incomplete.', ['invalid_id', 'invalid_link']),
          404: errorResponse('Not a valid sign-in link.', ['attempt_not_found']),
          409: errorResponse('The link was already opened.', ['attempt_already_started']),
          410: errorResponse('The link is older than 10 minutes.', ['attempt_expired']),
          500: shared('InternalError'),
          503: errorResponse('The database or the platform cannot be reached right now.', ['database_unavailable', 'platform_not_configured']),
        },
      },
    },
    '/oauth/callback.js': {
      get: {
        operationId: 'getCallbackScript',
        tags: ['oauth'],
        summary: 'The callback page\'s script (the page has no inline script)',
        security: [],
        responses: { 200: { description: 'JavaScript.', content: { 'text/javascript': { schema: string() } } } },
      },
    },
    '/oauth/callback/{platform}': {
      get: {
        operationId: 'oauthCallback',
        tags: ['oauth'],
        summary: 'The platform\'s redirect back: finishes the grant',
        description:
          'Refuses a browser without the binding cookie. In pop-up mode the page posts `{ source: "connections-panel", type: "oauth-result", attemptId, status, accountIds?, choices?, error? }` to the opener (allowed origins only) and closes; in redirect mode it redirects to `returnTo` with `cp_attempt` and `cp_status` added.',
        security: [],
        parameters: [
          pathParameter('platform', string(), 'The platform the grant is for; an unknown one ends in a failed result page.'),
          { name: 'code', in: 'query', required: false, schema: string(), description: 'And every other parameter the platform sends back (state, error, error_description, ...).' },
          { name: 'state', in: 'query', required: false, schema: string() },
        ],
        responses: {
          200: { description: 'Pop-up mode: the result page (posts the result to the opener).', content: { 'text/html': { schema: string() } } },
          302: { description: 'Redirect mode: back to `returnTo` with `cp_attempt=<id>&cp_status=<status>`.', content: redirectBody, headers: { Location: { required: true, schema: string({ format: 'uri' }) } } },
          400: { description: 'A callback that matches no attempt of this browser: a failed result page.', content: { 'text/html': { schema: string() } } },
          500: shared('InternalError'),
          503: errorResponse('The database cannot be reached right now.', ['database_unavailable']),
        },
      },
    },

    '/healthz': {
      get: {
        operationId: 'liveness',
        tags: ['operations'],
        summary: 'Answers while the process is up',
        security: [],
        responses: { 200: json('Up.', object({ status: { const: 'ok' } })) },
      },
    },
    '/readyz': {
      get: {
        operationId: 'readiness',
        tags: ['operations'],
        summary: 'Answers 200 when the database answers',
        security: [],
        responses: {
          200: json('Ready.', object({ status: { const: 'ready' } })),
          503: errorResponse('The database is not reachable.', ['database_unavailable']),
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'openApiDocument',
        tags: ['operations'],
        summary: 'This document',
        security: [],
        responses: { 200: json('OpenAPI 3.1, with `servers` set to PUBLIC_URL.', { type: 'object', required: ['openapi', 'paths'] }) },
      },
    },
  };
}


export interface OpenApiOptions {
  /** The BFF's PUBLIC_URL; the document's `servers`. */
  serverUrl?: string;
  version?: string;
}

/** The whole document, a plain JSON value. */
export function createOpenApiDocument(options: OpenApiOptions = {}): JsonSchema {
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    info: {
      title: 'connections-panel BFF',
      version: options.version ?? PACKAGE_VERSION,
      license: { name: 'MIT', identifier: 'MIT' },
      description: [
        'The backend-for-frontend of `<connections-panel>`.',
        '',
        '- **Host API** (`/v1`, server to server): `Authorization: Bearer <host API key>`.',
        '- **Widget API** (`/api`): `Authorization: Bearer <session token>` from `POST /v1/sessions`; scoped to the token\'s workspace (another workspace\'s account is a 404). CORS for ALLOWED_ORIGINS.',
        '- **OAuth** (`/oauth`): opened by the browser.',
        '',
        'Every error is `{ "error": { "code", "message" } }`. Request bodies are JSON (`Content-Type: application/json`, at most 100 kB) and may hold only the fields described; operations marked `x-rejects-unknown-query-parameters` answer 400 `unknown_parameter` to any other query parameter. Paths are relative to PUBLIC_URL (for an embedded router, its mount path).',
      ].join('\n'),
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: [
      { name: 'host', description: 'Host API (server to server).' },
      { name: 'widget', description: 'Widget API (the browser, with a session token).' },
      { name: 'oauth', description: 'The browser\'s side of OAuth.' },
      { name: 'operations', description: 'Liveness, readiness, this document.' },
    ],
    paths: paths(),
    components: {
      schemas,
      responses: sharedResponses,
      securitySchemes: {
        hostApiKey: { type: 'http', scheme: 'bearer', description: 'HOST_API_KEY. Never in a browser.' },
        sessionToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A session token from POST /v1/sessions.' },
      },
    },
  };
}
