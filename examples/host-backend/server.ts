/**
 * A host backend: an Express app of its own (its users, its pages) that mounts the BFF as a
 * router under /connections and mints widget sessions for whoever is signed in.
 *
 *   npm run example:host-backend      # builds the widget, then runs this on http://localhost:3100/
 *   npm run example:react             # the same backend serving examples/react's built page at /
 *   npm run example:vue               # ... and examples/vue's
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import express, { type Request } from 'express';
import cookieParser from 'cookie-parser';
// The package's own export, as a host that installed connections-panel imports it.
import { ConfigError, createBff, type Bff, type DatabaseHandle, type Logger, type Role, type Services } from 'connections-panel/bff';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The host's own users. A real app has a login; here a cookie says who you are. */
export const USERS: Record<string, { name: string; workspaceId: string; role: Role }> = {
  alice: { name: 'Alice', workspaceId: 'acme', role: 'admin' },
  bob: { name: 'Bob', workspaceId: 'acme', role: 'member' },
};
const USER_COOKIE = 'host_user';
/** The session a page gets lasts 15 minutes; the widget asks again (panel.session is a function). */
const SESSION_TTL_SECONDS = 900;

export interface HostBackendOptions {
  /** Environment (PORT, PUBLIC_URL, DATABASE_URL, DATA_DIR, ...); defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** An already migrated database (tests); otherwise DATABASE_URL or PGlite in DATA_DIR. */
  database?: DatabaseHandle;
  logger?: Logger;
  /** Where the built widget is (dist/ by default, from npm run build). */
  widgetDir?: string;
  /**
   * A built single-page app (its index.html and assets) to serve at / instead of the built-in
   * page: examples/react/dist, examples/vue/dist. /login, /logout, /my/* and /connections stay.
   */
  pageDir?: string;
}

export interface HostBackend {
  url: string;
  bff: Bff;
  services: Services;
  close(): Promise<void>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(user: { id: string; name: string; role: Role } | null, bffUrl: string): string {
  const switcher = Object.entries(USERS)
    .map(([id, u]) => `<a href="/login?as=${id}">${escapeHtml(u.name)} (${u.role})</a>`)
    .join(' · ');
  const body = user
    ? `<p>Signed in as <strong>${escapeHtml(user.name)}</strong> (${user.role}). Switch: ${switcher} · <a href="/logout">sign out</a></p>
    <connections-panel bff-url="${escapeHtml(bffUrl)}" composer-url="/compose" support-url="/support" upgrade-url="/plans"></connections-panel>
    <script type="module">
      // The widget asks for a session whenever it needs one; the host backend mints it for the signed-in user.
      document.querySelector('connections-panel').session = async () => {
        const res = await fetch('/my/connections-session', { credentials: 'same-origin' });
        if (!res.ok) throw new Error('Not signed in');
        return (await res.json()).token;
      };
    </script>`
    : `<p>Sign in as ${switcher}.</p>`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Acme · connections</title>
    <script type="module" src="/assets/connections-panel.js"></script>
    <style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}</style>
  </head>
  <body>
    <h1>Acme · social accounts</h1>
    ${body}
  </body>
</html>
`;
}

/** Builds and starts the host backend; resolves once it listens. */
export async function startHostBackend(options: HostBackendOptions = {}): Promise<HostBackend> {
  const env = options.env ?? process.env;

  // Listen first, so PUBLIC_URL can name the real port when PORT is 0.
  let handler: express.Express | undefined;
  const server = http.createServer((req, res) => (handler ? handler(req, res) : res.writeHead(503).end()));
  const port = Number(env.PORT ?? 3100);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;

  // The BFF lives under /connections: its OAuth callbacks and sandbox are there too.
  const bff = await createBff({
    env: { DATA_DIR: path.join(root, '.data', 'host-backend'), ...env, PUBLIC_URL: env.PUBLIC_URL ?? `${url}/connections` },
    ...(options.database ? { database: options.database } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const { config, services } = bff;

  // The host's workspace. A real host creates workspaces when its customers sign up (PUT /v1/workspaces/:id).
  for (const workspaceId of new Set(Object.values(USERS).map((u) => u.workspaceId))) {
    const existing = await services.workspaces.require(workspaceId).catch(() => null);
    if (!existing) await services.workspaces.put({ id: workspaceId, name: 'Acme', plan: 'professional', accountLimit: null });
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use('/connections', bff.router);

  app.use(cookieParser());
  const signedIn = (req: Request) => {
    const id = req.cookies?.[USER_COOKIE] as string | undefined;
    const user = id !== undefined && Object.hasOwn(USERS, id) ? USERS[id] : undefined;
    return user ? { id: id!, ...user } : null;
  };
  app.get('/login', (req, res) => {
    const id = typeof req.query.as === 'string' ? req.query.as : '';
    if (!Object.hasOwn(USERS, id)) {
      res.status(400).type('text').send('Unknown user.');
      return;
    }
    res.cookie(USER_COOKIE, id, { httpOnly: true, sameSite: 'lax', path: '/' });
    res.redirect(302, '/');
  });
  app.get('/logout', (_req, res) => {
    res.clearCookie(USER_COOKIE, { path: '/' });
    res.redirect(302, '/');
  });
  /** The widget's session, for the signed-in user only: never hand the host API key to a browser. */
  app.get('/my/connections-session', async (req, res) => {
    const user = signedIn(req);
    res.setHeader('Cache-Control', 'no-store');
    if (!user) {
      res.status(401).json({ error: { code: 'not_signed_in', message: 'Sign in first.' } });
      return;
    }
    const { token, session } = await services.sessions.issue({ workspaceId: user.workspaceId, userId: user.id, role: user.role, ttlSeconds: SESSION_TTL_SECONDS });
    res.json({ token, expiresAt: session.expiresAt.toISOString() });
  });
  /** Who is signed in, for a page that renders itself in the browser (the React and Vue examples). */
  app.get('/my/user', (req, res) => {
    const user = signedIn(req);
    res.setHeader('Cache-Control', 'no-store');
    if (!user) {
      res.status(401).json({ error: { code: 'not_signed_in', message: 'Sign in first.' } });
      return;
    }
    res.json({ user: { id: user.id, name: user.name, role: user.role } });
  });
  if (options.pageDir) {
    const pageDir = path.resolve(options.pageDir);
    app.get('/', (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile('index.html', { root: pageDir });
    });
    app.use(express.static(pageDir, { index: false, maxAge: '5m' }));
  } else {
    app.get('/', (req, res) => {
      res.type('html').send(page(signedIn(req), config.publicUrl));
    });
  }
  app.use('/assets', express.static(options.widgetDir ?? path.join(root, 'dist'), { index: false, maxAge: '5m' }));
  handler = app;
  await bff.start();

  return {
    url,
    bff,
    services,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bff.stop();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // --page <dir>: serve a built single-page app at / (npm run example:react, npm run example:vue).
  const { values } = parseArgs({ options: { page: { type: 'string' } } });
  const backend = await startHostBackend(values.page ? { pageDir: values.page } : {}).catch((err: unknown) => {
    console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
    process.exit(1);
  });
  console.log(`\n  Host backend with the BFF mounted at /connections: open ${backend.url}/\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    backend.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
