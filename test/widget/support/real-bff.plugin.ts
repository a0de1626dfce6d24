import type { TestRunnerPlugin } from '@web/test-runner-core';
import type { Page } from 'puppeteer-core';
import { startTestServer, type TestServer } from '../../helpers/server.ts';

/**
 * Gives the widget's browser tests a real BFF with the sandbox platforms inside it (on
 * PGlite, or on PostgreSQL when DATABASE_URL is set), through @web/test-runner commands:
 * - `bff-session` `{ workspaceId, plan, accountLimit? }` -> `{ url, token }`: a workspace and an
 *   admin session in it;
 * - `sandbox-consent` `{ decision, user?, uncheck? }`: answers the consent page that the
 *   widget's pop-up opened, as a person would;
 * - `sandbox-revoke` `{ platform, platformAccountId }`: revokes a grant at the platform;
 * - `sandbox-clock` `{ advanceSeconds }`: moves the sandbox's clock (and so the BFF's) forward.
 * The BFF starts on the first command, so the fake-API tests never wait for it.
 */
export function realBffPlugin(options: { testPageOrigin: () => string }): TestRunnerPlugin {
  let server: Promise<TestServer> | null = null;
  const bff = () => (server ??= startTestServer({ config: { allowedOrigins: [options.testPageOrigin()] } }));

  return {
    name: 'real-bff',
    async executeCommand({ command, payload, session }) {
      if (command === 'bff-session') {
        const { workspaceId, plan, accountLimit } = payload as { workspaceId: string; plan: string; accountLimit?: number | null };
        const s = await bff();
        await s.putWorkspace(workspaceId, { plan, accountLimit: accountLimit ?? null });
        return { url: s.url, token: await s.session(workspaceId, 'admin') };
      }
      if (command === 'sandbox-consent') {
        const { decision, user, uncheck = [] } = payload as { decision: 'allow' | 'deny'; user?: string; uncheck?: string[] };
        const launcher = session.browser as unknown as { getPage(id: string): Page };
        const consentPage = await findPage(launcher.getPage(session.id), (url) => url.includes('/sandbox/'));
        await consentPage.waitForSelector('button[value=allow]');
        if (user) await consentPage.select('select[name=user]', user);
        for (const scope of uncheck) await consentPage.click(`input[name=scope][value="${scope}"]`);
        await consentPage.click(`button[value=${decision}]`);
        return true;
      }
      if (command === 'sandbox-revoke') {
        const s = await bff();
        const res = await fetch(`${s.sandboxUrl}/control/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
        if (!res.ok) throw new Error(`revoke failed: ${res.status} ${await res.text()}`);
        return true;
      }
      if (command === 'sandbox-clock') {
        const s = await bff();
        const res = await fetch(`${s.sandboxUrl}/control/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
        if (!res.ok) throw new Error(`clock failed: ${res.status} ${await res.text()}`);
        return true;
      }
      return undefined;
    },
    async serverStop() {
      if (server) await (await server).close();
    },
  };
}

/** The pop-up the test page opened, once it shows the page wanted. */
async function findPage(testPage: Page, wanted: (url: string) => boolean): Promise<Page> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const page of await testPage.browser().pages()) if (page !== testPage && wanted(page.url())) return page;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('No consent page opened within 10 s');
}
