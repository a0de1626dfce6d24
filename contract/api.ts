/**
 * Every endpoint of the BFF, declared once: the routes in bff/ are built from these (their
 * schemas validate each request), and the OpenAPI document is generated from them
 * (contract/openapi.ts). A route the BFF registers without an entry here, or an entry
 * without a route, fails test/bff/openapi.test.ts.
 */
import { z } from 'zod';
import { endpoint } from './endpoint.ts';
import { EmptyBody, HostId, Uuid } from './schemas/common.ts';
import {
  AccountDetailResponse,
  AccountList,
  AccountListQuery,
  Credentials,
  HistoryPage,
  PageQuery,
} from './schemas/accounts.ts';
import { CreateSessionBody, PlatformsResponse, PutWorkspaceBody, SessionCreated, WorkspaceResponse } from './schemas/workspaces.ts';
import { AttemptStarted, AttemptStatus, SelectAccountsBody, SelectedAccounts, StartConnectionBody, StartReconnectionBody } from './schemas/connections.ts';
import { EventList, EventsQuery, HealthCheckResult } from './schemas/events.ts';
import { Liveness, Readiness } from './schemas/operations.ts';
import { ConnectLinkBody, LinkCreated, LinkForm, LinkList, LinkSelectForm, ReconnectLinkBody } from './schemas/links.ts';

const WorkspaceParams = z.strictObject({ workspaceId: HostId.describe("The host's own workspace id.") });
/** Ids in a path, in any case, read in lower case (the way they are stored and compared). */
const PathUuid = Uuid.transform((id) => id.toLowerCase());
const AccountParams = z.strictObject({ accountId: PathUuid.describe('An account id (a UUID).') });
const LinkParams = z.strictObject({ linkId: z.string().max(64).describe('The link id from its URL.') });
const AttemptParams = z.strictObject({ attemptId: PathUuid.describe('A connection attempt id (a UUID).') });

// --- host API (server to server, host API key) -------------------------------------------

export const putWorkspace = endpoint({
  operationId: 'putWorkspace',
  method: 'put',
  path: '/v1/workspaces/:workspaceId',
  tag: 'host',
  summary: 'Create or update a workspace',
  auth: 'host',
  params: WorkspaceParams,
  body: PutWorkspaceBody,
  responses: { 200: { description: 'Updated.', body: WorkspaceResponse }, 201: { description: 'Created.', body: WorkspaceResponse } },
  errors: [],
  rateLimited: true,
});

export const getWorkspace = endpoint({
  operationId: 'getWorkspace',
  method: 'get',
  path: '/v1/workspaces/:workspaceId',
  tag: 'host',
  summary: 'Read a workspace',
  auth: 'host',
  params: WorkspaceParams,
  responses: { 200: { description: 'The workspace.', body: WorkspaceResponse } },
  errors: ['workspace_not_found'],
  rateLimited: true,
});

export const listWorkspaceAccounts = endpoint({
  operationId: 'listWorkspaceAccounts',
  method: 'get',
  path: '/v1/workspaces/:workspaceId/accounts',
  tag: 'host',
  summary: "The workspace's accounts: the same list the widget sees",
  auth: 'host',
  params: WorkspaceParams,
  query: AccountListQuery,
  responses: { 200: { description: 'Amber first, then by platform, then by name.', body: AccountList } },
  errors: ['workspace_not_found', 'invalid_cursor'],
  rateLimited: true,
});

export const createSession = endpoint({
  operationId: 'createSession',
  method: 'post',
  path: '/v1/sessions',
  tag: 'host',
  summary: 'Mint a session token for the widget',
  auth: 'host',
  body: CreateSessionBody,
  responses: { 201: { description: 'The token to hand to the widget, and when it expires (real time).', body: SessionCreated } },
  errors: ['workspace_not_found'],
  rateLimited: true,
});

export const getAccountCredentials = endpoint({
  operationId: 'getAccountCredentials',
  method: 'get',
  path: '/v1/accounts/:accountId/credentials',
  tag: 'host',
  summary: "A usable access token for the host's own publishing, renewed first when needed",
  auth: 'host',
  params: AccountParams,
  responses: { 200: { description: 'Sent with Cache-Control: no-store.', body: Credentials } },
  errors: ['account_not_found', 'account_paused', 'needs_reconnect', 'refresh_in_progress', 'platform_unavailable', 'platform_not_configured'],
  rateLimited: true,
});

export const createReconnectLink = endpoint({
  operationId: 'createReconnectLink',
  method: 'post',
  path: '/v1/accounts/:accountId/reconnect-link',
  tag: 'host',
  summary: "A signed, single-use, expiring link to send to the account's owner, who reconnects it without a login",
  auth: 'host',
  params: AccountParams,
  body: ReconnectLinkBody,
  responses: { 201: { description: 'The link and when it stops working.', body: LinkCreated } },
  errors: ['account_not_found', 'invalid_return_to'],
  rateLimited: true,
});

export const createConnectLink = endpoint({
  operationId: 'createConnectLink',
  method: 'post',
  path: '/v1/workspaces/:workspaceId/connect-link',
  tag: 'host',
  summary: 'A signed, single-use, expiring link that lets someone connect an account into the workspace without a login',
  auth: 'host',
  params: WorkspaceParams,
  body: ConnectLinkBody,
  responses: { 201: { description: 'The link and when it stops working.', body: LinkCreated } },
  errors: ['workspace_not_found', 'invalid_return_to'],
  rateLimited: true,
});

export const listLinks = endpoint({
  operationId: 'listLinks',
  method: 'get',
  path: '/v1/workspaces/:workspaceId/links',
  tag: 'host',
  summary: "The workspace's links with their status (open, used, expired), newest first",
  auth: 'host',
  params: WorkspaceParams,
  responses: { 200: { description: 'Never a link\'s URL: only its status.', body: LinkList } },
  errors: ['workspace_not_found'],
  rateLimited: true,
});

export const exportAudit = endpoint({
  operationId: 'exportAudit',
  method: 'get',
  path: '/v1/workspaces/:workspaceId/audit',
  tag: 'host',
  summary: "The workspace's history entries, oldest first, for export (compliance)",
  auth: 'host',
  params: WorkspaceParams,
  query: PageQuery,
  responses: { 200: { description: 'Oldest first; pass `cursor` as `after` for the next page. Nothing secret in any entry.', body: HistoryPage } },
  errors: ['workspace_not_found', 'invalid_cursor'],
  rateLimited: true,
});

// --- widget API (session token) ------------------------------------------------------------

export const listAccounts = endpoint({
  operationId: 'listAccounts',
  method: 'get',
  path: '/api/accounts',
  tag: 'widget',
  summary: "The session's workspace's accounts",
  auth: 'session',
  query: AccountListQuery,
  responses: { 200: { description: 'Amber first, then by platform, then by name.', body: AccountList } },
  errors: ['invalid_cursor'],
});

export const getAccount = endpoint({
  operationId: 'getAccount',
  method: 'get',
  path: '/api/accounts/:accountId',
  tag: 'widget',
  summary: 'An account with its details (and, for admins, the token debug panel)',
  auth: 'session',
  params: AccountParams,
  responses: { 200: { description: 'The account.', body: AccountDetailResponse } },
  errors: ['account_not_found'],
});

export const disconnectAccount = endpoint({
  operationId: 'disconnectAccount',
  method: 'delete',
  path: '/api/accounts/:accountId',
  tag: 'widget',
  summary: 'Disconnect: revoke at the platform (best effort), delete the credentials, hide the account',
  auth: 'session',
  params: AccountParams,
  responses: { 204: { description: 'Disconnected.', body: 'empty' } },
  errors: ['account_not_found'],
});

export const getAccountHistory = endpoint({
  operationId: 'getAccountHistory',
  method: 'get',
  path: '/api/accounts/:accountId/history',
  tag: 'widget',
  summary: "The account's timeline, newest first, a page at a time",
  auth: 'session',
  params: AccountParams,
  query: PageQuery,
  responses: { 200: { description: 'Newest first; pass `cursor` as `after` for older entries.', body: HistoryPage } },
  errors: ['account_not_found', 'invalid_cursor'],
});

export const createAccountReconnectLink = endpoint({
  operationId: 'createAccountReconnectLink',
  method: 'post',
  path: '/api/accounts/:accountId/reconnect-link',
  tag: 'widget',
  summary: "An admin's reconnect link for an account, to send to its owner",
  auth: 'session',
  params: AccountParams,
  body: ReconnectLinkBody,
  responses: { 201: { description: 'The link and when it stops working.', body: LinkCreated } },
  errors: ['admin_only', 'account_not_found', 'invalid_return_to'],
});

export const startReconnection = endpoint({
  operationId: 'startReconnection',
  method: 'post',
  path: '/api/accounts/:accountId/reconnect',
  tag: 'widget',
  summary: 'Start re-authorizing an account',
  auth: 'session',
  params: AccountParams,
  body: StartReconnectionBody,
  responses: { 201: { description: 'Submit `fields` to `authorizeUrl` as a form POST.', body: AttemptStarted } },
  errors: ['plan_upgrade_required', 'platform_coming_soon', 'account_not_found', 'workspace_not_found', 'invalid_return_to', 'platform_not_configured'],
  rateLimited: true,
});

export const listPlatforms = endpoint({
  operationId: 'listPlatforms',
  method: 'get',
  path: '/api/platforms',
  tag: 'widget',
  summary: "Every platform with its state on the workspace's plan, and the count against the limit",
  auth: 'session',
  responses: { 200: { description: 'All platforms are always listed.', body: PlatformsResponse } },
  errors: ['workspace_not_found'],
});

export const startConnection = endpoint({
  operationId: 'startConnection',
  method: 'post',
  path: '/api/connections',
  tag: 'widget',
  summary: 'Start connecting a platform',
  auth: 'session',
  body: StartConnectionBody,
  responses: { 201: { description: 'Submit `fields` to `authorizeUrl` as a form POST.', body: AttemptStarted } },
  errors: ['plan_upgrade_required', 'account_limit_reached', 'platform_coming_soon', 'workspace_not_found', 'unknown_platform', 'invalid_return_to', 'platform_not_configured'],
  rateLimited: true,
});

export const getConnection = endpoint({
  operationId: 'getConnection',
  method: 'get',
  path: '/api/connections/:attemptId',
  tag: 'widget',
  summary: 'The outcome of a connection attempt',
  auth: 'session',
  params: AttemptParams,
  responses: { 200: { description: "The attempt's status.", body: AttemptStatus } },
  errors: ['attempt_not_found'],
});

export const selectAccounts = endpoint({
  operationId: 'selectAccounts',
  method: 'post',
  path: '/api/connections/:attemptId/select',
  tag: 'widget',
  summary: "Choose which of the grant's Pages / accounts / organizations to add",
  auth: 'session',
  params: AttemptParams,
  body: SelectAccountsBody,
  responses: { 200: { description: 'The accounts added (or restored).', body: SelectedAccounts } },
  errors: [
    'account_limit_reached',
    'plan_upgrade_required',
    'platform_coming_soon',
    'attempt_not_found',
    'workspace_not_found',
    'attempt_not_choosing',
    'attempt_expired',
    'invalid_choice',
    'platform_not_configured',
  ],
});

export const runHealthCheck = endpoint({
  operationId: 'runHealthCheck',
  method: 'post',
  path: '/api/health-check',
  tag: 'widget',
  summary: 'Verify the accounts not checked in the last 5 minutes with their platforms, now',
  auth: 'session',
  rateLimited: true,
  body: EmptyBody,
  responses: { 200: { description: 'The accounts after the check, and the events it produced.', body: HealthCheckResult } },
  errors: [],
});

export const listEvents = endpoint({
  operationId: 'listEvents',
  method: 'get',
  path: '/api/events',
  tag: 'widget',
  summary: "The workspace's events since a cursor (toasts)",
  auth: 'session',
  query: EventsQuery,
  responses: { 200: { description: 'Events, oldest first, and the cursor to go on from.', body: EventList } },
  errors: ['invalid_cursor'],
});

// --- the browser's side of OAuth ---------------------------------------------------------

export const submitStartForm = endpoint({
  operationId: 'submitStartForm',
  method: 'post',
  path: '/oauth/start/:attemptId',
  tag: 'oauth',
  summary: "The start form's target: binds this browser to the attempt (httpOnly cookie) and redirects to the platform",
  description:
    'Submitted by the widget as an HTML form POST (`fields` from the start answer) into its pop-up or the page, never called by code. ' +
    "Takes no Authorization header: the one-time `t` in the form body is the credential, and the request's `Origin` must be one of ALLOWED_ORIGINS " +
    '(or the BFF\'s own): a missing, `null` or foreign Origin connects nothing and answers 403 with a page saying why, so a start link ' +
    "opened in somebody else's browser can never put their account into the starter's workspace.",
  auth: 'none',
  form: true,
  params: AttemptParams,
  body: z
    .strictObject({ t: z.string().min(1).max(100).describe('The one-time secret from `fields`.').meta({ 'x-error-code': 'invalid_link' }) })
    .meta({ id: 'StartForm', description: 'The start form: `fields` from the start answer, as application/x-www-form-urlencoded.', examples: [{ t: 'Zm9ybS1wb3N0LW9uZS10aW1lLXNlY3JldA' }] }),
  responses: {
    302: {
      description: "To the platform's consent page, with a fresh state (and PKCE).",
      body: 'redirect',
      headers: {
        Location: { required: true, format: 'uri' },
        'Set-Cookie': { required: true, description: '`cp_oauth_<attemptId>`: httpOnly, SameSite=Lax, path PUBLIC_URL/oauth.' },
      },
    },
    403: { description: '`start_not_allowed`: the form did not come from an allowed origin (missing, `null` or foreign `Origin`). A page saying why; nothing is bound.', body: 'html' },
  },
  errors: ['invalid_link', 'attempt_not_found', 'attempt_already_started', 'attempt_expired', 'platform_not_configured', 'start_not_allowed'],
});

export const startLinkPage = endpoint({
  operationId: 'startLinkPage',
  method: 'get',
  path: '/oauth/start/:attemptId',
  tag: 'oauth',
  summary: 'A start URL opened as a link: connects nothing, and says so',
  description:
    'The start is a form POST from the connections page. Opening its URL (a link someone sent, with or without a `t`) binds nothing, ' +
    'spends nothing and answers 405 with a page that tells the person to start from their own connections page.',
  auth: 'none',
  params: z.strictObject({ attemptId: z.string().max(200) }),
  query: z.looseObject({}),
  responses: { 405: { description: '`start_not_allowed`, as a page (`Allow: POST`). Nothing is bound.', body: 'html', headers: { Allow: { required: true } } } },
  errors: [],
});

export const getCallbackScript = endpoint({
  operationId: 'getCallbackScript',
  method: 'get',
  path: '/oauth/callback.js',
  tag: 'oauth',
  summary: "The callback page's script (the page has no inline script)",
  auth: 'none',
  responses: { 200: { description: 'JavaScript.', body: 'javascript' } },
  errors: [],
});

// --- push signals (called by the platforms, verified by signature) ----------------------

const MetaPushParams = z.strictObject({ platform: z.enum(['facebook', 'instagram']).describe('The Meta app the callback is configured for.') });
const SignedRequestBody = z.looseObject({
  // Optional in the schema: a missing one is a bad signature (invalid_signature), like a wrong one.
  signed_request: z.string().max(8192).optional().describe("Meta's `signed_request`: base64url HMAC-SHA256 signature, a dot, base64url JSON payload with `user_id`."),
});

export const metaDeauthorize = endpoint({
  operationId: 'metaDeauthorize',
  method: 'post',
  path: '/oauth/deauthorize/:platform',
  tag: 'push',
  summary: "Meta's deauthorize callback: the person removed the app",
  description: 'Verified with the app secret; every account of that person\'s grant turns amber (`token_revoked`) at once, with one event each. A bad or replayed signature is a 400 that changes nothing.',
  auth: 'none',
  params: MetaPushParams,
  form: true,
  body: SignedRequestBody,
  responses: { 200: { description: 'Recorded.', body: z.strictObject({ ok: z.literal(true) }) } },
  errors: ['invalid_signature'],
});

export const metaDataDeletion = endpoint({
  operationId: 'metaDataDeletion',
  method: 'post',
  path: '/oauth/data-deletion/:platform',
  tag: 'push',
  summary: "Meta's data-deletion callback: delete that person's tokens",
  description: 'Verified with the app secret; deletes the stored tokens of every account of that person (they turn amber) and answers as Meta requires.',
  auth: 'none',
  params: MetaPushParams,
  form: true,
  body: SignedRequestBody,
  responses: {
    200: {
      description: "Meta's required answer: where the person can check the deletion, and its confirmation code.",
      body: z.strictObject({ url: z.string().url(), confirmation_code: z.string() }),
    },
  },
  errors: ['invalid_signature'],
});

export const dataDeletionStatus = endpoint({
  operationId: 'dataDeletionStatus',
  method: 'get',
  path: '/oauth/data-deletion/status/:code',
  tag: 'push',
  summary: 'Where a person checks a Meta data deletion (the `url` the data-deletion callback answers)',
  auth: 'none',
  params: z.strictObject({ code: z.string().regex(/^[0-9a-f]{20}$/).describe('The confirmation code.') }),
  responses: { 200: { description: 'A page saying the tokens were deleted.', body: 'html' } },
  errors: [],
});

export const tiktokWebhook = endpoint({
  operationId: 'tiktokWebhook',
  method: 'post',
  path: '/webhooks/tiktok',
  tag: 'push',
  summary: "TikTok's webhook (`authorization.removed`)",
  description: '`TikTok-Signature: t=<unix seconds>,s=<hex HMAC-SHA256 of "<t>.<raw body>" with the client secret>`. `authorization.removed` turns that user\'s account amber at once; other events are acknowledged and ignored. A bad, stale or replayed signature is a 400 that changes nothing.',
  auth: 'none',
  body: z.looseObject({
    client_key: z.string().optional(),
    // Optional in the schema: an unsigned or malformed body is a bad signature (invalid_signature).
    event: z.string().optional().describe('e.g. `authorization.removed`.'),
    create_time: z.number().optional(),
    user_openid: z.string().optional().describe('The open_id of the user the event is about.'),
    content: z.string().optional(),
  }),
  responses: { 200: { description: 'Received.', body: z.strictObject({ ok: z.literal(true) }) } },
  errors: ['invalid_signature', 'invalid_json', 'payload_too_large'],
});

export const oauthCallback = endpoint({
  operationId: 'oauthCallback',
  method: 'get',
  path: '/oauth/callback/:platform',
  tag: 'oauth',
  summary: "The platform's redirect back: finishes the grant",
  description:
    'Refuses a browser without the binding cookie. In pop-up mode the page posts an `OAuthMessage` to the opener (allowed origins only) and closes; in redirect mode it redirects to `returnTo` with `cp_attempt` and `cp_status` added.',
  auth: 'none',
  params: z.strictObject({ platform: z.string().describe('The platform the grant is for; an unknown one ends in a failed result page.') }),
  query: z.looseObject({
    code: z.string().optional().describe('And every other parameter the platform sends back (state, error, error_description, ...).'),
    state: z.string().optional(),
  }),
  responses: {
    200: { description: 'Pop-up mode: the result page (posts the result to the opener).', body: 'html' },
    302: { description: 'Redirect mode: back to `returnTo` with `cp_attempt=<id>&cp_status=<status>`.', body: 'redirect', headers: { Location: { required: true, format: 'uri' } } },
    400: { description: 'A callback that matches no attempt of this browser: a failed result page.', body: 'html' },
  },
  errors: [],
});

// --- links sent to the people who own accounts ------------------------------------------

export const openLink = endpoint({
  operationId: 'openLink',
  method: 'get',
  path: '/links/:linkId',
  tag: 'links',
  summary: "A reconnect or connect link's page: the workspace, the account, the advice and a Continue button",
  description: 'Opened by a person in any browser, with no login: the signature `s` is the credential. A forged, used or expired link shows why and changes nothing.',
  auth: 'none',
  params: LinkParams,
  query: z.strictObject({ s: z.string().max(200).optional().describe("The link's signature.") }),
  responses: {
    200: { description: 'The page, whose Continue button posts to /links/:linkId/continue.', body: 'html' },
    404: { description: 'A forged or unknown link: a page that says so.', body: 'html' },
    410: { description: 'A used or expired link, or one whose account is gone: a page that says so.', body: 'html' },
  },
  errors: [],
});

export const continueLink = endpoint({
  operationId: 'continueLink',
  method: 'post',
  path: '/links/:linkId/continue',
  tag: 'links',
  summary: "The link page's Continue: binds this browser to a new sign-in and redirects to the platform",
  description: 'A form POST from the link page itself (its `Origin` must be the BFF\'s own or an allowed one).',
  auth: 'none',
  params: LinkParams,
  body: LinkForm,
  form: true,
  responses: {
    303: { description: "To the platform's consent page.", body: 'redirect', headers: { Location: { required: true, format: 'uri' } } },
    403: { description: 'Not posted from the link page, or refused by the plan: a page that says why.', body: 'html' },
    404: { description: 'A forged or unknown link.', body: 'html' },
    410: { description: 'A used or expired link.', body: 'html' },
  },
  errors: [],
});

export const selectFromLink = endpoint({
  operationId: 'selectFromLink',
  method: 'post',
  path: '/links/:linkId/select',
  tag: 'links',
  summary: "A connect link's choice of Pages / accounts, when the sign-in covers several",
  auth: 'none',
  params: LinkParams,
  body: LinkSelectForm,
  form: true,
  responses: { 200: { description: 'The result page.', body: 'html' }, 404: { description: 'A forged or unknown link.', body: 'html' } },
  errors: [],
});

// --- operations ------------------------------------------------------------------------------

export const liveness = endpoint({
  operationId: 'liveness',
  method: 'get',
  path: '/healthz',
  tag: 'operations',
  summary: 'Answers while the process is up',
  auth: 'none',
  responses: { 200: { description: 'Up.', body: Liveness } },
  errors: [],
});

export const readiness = endpoint({
  operationId: 'readiness',
  method: 'get',
  path: '/readyz',
  tag: 'operations',
  summary: 'Ready when the database answers; says whether this process runs background work, and what the operator must fix',
  auth: 'none',
  responses: { 200: { description: 'Ready.', body: Readiness } },
  errors: [],
});

export const errorReference = endpoint({
  operationId: 'errorReference',
  method: 'get',
  path: '/errors',
  tag: 'operations',
  summary: 'The connection error reference as a page: every code, what it means and what to do (`/errors#<code>`)',
  auth: 'none',
  responses: { 200: { description: 'HTML, one section per code, its id the code.', body: 'html' } },
  errors: [],
});

export const openApiDocument = endpoint({
  operationId: 'openApiDocument',
  method: 'get',
  path: '/openapi.json',
  tag: 'operations',
  summary: 'This document',
  auth: 'none',
  responses: { 200: { description: 'OpenAPI 3.1, with `servers` set to PUBLIC_URL.', body: z.looseObject({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }) } },
  errors: [],
});

/** Every endpoint, in the order the document lists them. */
export const ENDPOINTS = [
  putWorkspace,
  getWorkspace,
  listWorkspaceAccounts,
  createSession,
  getAccountCredentials,
  createReconnectLink,
  createConnectLink,
  listLinks,
  exportAudit,
  listAccounts,
  getAccount,
  getAccountHistory,
  createAccountReconnectLink,
  disconnectAccount,
  startReconnection,
  listPlatforms,
  startConnection,
  getConnection,
  selectAccounts,
  runHealthCheck,
  listEvents,
  submitStartForm,
  startLinkPage,
  getCallbackScript,
  oauthCallback,
  openLink,
  continueLink,
  selectFromLink,
  metaDeauthorize,
  metaDataDeletion,
  dataDeletionStatus,
  tiktokWebhook,
  liveness,
  readiness,
  errorReference,
  openApiDocument,
] as const;
