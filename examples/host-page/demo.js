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
// The overview follows the panel: whenever the panel reads the accounts, so does the summary.
panel.addEventListener('cp-accounts-changed', () => summary.refresh());

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
    const auth = { headers: { Authorization: `Bearer ${await session()}` } };
    const [first] = (await (await fetch(`${bff}/api/accounts`, auth)).json()).accounts ?? [];
    if (!first) return 'Connect an account first.';
    const { account } = await (await fetch(`${bff}/api/accounts/${first.id}`, auth)).json();
    await post('/sandbox/control/revoke', { platform: account.platform, platformAccountId: account.platformAccountId });
    await panel.healthCheck();
    return `${first.displayName} was revoked at ${first.platform}: it needs reconnecting now.`;
  }),
);

document.getElementById('check').addEventListener('click', () => tool(async () => (await panel.healthCheck(), 'Checked every account.')));
