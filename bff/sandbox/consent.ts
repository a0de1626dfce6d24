/**
 * The authorize endpoint every platform shares: validates the request the way the platform
 * does, shows a plain consent form (GET) and, on its submission (POST to the same URL, the
 * authorize parameters staying in the query string), redirects back with a code or the
 * platform's denial parameters. Platform files describe their flow with an AuthorizeFlow.
 */
import type { Request, Response, Router } from 'express';
import { escapeHtml, htmlErrorPage, htmlPage, sendHtml } from './errors.ts';
import { param, queryParams, sandboxBase, splitScopes, type RedirectPolicy } from './oauth.ts';
import type { SandboxClient } from './seed.ts';
import type { CodeRecord, FlowId, SandboxStore } from './state.ts';

export interface ConsentUser {
  id: string;
  name: string;
  /** A second line to tell similar users apart, e.g. "@handle, 3 Pages". */
  detail: string;
}

export type QueryPairs = Array<[string, string | undefined]>;

export interface AuthorizeFlow {
  flow: FlowId;
  /** Page title and heading, e.g. "Sandbox Facebook". */
  title: string;
  client: SandboxClient;
  /** Further apps registered on the same platform (LinkedIn's Community Management app). */
  otherClients?: readonly SandboxClient[];
  /**
   * The scopes the products of this app allow, when an app may not ask for every scope the
   * platform knows; a request beyond them answers `unauthorizedScope` at the redirect.
   */
  appScopes?(clientId: string): readonly string[];
  /** The error code for a scope the app's products do not allow (LinkedIn `unauthorized_scope_error`). */
  unauthorizedScope?: string;
  /** TikTok calls it client_key. */
  clientIdParam: 'client_id' | 'client_key';
  scopeSeparator: ',' | ' ';
  /** Every scope the platform knows, with what it allows (shown beside its checkbox). */
  scopes: Readonly<Record<string, string>>;
  /** Scopes granted when none are requested (Facebook's public_profile); unset: none is an error. */
  defaultScopes?: readonly string[];
  /** Unknown scopes: `page` shows an error page (Meta), otherwise the error code put in the redirect. */
  invalidScope: 'page' | string;
  pkce: 'required-s256' | 'optional' | 'ignored';
  /** LinkedIn grants every requested scope or none: the checkboxes are ignored. */
  allOrNothing: boolean;
  codeTtlSeconds: number;
  users: readonly ConsentUser[];
  /** Query parameters of the success redirect; default `code` and `state`. */
  successParams?(code: CodeRecord, state: string | undefined): QueryPairs;
  /** Appended to the success redirect (Facebook `#_=_`, Instagram `#_`). */
  successFragment?: string;
  /** The platform's exact parameters when the user clicks Deny. */
  denyParams(state: string | undefined): QueryPairs;
  /** Other errors at the redirect; default `error`, `error_description`, `state`. */
  errorParams?(error: string, description: string, state: string | undefined): QueryPairs;
  /** A line shown on the consent page about this platform's rules. */
  note?: string;
}

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  scopes: string[];
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain' | null;
  nonce: string | null;
}

type Parsed =
  | { kind: 'ok'; request: AuthorizeRequest }
  | { kind: 'page'; message: string }
  | { kind: 'redirect'; location: string };

const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export function mountAuthorize(router: Router, path: string, flow: AuthorizeFlow, store: SandboxStore, redirects: RedirectPolicy): void {
  const parseAuthorizeRequest = (flow: AuthorizeFlow, req: Request, res: Response): Parsed => {
    const parsed = parseRequest(flow, req);
    // Like a real platform, only redirect URIs registered with the app: never an open redirect.
    if (parsed.kind !== 'page' && !redirects(param(queryParams(req), 'redirect_uri') ?? '', sandboxBase(res))) {
      return { kind: 'page', message: 'redirect_uri is not registered with this app: the sandbox only sends people back to the BFF it serves.' };
    }
    return parsed;
  };
  router.get(path, (req, res) => {
    const parsed = parseAuthorizeRequest(flow, req, res);
    if (parsed.kind === 'ok') sendHtml(res, 200, consentPage(flow, parsed.request, req.originalUrl));
    else answerFailure(flow, parsed, res);
  });

  router.post(path, (req, res) => {
    const parsed = parseAuthorizeRequest(flow, req, res);
    if (parsed.kind !== 'ok') return answerFailure(flow, parsed, res);
    const { request } = parsed;
    const body = req.is('application/x-www-form-urlencoded') ? (req.body as Record<string, unknown>) : {};
    const user = flow.users.find((u) => u.id === param(body, 'user'));
    const decision = param(body, 'decision');
    if (!user || (decision !== 'allow' && decision !== 'deny')) {
      return sendHtml(res, 400, htmlErrorPage(flow.title, 'Choose a sandbox user and press Allow or Deny.'));
    }
    if (decision === 'deny') {
      return res.redirect(302, withQuery(request.redirectUri, flow.denyParams(request.state)));
    }
    const checked = new Set(listOf(body['scope']));
    const granted = flow.allOrNothing ? request.scopes : request.scopes.filter((scope) => checked.has(scope));
    const code = store.createCode({
      flow: flow.flow,
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      userId: user.id,
      scopes: granted,
      declinedScopes: request.scopes.filter((scope) => !granted.includes(scope)),
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      nonce: request.nonce,
      ttlSeconds: flow.codeTtlSeconds,
    });
    const params = flow.successParams?.(code, request.state) ?? [
      ['code', code.code],
      ['state', request.state],
    ];
    res.redirect(302, withQuery(request.redirectUri, params) + (flow.successFragment ?? ''));
  });
}

function answerFailure(flow: AuthorizeFlow, parsed: Exclude<Parsed, { kind: 'ok' }>, res: Response): void {
  if (parsed.kind === 'page') sendHtml(res, 400, htmlErrorPage(flow.title, parsed.message));
  else res.redirect(302, parsed.location);
}

function parseRequest(flow: AuthorizeFlow, req: Request): Parsed {
  const query = queryParams(req);
  const clientId = param(query, flow.clientIdParam);
  if (clientId === undefined) return { kind: 'page', message: `Missing ${flow.clientIdParam}.` };
  if (![flow.client, ...(flow.otherClients ?? [])].some((c) => c.clientId === clientId)) {
    return { kind: 'page', message: `Invalid ${flow.clientIdParam}: ${clientId} is not an app registered with ${flow.title}.` };
  }
  const redirectUri = param(query, 'redirect_uri');
  if (redirectUri === undefined) return { kind: 'page', message: 'Missing redirect_uri.' };
  if (!isRedirectUri(redirectUri)) {
    return { kind: 'page', message: 'redirect_uri must be an absolute http(s) URL without a fragment.' };
  }
  const state = param(query, 'state');
  const fail = (error: string, description: string): Parsed => ({
    kind: 'redirect',
    location: withQuery(redirectUri, errorParams(flow, error, description, state)),
  });

  const responseType = param(query, 'response_type');
  if (responseType !== undefined && responseType !== 'code') {
    return fail('unsupported_response_type', `response_type ${responseType} is not supported.`);
  }

  let scopes = splitScopes(param(query, 'scope'), flow.scopeSeparator);
  if (scopes.length === 0) scopes = [...(flow.defaultScopes ?? [])];
  const unknown = scopes.filter((scope) => !Object.hasOwn(flow.scopes, scope));
  if (scopes.length === 0 || unknown.length > 0) {
    const message =
      scopes.length === 0
        ? 'No scope was requested.'
        : `Invalid scopes: ${unknown.join(', ')}. Scopes are separated by "${flow.scopeSeparator === ',' ? ',' : ' '}".`;
    return flow.invalidScope === 'page' ? { kind: 'page', message } : fail(flow.invalidScope, message);
  }
  const allowed = flow.appScopes?.(clientId);
  const unauthorized = allowed ? scopes.filter((scope) => !allowed.includes(scope)) : [];
  if (unauthorized.length > 0) {
    return fail(flow.unauthorizedScope ?? flow.invalidScope, `Scope "${unauthorized.join(', ')}" is not authorized for your application`);
  }

  let codeChallenge: string | null = null;
  let codeChallengeMethod: 'S256' | 'plain' | null = null;
  if (flow.pkce !== 'ignored') {
    const challenge = param(query, 'code_challenge');
    const method = param(query, 'code_challenge_method');
    if (flow.pkce === 'required-s256' && (challenge === undefined || method !== 'S256' || !S256_CHALLENGE.test(challenge))) {
      return fail('invalid_request', 'code_challenge with code_challenge_method=S256 is required.');
    }
    if (challenge !== undefined) {
      if (method !== undefined && method !== 'S256' && method !== 'plain') {
        return fail('invalid_request', `code_challenge_method ${method} is not supported.`);
      }
      codeChallenge = challenge;
      codeChallengeMethod = method === 'S256' ? 'S256' : 'plain';
    }
  }

  return {
    kind: 'ok',
    request: { clientId, redirectUri, state, scopes, codeChallenge, codeChallengeMethod, nonce: param(query, 'nonce') ?? null },
  };
}

function errorParams(flow: AuthorizeFlow, error: string, description: string, state: string | undefined): QueryPairs {
  return (
    flow.errorParams?.(error, description, state) ?? [
      ['error', error],
      ['error_description', description],
      ['state', state],
    ]
  );
}

function isRedirectUri(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !value.includes('#');
  } catch {
    return false;
  }
}

/** Appends parameters to a redirect URI (keeping its own query); undefined values are left out. */
export function withQuery(uri: string, params: QueryPairs): string {
  const url = new URL(uri);
  for (const [name, value] of params) if (value !== undefined) url.searchParams.append(name, value);
  return url.toString();
}

function listOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function consentPage(flow: AuthorizeFlow, request: AuthorizeRequest, action: string): string {
  const returnTo = new URL(request.redirectUri);
  const users = flow.users
    .map(
      (user, i) =>
        `<option value="${escapeHtml(user.id)}"${i === 0 ? ' selected' : ''}>` +
        `${escapeHtml(user.name)} (${escapeHtml(user.detail)})</option>`,
    )
    .join('\n');
  const scopes = request.scopes
    .map(
      (scope, i) =>
        `<div><input type="checkbox" name="scope" value="${escapeHtml(scope)}" id="scope-${i}" checked> ` +
        `<label for="scope-${i}"><code>${escapeHtml(scope)}</code>: ${escapeHtml(flow.scopes[scope] ?? '')}</label></div>`,
    )
    .join('\n');
  const note = flow.note ? `<p class="note">${escapeHtml(flow.note)}</p>\n` : '';
  return htmlPage(
    flow.title,
    `<h1>${escapeHtml(flow.title)}</h1>
<p>This is a sandbox: no real account is involved. The app <strong>${escapeHtml(request.clientId)}</strong>
asks for access to your account. You will return to <code>${escapeHtml(returnTo.origin + returnTo.pathname)}</code>.</p>
<form method="post" action="${escapeHtml(action)}">
<p><label for="user">Continue as</label><br>
<select name="user" id="user">
${users}
</select></p>
<fieldset><legend>Permissions</legend>
${scopes}
</fieldset>
${note}<p><button name="decision" value="allow">Allow</button> <button name="decision" value="deny">Deny</button></p>
</form>`,
  );
}
