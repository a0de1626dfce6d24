import type { AddressInfo } from 'node:net';
import http from 'node:http';
import type { Express } from 'express';
import { createSandbox, type Sandbox } from '../../bff/sandbox/index.ts';
import { createTestContext, type TestContext } from './context.ts';
import type { Config } from '../../bff/config.ts';
import type { CreateAppOptions } from '../../bff/app.ts';
import type { AppDeps } from '../../bff/services.ts';
import { consent } from './sandbox.ts';
import { answerClientErrorsAsJson } from '../../bff/http/client-error.ts';

export const HOST_ORIGIN = 'https://host.example';

/**
 * A BFF listening on loopback with the sandbox platforms inside it, as `npm start` runs:
 * OAuth redirects, token requests and API reads all go over real HTTP.
 */
export interface TestServer extends TestContext {
  url: string;
  sandbox: Sandbox;
  sandboxUrl: string;
}

export async function startTestServer(
  options: {
    config?: Partial<Config>;
    deps?: Partial<AppDeps>;
    /** Sees every request and its response before the app does (tests that record what the BFF sends). */
    onRequest?: (req: http.IncomingMessage, res: http.ServerResponse) => void;
    /** What the app serves beside the API (the example page, the widget bundle, the demo routes). */
    app?: CreateAppOptions;
  } = {},
): Promise<TestServer> {
  let handler: Express | undefined;
  const server = http.createServer((req, res) => {
    options.onRequest?.(req, res);
    if (handler) handler(req, res);
    else res.writeHead(503).end();
  });
  answerClientErrorsAsJson(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let sandbox: Sandbox | undefined;
  const ctx = await createTestContext({
    config: { publicUrl: url, allowedOrigins: [url, HOST_ORIGIN], ...options.config },
    deps: { ...options.deps },
    ...(options.app ? { app: options.app } : {}),
    beforeApp: (clock) => {
      sandbox = createSandbox({ clock });
      return { sandbox };
    },
  });
  handler = ctx.app;
  return {
    ...ctx,
    url,
    sandbox: sandbox!,
    sandboxUrl: `${url}/sandbox`,
    close: async () => {
      sandbox!.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ctx.close();
    },
  };
}

/** A browser's cookies for one origin: enough to carry the OAuth binding cookie. */
export class Browser {
  readonly cookies = new Map<string, string>();

  async get(url: string | URL): Promise<Response> {
    return this.send(url, {});
  }

  /**
   * Submits an HTML form (application/x-www-form-urlencoded) as a page on `origin` would:
   * browsers send the page's Origin with every form POST (`null` from an opaque origin).
   */
  async post(url: string | URL, fields: Record<string, string>, origin: string | null = HOST_ORIGIN): Promise<Response> {
    return this.send(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(origin === null ? {} : { Origin: origin }) },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** What the widget does with a start answer: posts `fields` to `authorizeUrl` from the host page. */
  async start(started: { authorizeUrl: string; fields: Record<string, string> }, origin: string = HOST_ORIGIN): Promise<Response> {
    return this.post(started.authorizeUrl, started.fields, origin);
  }

  private async send(url: string | URL, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, ...(cookie ? { cookie } : {}) } });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = pair!.split('=');
      const expired = attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value.join('='));
    }
    return res;
  }
}

export interface OAuthResult {
  source: string;
  type: string;
  attemptId: string;
  status: 'pending' | 'choose' | 'connected' | 'failed';
  choices?: { id: string; name: string; kind: string; avatarUrl: string | null; alreadyConnected: boolean }[];
  accountIds?: string[];
  error?: { code: string; message: string };
}

/** Reads the result the callback page would post to the opener. */
export function callbackResult(html: string): { message: OAuthResult; targetOrigins: string[] } {
  const json = /<script type="application\/json" id="cp-oauth-result">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (!json) throw new Error(`no result on the callback page: ${html.slice(0, 300)}`);
  return JSON.parse(json);
}

/**
 * Goes through a whole connection as a person in a browser would: the widget's start call,
 * the authorize URL (binding cookie), the sandbox consent page, and the callback.
 */
export async function connectAccount(
  server: TestServer,
  token: string,
  options: { platform?: string; kind?: string; reconnect?: string; user?: string; scopes?: string[]; decision?: 'allow' | 'deny'; browser?: Browser; mode?: 'popup' | 'redirect'; returnTo?: string } = {},
): Promise<{ attemptId: string; result: OAuthResult; targetOrigins: string[]; callbackUrl: URL; callback: Response; browser: Browser }> {
  const browser = options.browser ?? new Browser();
  const path = options.reconnect ? `/api/accounts/${options.reconnect}/reconnect` : '/api/connections';
  const body = { ...(options.reconnect ? {} : { platform: options.platform ?? 'facebook', ...(options.kind ? { kind: options.kind } : {}) }), ...(options.mode ? { mode: options.mode } : {}), ...(options.returnTo ? { returnTo: options.returnTo } : {}) };
  const started = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Origin: HOST_ORIGIN },
    body: JSON.stringify(body),
  });
  const startBody = (await started.json()) as { attemptId: string; authorizeUrl: string; fields: Record<string, string>; error?: unknown };
  if (started.status !== 201) throw new Error(`start failed: ${started.status} ${JSON.stringify(startBody)}`);
  const toPlatform = await browser.start(startBody);
  if (toPlatform.status !== 302) throw new Error(`authorize URL answered ${toPlatform.status}: ${await toPlatform.text()}`);
  const callbackUrl = await consent(toPlatform.headers.get('location')!, { user: options.user, scopes: options.scopes, decision: options.decision });
  const callback = await browser.get(callbackUrl);
  if (callback.status === 302) {
    return { attemptId: startBody.attemptId, result: { source: '', type: '', attemptId: startBody.attemptId, status: 'pending' }, targetOrigins: [], callbackUrl, callback, browser };
  }
  const { message, targetOrigins } = callbackResult(await callback.text());
  return { attemptId: startBody.attemptId, result: message, targetOrigins, callbackUrl, callback, browser };
}
