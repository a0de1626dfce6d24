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
    await post('/sandbox/control/revoke', { platform: account.platform, platformAccountId: account.platformAccountId });
    await panel.healthCheck();
    // One grant can cover several accounts (a Facebook login's Pages): name every one it took.
    const wasAmber = new Set(before.filter((a) => a.health === 'needs_reconnect').map((a) => a.id));
    const now = (await accounts()).filter((a) => a.health === 'needs_reconnect' && !wasAmber.has(a.id)).map((a) => a.displayName);
    const names = now.length ? now : [first.displayName];
    return `${first.displayName}'s access was revoked at ${account.platform}: ${names.join(' and ')} ${names.length === 1 ? 'needs' : 'need'} reconnecting now.`;
  }),
);

document.getElementById('check').addEventListener('click', () => tool(async () => (await panel.healthCheck(), 'Checked every account.')));
