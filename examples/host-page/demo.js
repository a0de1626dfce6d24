// A plain-JavaScript stand-in for <connections-panel> on the demo page: it uses the widget API
// exactly as the widget will (session token, popup with redirect fallback, postMessage, choice step).
const $ = (id) => document.getElementById(id);
const bff = window.location.origin;
let token = '';

function say(text) {
  $('status').textContent = text;
}

async function api(path, init = {}) {
  const res = await fetch(`${bff}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers } });
  if (res.status === 204) return null;
  const body = await res.json();
  if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  return body;
}

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

async function refresh() {
  const [{ platforms, accountCount, accountLimit }, { accounts }] = await Promise.all([api('/api/platforms'), api('/api/accounts')]);
  $('usage').textContent = `${accountCount} of ${accountLimit ?? 'unlimited'} accounts connected.`;
  $('platforms').replaceChildren(
    ...platforms.map((p) => {
      const label = p.status === 'available' ? `Connect ${p.label}` : p.status === 'coming_soon' ? `${p.label}: coming soon` : `${p.label}: upgrade to ${p.requiredPlan}`;
      const button = el('button', { type: 'button', textContent: label, disabled: p.status !== 'available' });
      button.addEventListener('click', () => connect({ platform: p.platform }));
      return el('li', {}, button);
    }),
  );
  $('accounts').replaceChildren(
    ...accounts.map((a) => {
      const reconnect = el('button', { type: 'button', textContent: 'Reconnect' });
      reconnect.addEventListener('click', () => connect({ accountId: a.id }));
      const disconnect = el('button', { type: 'button', textContent: 'Disconnect' });
      disconnect.addEventListener('click', async () => {
        if (!window.confirm(`Disconnect ${a.displayName}? Its published posts and analytics stay in the workspace.`)) return;
        await api(`/api/accounts/${a.id}`, { method: 'DELETE' });
        say(`${a.displayName} disconnected.`);
        await refresh();
      });
      const words = a.health === 'healthy' ? 'Healthy' : 'Needs reconnect';
      return el(
        'li',
        { className: a.health },
        el('img', { src: a.avatarUrl ?? '', alt: '' }),
        el('span', { className: 'grow' }, el('strong', { textContent: a.displayName }), ` · ${a.platform} · `, el('span', { className: 'dot', ariaHidden: 'true' }), ` ${words}`, a.reasonMessage ? el('div', { className: 'reason', textContent: a.reasonMessage }) : ''),
        reconnect,
        disconnect,
      );
    }),
  );
}

async function connect({ platform, accountId }) {
  // Opened in the click handler itself, so pop-up blockers allow it.
  const popup = window.open('about:blank', 'cp-oauth', 'width=600,height=740');
  const mode = popup ? 'popup' : 'redirect';
  const path = accountId ? `/api/accounts/${accountId}/reconnect` : '/api/connections';
  try {
    const body = { mode, ...(platform ? { platform } : {}), ...(mode === 'redirect' ? { returnTo: window.location.href.split('?')[0] } : {}) };
    const { authorizeUrl } = await api(path, { method: 'POST', body: JSON.stringify(body) });
    if (popup) {
      popup.location.href = authorizeUrl;
      say('Finish signing in in the pop-up window.');
    } else {
      say('Pop-ups are blocked: continuing in this tab.');
      window.location.assign(authorizeUrl);
    }
  } catch (err) {
    popup?.close();
    say(err.message);
  }
}

async function show(result) {
  if (result.status === 'connected') say(`Connected ${result.accountIds.length} account${result.accountIds.length === 1 ? '' : 's'}.`);
  else if (result.status === 'failed') say(result.error.message);
  else if (result.status === 'choose') {
    say('Choose which accounts to add.');
    $('choices').replaceChildren(
      ...result.choices.map((c) =>
        el('li', {}, el('input', { type: 'checkbox', name: 'id', value: c.id, checked: !c.alreadyConnected, id: `choice-${c.id}` }), el('img', { src: c.avatarUrl ?? '', alt: '' }), el('label', { htmlFor: `choice-${c.id}`, textContent: `${c.name} (${c.kind})${c.alreadyConnected ? ', already connected' : ''}` })),
      ),
    );
    $('choose').hidden = false;
    $('choose-form').onsubmit = async (event) => {
      event.preventDefault();
      const ids = [...new FormData(event.target).getAll('id')];
      try {
        const { accountIds } = await api(`/api/connections/${result.attemptId}/select`, { method: 'POST', body: JSON.stringify({ ids }) });
        $('choose').hidden = true;
        say(`Added ${accountIds.length} account${accountIds.length === 1 ? '' : 's'}.`);
        await refresh();
      } catch (err) {
        say(err.message);
      }
    };
  }
  await refresh();
}

window.addEventListener('message', (event) => {
  if (event.origin !== bff || event.data?.source !== 'connections-panel' || event.data.type !== 'oauth-result') return;
  show(event.data);
});

async function main() {
  const res = await fetch(`${bff}/demo/session`, { method: 'POST' });
  if (!res.ok) {
    say('This page needs the standalone BFF on its embedded database (npm start).');
    return;
  }
  token = (await res.json()).token;
  const params = new URLSearchParams(window.location.search);
  const attemptId = params.get('cp_attempt');
  if (attemptId) {
    history.replaceState(null, '', window.location.pathname);
    await show({ attemptId, ...(await api(`/api/connections/${attemptId}`)) });
  } else {
    await refresh();
  }
}

main().catch((err) => say(err.message));
