import express, { Router, type Response } from 'express';
import * as api from '../../contract/api.ts';
import { ERRORS } from '../../contract/errors.ts';
import { isLivePlatform, type LivePlatform } from '../../contract/platforms.ts';
import type { Config } from '../config.ts';
import type { AccountRepository } from '../accounts/account.repository.ts';
import type { CallbackOutcome, ConnectionService } from '../connections/connection.service.ts';
import { bindBrowser, type LinkResultPage } from '../connections/oauth.routes.ts';
import { Failure, isFailure } from '../errors.ts';
import { sessionOf } from '../http/auth.ts';
import { sendPage } from '../http/page.ts';
import { routes, type Routes } from '../http/route.ts';
import type { LinkRepository } from './link.repository.ts';
import { renderLinkPage, renderLinkRefused, renderLinkResult } from './link.pages.ts';
import type { LinkService } from './link.service.ts';
import type { WorkspaceService } from '../workspaces/workspace.service.ts';

/** Host API: make reconnect and connect links, list them. */
export function hostLinkRoutes(links: LinkService, into: Routes): Routes {
  into.add(api.createReconnectLink, async ({ params, body }) => {
    links.returnTo(body.returnTo);
    return { status: 201, body: await links.reconnectLink(params.accountId, null, body) };
  });
  into.add(api.createConnectLink, async ({ params, body }) => {
    links.returnTo(body.returnTo);
    return { status: 201, body: await links.connectLink(params.workspaceId, body) };
  });
  into.add(api.listLinks, async ({ params }) => ({ status: 200, body: await links.list(params.workspaceId) }));
  return into;
}

/** Widget API: an admin copies an account's reconnect link. */
export function widgetLinkRoutes(links: LinkService, into: Routes): Routes {
  into.add(api.createAccountReconnectLink, async ({ params, body, res }) => {
    const session = sessionOf(res);
    links.returnTo(body.returnTo);
    if (session.role !== 'admin') throw new Failure('admin_only');
    return { status: 201, body: await links.reconnectLink(params.accountId, session.workspaceId, body) };
  });
  return into;
}

/** Where the link pages' forms may go: our own origin, then the platforms' consent pages. */
function formAction(config: Config): string {
  const sources = new Set(["'self'", 'https:']);
  for (const url of [config.sandboxUrl, config.publicUrl]) if (url) sources.add(new URL(url).origin);
  return [...sources].join(' ');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface LinkPageDeps {
  links: LinkService;
  linkRepository: LinkRepository;
  connections: ConnectionService;
  accountRepository: AccountRepository;
  workspaces: WorkspaceService;
  config: Config;
}

/** The pages a person opens from a link, in any browser, without a login. */
export function linkPageRoutes(deps: LinkPageDeps): Router {
  const { links, connections, config } = deps;
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '8kb' }));
  const into = routes('/links', router);
  const action = formAction(config);
  const ownOrigins = new Set([new URL(config.publicUrl).origin, ...config.allowedOrigins]);

  const refused = (res: Response, err: unknown) => {
    if (!isFailure(err)) throw err;
    const status = ERRORS[err.code].status >= 400 ? ERRORS[err.code].status : 400;
    sendPage(res, status, renderLinkRefused(err.code, err.message));
  };
  const open = (id: string, signature: string | undefined) => {
    if (!UUID.test(id) || !signature) throw new Failure('link_not_found');
    return links.open(id.toLowerCase(), signature);
  };

  into.add(api.openLink, async ({ params, query, res }) => {
    try {
      const link = await open(params.linkId, query.s);
      sendPage(res, 200, renderLinkPage(link, query.s!), { formAction: action, referrerPolicy: 'same-origin' });
    } catch (err) {
      refused(res, err);
    }
  });

  into.add(api.continueLink, async ({ params, body, req, res }) => {
    try {
      const origin = req.headers.origin;
      if (typeof origin !== 'string' || !ownOrigins.has(origin)) {
        throw new Failure('start_not_allowed', 'Continue only works from the link’s own page. Open the link you were sent and press Continue there.');
      }
      const link = await open(params.linkId, body.s);
      const platform = (body.platform ?? (link.platforms.length === 1 ? link.platforms[0] : undefined)) as string | undefined;
      if (!platform || !isLivePlatform(platform) || !link.platforms.includes(platform)) throw new Failure('unknown_platform', 'Choose one of the platforms on the page.');
      const started = await connections.startFromLink(link.link, platform as LivePlatform);
      bindBrowser(res, config, started.attemptId, started.bindingSecret);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.redirect(303, started.platformUrl.href);
    } catch (err) {
      refused(res, err);
    }
  });

  into.add(api.selectFromLink, async ({ params, body, res }) => {
    try {
      const link = await open(params.linkId, body.s);
      const ids = body.ids === undefined ? [] : Array.isArray(body.ids) ? body.ids : [body.ids];
      if (ids.length === 0) throw new Failure('invalid_choice', 'Choose at least one account.');
      if (!body.attempt) throw new Failure('attempt_not_found', 'This choice does not belong to a sign-in in progress. Open the link again.');
      const { accountIds } = await connections.selectFromLink(link.link, body.attempt, ids);
      const names = await accountNames(deps, accountIds);
      sendPage(res, 200, renderLinkResult({ status: 'connected', workspace: link.workspace.name ?? link.workspace.id, names, returnTo: link.link.return_to }));
    } catch (err) {
      refused(res, err);
    }
  });

  return router;
}

async function accountNames(deps: Pick<LinkPageDeps, 'accountRepository'>, ids: readonly string[]): Promise<string[]> {
  const names: string[] = [];
  for (const id of ids) {
    const row = await deps.accountRepository.findById(id);
    if (row) names.push(row.display_name);
  }
  return names;
}

/** The page a link's sign-in ends on: done, the choice, or why not (nothing changed). */
export function linkResultPage(deps: LinkPageDeps): LinkResultPage {
  return async (outcome: CallbackOutcome) => {
    const link = await deps.linkRepository.findById(outcome.linkId!);
    const workspace = link ? await deps.workspaces.require(link.workspace_id).catch(() => null) : null;
    const base = { workspace: workspace?.name ?? workspace?.id ?? '', names: [] as string[], returnTo: link?.return_to ?? null };
    const r = outcome.result;
    if (r.status === 'connected') return { status: 200, html: renderLinkResult({ ...base, status: 'connected', names: await accountNames(deps, r.accountIds) }) };
    if (r.status === 'choose' && link) {
      return {
        status: 200,
        formAction: "'self'",
        html: renderLinkResult({ ...base, status: 'choose', choose: { linkId: link.id, signature: deps.links.signature(link.id), attemptId: r.attemptId, choices: r.choices ?? [] } }),
      };
    }
    const error = r.status === 'failed' ? r.error : { code: 'internal_error', message: 'The sign-in did not finish.' };
    return { status: 200, html: renderLinkResult({ ...base, status: 'failed', error }) };
  };
}
