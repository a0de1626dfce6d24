/**
 * Every error and failure code the product can show, in one catalog: HTTP errors of every
 * endpoint, the outcomes of a connection attempt (OAuth), and the problems a platform can
 * report about an account. Each code has the HTTP status it is answered with, a message for
 * people and what to do about it. `docs/errors.md` is generated from this file
 * (`npm run docs`), and the widget links each code's entry there.
 *
 * Plain data: the widget bundles it (for the English fallback and the "what to do" line).
 */

export type ErrorArea = 'request' | 'auth' | 'plan' | 'account' | 'connection' | 'platform' | 'link' | 'server';

export interface ErrorEntry {
  /** The HTTP status this code is answered with (connection outcomes arrive in a result page, 200). */
  status: number;
  area: ErrorArea;
  /** What happened, in words for people (a response may carry a more specific message). */
  message: string;
  /** What to do about it. */
  action: string;
}

export const ERRORS = {
  // --- the request itself ---------------------------------------------------------------
  invalid_body: { status: 400, area: 'request', message: 'The request body must be a JSON object.', action: 'Send a JSON object with the documented fields.' },
  unknown_field: { status: 400, area: 'request', message: 'The request body has a field this endpoint does not take.', action: 'Send only the documented fields (see the OpenAPI document).' },
  missing_field: { status: 400, area: 'request', message: 'A required field is missing.', action: 'Add the field the message names.' },
  invalid_field: { status: 400, area: 'request', message: 'A field has a value this endpoint does not accept.', action: 'Fix the field the message names; the message says what it must be.' },
  invalid_id: { status: 400, area: 'request', message: 'An id in the path is malformed.', action: 'Use an id this API gave out (account and attempt ids are UUIDs).' },
  unknown_parameter: { status: 400, area: 'request', message: 'The query string has a parameter this endpoint does not take.', action: 'Remove it; the message lists the allowed ones.' },
  invalid_parameter: { status: 400, area: 'request', message: 'A query parameter is repeated or malformed.', action: 'Give each parameter once, as the documentation describes.' },
  invalid_cursor: { status: 400, area: 'request', message: 'The cursor is not one this API gave out.', action: 'Pass back a cursor exactly as an earlier answer returned it, or leave it out to start over.' },
  invalid_json: { status: 400, area: 'request', message: 'The request body is not valid JSON.', action: 'Send well-formed JSON.' },
  request_aborted: { status: 400, area: 'request', message: 'The client aborted the request.', action: 'Send the request again.' },
  bad_request: { status: 400, area: 'request', message: 'The request could not be read.', action: 'Check the request against the documentation.' },
  malformed_request: { status: 400, area: 'request', message: 'The request is not valid HTTP (a header or the request line is malformed).', action: 'Fix the client that sent it.' },
  invalid_return_to: { status: 400, area: 'request', message: '"returnTo" must be an http(s) URL on an allowed origin.', action: 'Use a page of your app whose origin is in ALLOWED_ORIGINS.' },
  unknown_platform: { status: 400, area: 'request', message: 'This platform is not one the product knows.', action: 'Use one of facebook, instagram, tiktok, x, linkedin (telegram and whatsapp are coming soon).' },
  invalid_choice: { status: 400, area: 'request', message: 'An id is not among the accounts this sign-in offered.', action: 'Choose from the listed Pages, accounts or organizations.' },
  not_found: { status: 404, area: 'request', message: 'There is no such route.', action: 'Check the method and the path (see the OpenAPI document).' },
  payload_too_large: { status: 413, area: 'request', message: 'The request body is too large.', action: 'Send at most 100 kB.' },
  unsupported_media_type: { status: 415, area: 'request', message: 'The request body must be JSON (Content-Type: application/json).', action: 'Send JSON with Content-Type: application/json.' },
  unsupported_encoding: { status: 415, area: 'request', message: 'The request body uses an unsupported encoding or charset.', action: 'Send UTF-8 JSON.' },
  headers_too_large: { status: 431, area: 'request', message: 'The request headers are too large.', action: 'Send smaller headers (cookies, mostly).' },
  invalid_signature: { status: 400, area: 'request', message: 'The push signal\'s signature is missing, wrong, stale or replayed.', action: 'Nothing to do for people: only the platform can send these, signed with the app secret.' },
  rate_limited: { status: 429, area: 'request', message: 'Too many requests. Please wait a minute and try again.', action: 'Wait for the seconds Retry-After gives, then try again.' },

  // --- who is asking ----------------------------------------------------------------------
  missing_credentials: { status: 401, area: 'auth', message: 'The host API needs "Authorization: Bearer <host API key>".', action: 'Send the host API key from your backend (never from a browser).' },
  invalid_api_key: { status: 401, area: 'auth', message: 'The host API key is not valid.', action: 'Use the HOST_API_KEY this BFF runs with.' },
  wrong_credentials: { status: 401, area: 'auth', message: 'These credentials are for the other API.', action: 'The host API takes the host API key; the widget API takes a session token from POST /v1/sessions.' },
  invalid_authorization: { status: 401, area: 'auth', message: 'The Authorization header must be "Bearer <token>".', action: 'Send "Authorization: Bearer <token>".' },
  missing_session: { status: 401, area: 'auth', message: 'The widget API needs "Authorization: Bearer <session token>".', action: 'Give the panel a session (panel.session) minted by your backend.' },
  invalid_session: { status: 401, area: 'auth', message: 'The session token is not valid.', action: 'Mint a new session with POST /v1/sessions.' },
  session_expired: { status: 401, area: 'auth', message: 'The session has expired.', action: 'Ask the host app for a new session token (make panel.session a function that fetches one).' },
  admin_only: { status: 403, area: 'auth', message: 'Only an admin of this workspace can do this.', action: 'Ask an admin, or mint the session with role "admin".' },

  // --- plans ------------------------------------------------------------------------------
  plan_upgrade_required: { status: 403, area: 'plan', message: 'This platform is not on your plan.', action: 'Upgrade the plan to connect it.' },
  account_limit_reached: { status: 403, area: 'plan', message: 'Your plan\'s account limit is reached.', action: 'Upgrade your plan, or disconnect an account to add another.' },
  platform_coming_soon: { status: 403, area: 'plan', message: 'This platform is coming soon: it cannot be connected yet.', action: 'Nothing to do yet.' },

  // --- accounts and workspaces -------------------------------------------------------------
  workspace_not_found: { status: 404, area: 'account', message: 'There is no such workspace.', action: 'Create it first with PUT /v1/workspaces/<id>.' },
  account_not_found: { status: 404, area: 'account', message: 'There is no connected account with this id in your workspace.', action: 'Reload the accounts; it may have been disconnected.' },
  needs_reconnect: { status: 409, area: 'account', message: 'This account needs to be reconnected before it can be used.', action: 'Reconnect the account from the connections page, approving every permission.' },
  account_paused: { status: 409, area: 'account', message: 'This account is paused: it is over the workspace\'s plan.', action: 'Upgrade the plan (or disconnect another account); it becomes active again by itself.' },
  refresh_in_progress: { status: 503, area: 'account', message: 'This account is being refreshed right now.', action: 'Try again in a few seconds.' },

  // --- connecting (the outcome of an OAuth attempt) ---------------------------------------
  attempt_not_found: { status: 404, area: 'connection', message: 'This sign-in does not match a connection in progress.', action: 'Close the window and start again from the connections page.' },
  attempt_expired: { status: 410, area: 'connection', message: 'The sign-in took longer than 10 minutes.', action: 'Start again from the connections page.' },
  attempt_already_started: { status: 409, area: 'connection', message: 'This sign-in was already started.', action: 'Start again from the connections page.' },
  attempt_already_used: { status: 409, area: 'connection', message: 'This sign-in was already completed.', action: 'Start again from the connections page.' },
  attempt_not_choosing: { status: 409, area: 'connection', message: 'This connection has nothing (left) to choose.', action: 'Reload the accounts: they may already be added.' },
  link_not_found: { status: 404, area: 'link', message: 'This link is not valid: it may have been copied incompletely.', action: 'Ask the person who sent it for a new link.' },
  link_used: { status: 410, area: 'link', message: 'This link was already used: each link works once.', action: 'If the account still needs reconnecting, ask the person who sent it for a new link.' },
  link_expired: { status: 410, area: 'link', message: 'This link has expired.', action: 'Ask the person who sent it for a new link.' },
  link_account_gone: { status: 410, area: 'link', message: 'The account this link reconnects was disconnected meanwhile.', action: 'Ask the person who sent it for a connect link instead.' },
  invalid_link: { status: 400, area: 'connection', message: 'This sign-in link is incomplete.', action: 'Start again from the connections page.' },
  start_not_allowed: { status: 403, area: 'connection', message: 'A connection can only be started from the connections page itself.', action: 'Open the connections page of your app and press Connect or Reconnect there. Never open a sign-in link someone sent you.' },
  browser_mismatch: { status: 400, area: 'connection', message: 'This sign-in was started in another browser.', action: 'Start again from the connections page in this browser.' },
  access_denied: { status: 200, area: 'connection', message: 'You declined access on the platform. Nothing was connected.', action: 'Connect again and approve every requested permission.' },
  platform_error: { status: 200, area: 'connection', message: 'The platform reported a problem with the sign-in.', action: 'Try again; if it keeps failing, check the platform\'s status page.' },
  invalid_callback: { status: 200, area: 'connection', message: 'The platform sent the browser back without a sign-in code.', action: 'Try again.' },
  missing_verifier: { status: 200, area: 'connection', message: 'This sign-in cannot be finished safely.', action: 'Start again from the connections page.' },
  invalid_code: { status: 200, area: 'connection', message: 'The platform did not accept the sign-in (it may have expired or been used already).', action: 'Connect again; finish signing in within a minute.' },
  state_mismatch: { status: 200, area: 'connection', message: 'The answer from the platform does not belong to this connection attempt.', action: 'Start again from the connections page.' },
  invalid_id_token: { status: 200, area: 'connection', message: 'The platform sent a sign-in token that could not be verified.', action: 'Start again; if it keeps failing, contact support.' },
  different_account: { status: 200, area: 'connection', message: 'You signed in as a different account than the one being reconnected. Nothing was changed.', action: 'Sign in on the platform as the account you are reconnecting (sign out there first if needed).' },
  no_accounts: { status: 200, area: 'connection', message: 'The sign-in shared no account the product can connect.', action: 'Facebook: choose at least one Page. Instagram: switch to a professional (business or creator) account. Then connect again.' },
  platform_rejected: { status: 200, area: 'connection', message: 'The platform refused the request.', action: 'Try again; if it keeps failing, use "Fix with AI Support".' },

  // --- what a platform says about an account (lastError, credentials) ---------------------
  token_revoked: { status: 409, area: 'platform', message: 'The platform revoked access for this account.', action: 'Reconnect it. If it keeps happening, check the app\'s permissions on the platform (for example Facebook > Settings > Business Integrations).' },
  token_expired: { status: 409, area: 'platform', message: 'The connection to the platform has expired.', action: 'Reconnect the account.' },
  invalid_grant: { status: 409, area: 'platform', message: 'The platform no longer accepts this account\'s refresh token.', action: 'Reconnect the account.' },
  missing_permissions: { status: 409, area: 'platform', message: 'The platform did not grant a permission this needs.', action: 'Reconnect and approve every requested permission.' },
  missing_permission: { status: 409, area: 'platform', message: 'The platform did not grant a permission this needs.', action: 'Reconnect and approve every requested permission.' },
  refresh_unavailable: { status: 409, area: 'platform', message: 'The platform gave this account no way to renew its access; it works until it expires.', action: 'Reconnect before it expires.' },
  connect_method_retired: { status: 409, area: 'platform', message: 'The platform retired the way this account was connected.', action: 'Reconnect it with the current flow.' },
  platform_unavailable: { status: 503, area: 'platform', message: 'The platform is having trouble right now.', action: 'Nothing: it is tried again by itself. Try again shortly.' },
  platform_timeout: { status: 503, area: 'platform', message: 'The platform did not answer in time.', action: 'Nothing: it is tried again by itself.' },
  platform_unreachable: { status: 503, area: 'platform', message: 'The platform could not be reached.', action: 'Nothing: it is tried again by itself. Check the server\'s network if it lasts.' },
  refresh_outcome_unknown: { status: 503, area: 'platform', message: 'The platform did not answer a token renewal in time, and may have renewed the token anyway.', action: 'Nothing: the current access token is used until it expires, and only then is the renewal tried again. If the platform had renewed it, the account then asks to be reconnected.' },
  platform_rate_limited: { status: 503, area: 'platform', message: 'The platform asked us to slow down.', action: 'Nothing: it is tried again later by itself.' },
  billing_credits_depleted: { status: 503, area: 'platform', message: 'The platform refused because this server\'s developer account has no credits left (X: HTTP 402).', action: 'Nothing for the account owner: the operator tops up the platform\'s developer account (see /readyz).' },
  api_version_retired: { status: 503, area: 'platform', message: 'The platform no longer serves the API version this server calls.', action: 'Nothing for the account owner: the operator sets LINKEDIN_API_VERSION or META_GRAPH_VERSION to a supported version (see /readyz and docs/going-live.md).' },
  platform_not_configured: { status: 503, area: 'platform', message: 'This platform is not set up on this server.', action: 'The operator sets <PLATFORM>_CLIENT_ID and <PLATFORM>_CLIENT_SECRET (see docs/going-live.md).' },

  // --- the server -------------------------------------------------------------------------
  database_unavailable: { status: 503, area: 'server', message: 'The database is not reachable right now.', action: 'Try again in a few seconds; the operator checks /readyz.' },
  internal_error: { status: 500, area: 'server', message: 'Something went wrong on our side.', action: 'Try again; if it keeps failing, contact support with the time it happened.' },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERRORS;

/** Statuses whose answers always say when to try again (Retry-After). */
export const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}

/** The entry of a code; an unknown code (from a newer BFF) reads as a generic problem. */
export function errorEntry(code: string): ErrorEntry {
  return isErrorCode(code) ? ERRORS[code] : ERRORS.internal_error;
}

/** Where a code's entry lives in docs/errors.md: its heading is the code itself. */
export function errorAnchor(code: string): string {
  return code;
}
