// The host's side of the example page. A real host mints the session in its own backend
// (POST /v1/sessions with its host API key); this demo asks the BFF's development-only
// /demo/session instead. Everything else is the widget's own doing.
const bff = window.location.origin;
const panel = document.getElementById('panel');
const summary = document.getElementById('summary');
const toolStatus = document.getElementById('tool-status');

async function session() {
  const res = await fetch(`${bff}/demo/session`, { method: 'POST' });
  if (!res.ok) throw new Error(`No demo session (HTTP ${res.status}): the demo runs on the embedded database only.`);
  return (await res.json()).token;
}

for (const element of [panel, summary]) {
  element.setAttribute('bff-url', bff);
  element.session = session;
}
summary.setAttribute('panel-url', window.location.pathname);

async function api(path) {
  const res = await fetch(`${bff}${path}`, { headers: { Authorization: `Bearer ${await session()}` } });
  return res.json();
}
const accounts = async () => (await api('/api/accounts')).accounts ?? [];

/**
 * The plan selector shows the workspace's plan after a reload too. The demo has no endpoint
 * that names the plan, so it reads it from what the plan allows (the demo sets the plans'
 * default limits): paid platforms, and the account limit.
 */
async function showPlan() {
  const { platforms, accountLimit } = await api('/api/platforms');
  const paid = platforms.find((p) => p.platform === 'tiktok')?.status === 'available';
  document.getElementById('plan').value = paid ? (accountLimit === null ? 'enterprise' : 'professional') : accountLimit === 3 ? 'free' : 'starter';
}
void showPlan().catch(() => undefined);

async function post(path, body) {
  const res = await fetch(`${bff}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error?.message ?? json.error ?? `HTTP ${res.status}`);
  return json;
}

async function tool(run) {
  try {
    toolStatus.textContent = await run();
    summary.refresh();
  } catch (err) {
    toolStatus.textContent = err.message;
  }
}

document.getElementById('plan').addEventListener('change', (event) =>
  tool(async () => {
    await post('/demo/workspace', { plan: event.target.value });
    panel.refresh();
    return `The workspace is now on the ${event.target.value} plan.`;
  }),
);

document.getElementById('advance').addEventListener('click', () =>
  tool(async () => {
    await post('/sandbox/control/clock', { advanceSeconds: 55 * 86_400 });
    await panel.healthCheck();
    return 'The platforms are 55 days on: Meta tokens near their expiry were refreshed.';
  }),
);

document.getElementById('revoke').addEventListener('click', () =>
  tool(async () => {
    const before = await accounts();
    const first = before[0];
    if (!first) return 'Connect an account first.';
    const { account } = await api(`/api/accounts/${first.id}`);
    // As the person would, at the platform's own settings: Meta and TikTok then tell the BFF at once (a push signal).
    await post('/sandbox/control/revoke', { platform: account.platform, platformAccountId: account.platformAccountId, by: 'user' });
    await panel.healthCheck();
    // One grant can cover several accounts (a Facebook login's Pages): name every one it took.
    const wasAmber = new Set(before.filter((a) => a.health === 'needs_reconnect').map((a) => a.id));
    const now = (await accounts()).filter((a) => a.health === 'needs_reconnect' && !wasAmber.has(a.id)).map((a) => a.displayName);
    if (now.length === 0) {
      return `${first.displayName}'s access was revoked at ${account.platform}, which sends no signal: the panel shows it at the next verification (hourly while it is open; for X once its 2-hour token lapses: move the clock).`;
    }
    return `${first.displayName}'s access was revoked at ${account.platform}: ${now.join(' and ')} ${now.length === 1 ? 'needs' : 'need'} reconnecting now.`;
  }),
);

document.getElementById('check').addEventListener('click', () => tool(async () => (await panel.healthCheck(), 'Checked every account.')));

/**
 * Links an agency sends to its clients: made here (a real host calls POST /v1/accounts/:id/reconnect-link
 * or POST /v1/workspaces/:id/connect-link from its backend) and opened in a new window, as the
 * client would open it from an e-mail. The window is opened at the click, so no pop-up blocker stops it.
 */
async function openLink(make) {
  const win = window.open('about:blank', '_blank');
  try {
    const { url, expiresAt } = await make();
    if (win) {
      win.opener = null;
      win.location.href = url;
    }
    return `Link opened in a new window (it works once, until ${new Date(expiresAt).toLocaleString()}): ${url}`;
  } catch (err) {
    win?.close();
    throw err;
  }
}

document.getElementById('reconnect-link').addEventListener('click', () =>
  tool(async () => {
    const amber = (await accounts()).find((a) => a.health === 'needs_reconnect') ?? (await accounts())[0];
    if (!amber) return 'Connect an account first.';
    return openLink(async () => {
      const res = await fetch(`${bff}/api/accounts/${amber.id}/reconnect-link`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${await session()}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      const json = await res.json();
      if (!res.ok) throw new Error(json.error?.message ?? `HTTP ${res.status}`);
      return json;
    });
  }),
);

document.getElementById('connect-link').addEventListener('click', () => tool(() => openLink(() => post('/demo/connect-link', {}))));
