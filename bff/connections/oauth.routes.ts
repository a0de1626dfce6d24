import { Router, type Response } from 'express';
import cookieParser from 'cookie-parser';
import * as api from '../../contract/api.ts';
import { RETURN_PARAMS } from '../../contract/oauth.ts';
import type { Config } from '../config.ts';
import { routes } from '../http/route.ts';
import { sendPage } from '../http/page.ts';
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

  into.add(api.openAuthorizeUrl, async ({ params, query, res }) => {
    const { attemptId } = params;
    const { platformUrl, bindingSecret } = await connections.openStart(attemptId, query.t);
    bindBrowser(res, config, attemptId, bindingSecret);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.redirect(302, platformUrl.href);
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
