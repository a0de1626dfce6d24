import express, { Router, type RequestHandler, type Response } from 'express';
import cookieParser from 'cookie-parser';
import * as api from '../../contract/api.ts';
import { ERRORS } from '../../contract/errors.ts';
import { RETURN_PARAMS } from '../../contract/oauth.ts';
import type { Config } from '../config.ts';
import { routes } from '../http/route.ts';
import { escapeHtml, renderPage, sendPage } from '../http/page.ts';
import { CALLBACK_PAGE_CSP, CALLBACK_SCRIPT, renderCallbackPage } from './callback-page.ts';
import { ATTEMPT_TTL_MS, type CallbackOutcome, type ConnectionService } from './connection.service.ts';

const COOKIE_PREFIX = 'cp_oauth_';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The browser's side of OAuth: the authorize URL the widget opens (binds the browser to the
 * attempt with an httpOnly cookie, then sends it to the platform) and the platform's callback.
 */
function bindingCookieOptions(config: Config) {
  const publicUrl = new URL(config.publicUrl);
  const cookiePath = `${publicUrl.pathname.replace(/\/$/, '')}/oauth`;
  return { httpOnly: true, secure: publicUrl.protocol === 'https:', sameSite: 'lax' as const, path: cookiePath };
}

/** Binds this browser to an attempt: the callback refuses any browser without this cookie. */
export function bindBrowser(res: Response, config: Config, attemptId: string, bindingSecret: string): void {
  res.cookie(`${COOKIE_PREFIX}${attemptId}`, bindingSecret, { ...bindingCookieOptions(config), maxAge: ATTEMPT_TTL_MS });
}

/** The page a link's sign-in ends on (bff/links), instead of the widget's callback page. */
export type LinkResultPage = (outcome: CallbackOutcome) => Promise<{ status: number; html: string; formAction?: string }>;

export function oauthRoutes(connections: ConnectionService, config: Config, linkResult?: LinkResultPage): Router {
  const router = Router();
  const into = routes('/oauth', router);
  const cookieOptions = bindingCookieOptions(config);

  router.use(cookieParser());

  // The start is a form POST from a page on an allowed origin (the widget's pop-up or the page
  // itself). A link opened in another browser (GET), or a form posted from anywhere else
  // (foreign, missing or `null` Origin), binds nothing and spends nothing: the secret alone is
  // never enough, so a start link sent to a victim cannot put their account in the sender's
  // workspace.
  const startOrigins = new Set([...config.allowedOrigins, new URL(config.publicUrl).origin]);
  const fromAllowedOrigin: RequestHandler = (req, res, next) => {
    const origin = req.headers.origin;
    if (typeof origin === 'string' && startOrigins.has(origin)) return next();
    req.log?.warn({ origin: typeof origin === 'string' ? origin.slice(0, 200) : null }, 'start form refused: not from an allowed origin');
    sendPage(res, 403, startRefusedPage('form'));
  };
  const startForm = express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 10, type: 'application/x-www-form-urlencoded' });

  into.add(
    api.submitStartForm,
    async ({ params, body, res }) => {
      const { attemptId } = params;
      const { platformUrl, bindingSecret } = await connections.openStart(attemptId, body.t);
      bindBrowser(res, config, attemptId, bindingSecret);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.redirect(302, platformUrl.href);
    },
    fromAllowedOrigin,
    startForm,
  );

  into.add(api.startLinkPage, async ({ res }) => {
    res.setHeader('Allow', 'POST');
    sendPage(res, 405, startRefusedPage('link'));
  });

  into.add(api.getCallbackScript, async ({ res }) => {
    res.type('text/javascript').setHeader('Cache-Control', 'public, max-age=300');
    res.send(CALLBACK_SCRIPT);
  });

  into.add(api.oauthCallback, async ({ params, req, res }) => {
    const query = new URL(req.originalUrl, 'http://callback.invalid').searchParams;
    const bindings: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.cookies ?? {})) {
      const attemptId = name.slice(COOKIE_PREFIX.length);
      // Cookie names come from the browser: only well-formed attempt ids are looked up.
      if (name.startsWith(COOKIE_PREFIX) && UUID.test(attemptId) && typeof value === 'string') bindings[attemptId.toLowerCase()] = value;
    }
    const outcome = await connections.callback(params.platform, query, bindings);
    if (outcome.attemptId) res.clearCookie(`${COOKIE_PREFIX}${outcome.attemptId}`, cookieOptions);
    if (outcome.linkId && linkResult) {
      const page = await linkResult(outcome);
      sendPage(res, page.status, page.html, page.formAction ? { formAction: page.formAction, referrerPolicy: 'same-origin' } : {});
      return;
    }
    respond(res, outcome, config);
  });

  return router;
}

function respond(res: Response, outcome: CallbackOutcome, config: Config): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  const back = outcome.returnTo ?? `${config.publicUrl}/`;
  if (outcome.mode === 'redirect' && outcome.attemptId) {
    const url = new URL(back);
    url.searchParams.set(RETURN_PARAMS.attempt, outcome.result.attemptId);
    url.searchParams.set(RETURN_PARAMS.status, outcome.result.status);
    res.redirect(302, url.href);
    return;
  }
  const targetOrigins = outcome.openerOrigin ? [outcome.openerOrigin] : config.allowedOrigins;
  const status = outcome.result.status === 'failed' && !outcome.attemptId ? 400 : 200;
  res.setHeader('Content-Security-Policy', CALLBACK_PAGE_CSP);
  res
    .status(status)
    .type('html')
    .send(renderCallbackPage({ result: outcome.result, targetOrigins, scriptUrl: `${config.publicUrl}/oauth/callback.js`, backUrl: back }));
}

/** Why a start was refused, for the person who opened it: nothing happened, and what to do. */
function startRefusedPage(how: 'link' | 'form'): string {
  const { message, action } = ERRORS.start_not_allowed;
  const what =
    how === 'link'
      ? 'This sign-in address was opened as a link. A connection starts only when you press Connect or Reconnect on the connections page of your app.'
      : 'This sign-in was not sent by the connections page of an app we work with.';
  return renderPage({
    title: 'Nothing was connected',
    body: [
      '<h1>Nothing was connected</h1>',
      `<p>${escapeHtml(what)}</p>`,
      `<p>${escapeHtml(message)} ${escapeHtml(action)}</p>`,
      '<p class="muted">If someone sent you this link and asked you to sign in, they may be trying to get access to your account: do not sign in for them.</p>',
      '<p class="muted">Error code <code>start_not_allowed</code>.</p>',
    ].join('\n'),
  });
}
