// Runs inside headless Chromium, on the page bench/widget-render.ts serves beside the real
// bundle (dist/connections-panel.js). Plain JavaScript: the browser loads it as it is.
// window.runWidgetBenchmark({ initial, changed, repetitions }) measures, for one list size:
//  - the panel's first render of `initial` (fake API client, no network), against a baseline
//    that sets the same markup (the panel's and its cards', flattened, same style sheets)
//    once with innerHTML; both end with a forced style and layout;
//  - one account's health changing: panel.refresh() with the list of a fresh fetch in which
//    one account changed health (`changed`, then `initial` again, alternately), counting the
//    DOM mutations (MutationObserver on every shadow root), the cards re-rendered (shadow DOM
//    changed, or inserted) and the cards only taken out of the page.

const stage = document.getElementById('stage');

/** A real macrotask (no timer clamping): every microtask queued before it has run. */
const macrotask = () =>
  new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });

const PLATFORMS = {
  platforms: [
    { platform: 'facebook', label: 'Facebook', status: 'available', requiredPlan: 'free' },
    { platform: 'instagram', label: 'Instagram', status: 'available', requiredPlan: 'free' },
    { platform: 'tiktok', label: 'TikTok', status: 'available', requiredPlan: 'free' },
    { platform: 'x', label: 'X', status: 'available', requiredPlan: 'free' },
    { platform: 'linkedin', label: 'LinkedIn', status: 'available', requiredPlan: 'free' },
  ],
  accountCount: 0,
  accountLimit: null,
};

/** The fake BFF: answers at once with whatever list `state.accounts` holds now. */
function fakeApi(state) {
  const unused = () => Promise.reject(new Error('not used by the benchmark'));
  return {
    listAccounts: async () => state.accounts,
    // A BFF that answers the whole list at once (no cursor), as the benchmark's lists are given.
    listAccountsPage: async () => ({ accounts: state.accounts }),
    accountHistory: unused,
    reconnectLink: unused,
    listPlatforms: async () => ({ ...PLATFORMS, accountCount: state.accounts.length }),
    getAccount: unused,
    disconnect: unused,
    startConnection: unused,
    reconnect: unused,
    connectionStatus: unused,
    selectAccounts: unused,
    events: async () => ({ events: [], cursor: 'bench' }),
    healthCheck: async () => ({ accounts: [], events: [] }),
  };
}

const cardsOf = (panel) => [...panel.shadowRoot.querySelectorAll('cp-account-card')];

/** Waits until the panel shows its cards and no element has an update pending. */
async function settle(panel) {
  for (;;) {
    await macrotask();
    await panel.updateComplete;
    const cards = cardsOf(panel);
    await Promise.all(cards.map((c) => c.updateComplete));
    if (!panel.isUpdatePending && cards.length > 0 && cards.every((c) => !c.isUpdatePending)) return;
  }
}

const forceLayout = () => document.documentElement.getBoundingClientRect() && document.body.offsetHeight;

let cardUpdates = 0;
const Card = customElements.get('cp-account-card');
const update = Card.prototype.update;
Card.prototype.update = function (changed) {
  cardUpdates++;
  return update.call(this, changed);
};

async function firstRender(accounts) {
  const state = { accounts };
  const panel = document.createElement('connections-panel');
  panel.api = fakeApi(state);
  const start = performance.now();
  stage.append(panel);
  await settle(panel);
  forceLayout();
  return { panel, state, ms: performance.now() - start };
}

/** The rendered panel as one markup string: each card's shadow content inlined in a div. */
function flattenedMarkup(panel) {
  const template = document.createElement('template');
  template.innerHTML = panel.shadowRoot.innerHTML;
  const live = cardsOf(panel);
  template.content.querySelectorAll('cp-account-card').forEach((inert, i) => {
    const div = document.createElement('div');
    div.className = 'card-host';
    div.innerHTML = live[i].shadowRoot.innerHTML;
    inert.replaceWith(div);
  });
  const holder = document.createElement('div');
  holder.append(template.content);
  return holder.innerHTML;
}

/** The panel's style sheets, and the cards' with :host turned into the inlined div. */
function baselineSheets(panel) {
  const card = cardsOf(panel)[0];
  const cardCss = card.shadowRoot.adoptedStyleSheets
    .flatMap((sheet) => [...sheet.cssRules].map((r) => r.cssText))
    .join('\n')
    .replace(/:host\(([^)]*)\)/g, '.card-host$1')
    .replace(/:host/g, '.card-host');
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(cardCss);
  return [...panel.shadowRoot.adoptedStyleSheets, sheet];
}

function baseline(markup, sheets) {
  const host = document.createElement('div');
  stage.append(host);
  const root = host.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = sheets;
  const start = performance.now();
  root.innerHTML = markup;
  forceLayout();
  const ms = performance.now() - start;
  host.remove();
  return ms;
}

async function healthChange(panel, state, nextAccounts) {
  // Cards re-rendered: their shadow DOM changed, or they were (re)inserted. A card only taken
  // out (the last of a page, when the changed account moves into it) is counted apart.
  const touched = new Set();
  const removed = new Set();
  let mutations = 0;
  const cardsIn = (node) => (node.nodeType !== 1 ? [] : node.localName === 'cp-account-card' ? [node] : [...node.querySelectorAll('cp-account-card')]);
  const record = (records, card) => {
    mutations += records.length;
    for (const r of records) {
      if (card) touched.add(card);
      else {
        const owner = r.target.nodeType === 1 ? r.target.closest('li')?.querySelector('cp-account-card') : r.target.parentElement?.closest('li')?.querySelector('cp-account-card');
        if (owner) touched.add(owner);
        for (const n of r.addedNodes) for (const c of cardsIn(n)) touched.add(c);
        for (const n of r.removedNodes) for (const c of cardsIn(n)) removed.add(c);
      }
    }
  };
  const observers = [];
  const observe = (root, card) => {
    const o = new MutationObserver((records) => record(records, card));
    o.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    observers.push([o, card]);
  };
  observe(panel.shadowRoot, null);
  for (const card of cardsOf(panel)) observe(card.shadowRoot, card);
  state.accounts = nextAccounts;
  const updatesBefore = cardUpdates;
  const start = performance.now();
  panel.refresh();
  await settle(panel);
  const ms = performance.now() - start;
  for (const [o, card] of observers) {
    record(o.takeRecords(), card);
    o.disconnect();
  }
  return { ms, cardsTouched: touched.size, cardsRemoved: [...removed].filter((c) => !touched.has(c)).length, mutations, cardUpdates: cardUpdates - updatesBefore };
}

window.runWidgetBenchmark = async ({ initial, changed, repetitions }) => {
  const initialText = JSON.stringify(initial);
  const changedText = JSON.stringify(changed);
  // A fresh parse each time, as a fetch would give: new objects for every account.
  const fresh = (text) => JSON.parse(text);
  const first = [];
  const base = [];
  let markup = '';
  let sheets = [];
  let cardsInDom = 0;
  // One warm-up round, then the measured ones; the panel and its baseline take turns.
  for (let i = 0; i <= repetitions; i++) {
    const { panel, ms } = await firstRender(fresh(initialText));
    if (i === 0) {
      markup = flattenedMarkup(panel);
      sheets = baselineSheets(panel);
      cardsInDom = cardsOf(panel).length;
    }
    panel.remove();
    await macrotask();
    const baselineMs = baseline(markup, sheets);
    if (i > 0) {
      first.push(ms);
      base.push(baselineMs);
    }
    await macrotask();
  }
  const { panel, state } = await firstRender(fresh(initialText));
  // Steady state first: the panel's own check on opening, and the modules it fetches while idle.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await settle(panel);
  const changes = [];
  for (let i = 0; i <= repetitions * 2; i++) {
    const next = fresh(i % 2 === 0 ? changedText : initialText);
    const result = await healthChange(panel, state, next);
    if (i > 0) changes.push(result);
    await macrotask();
  }
  panel.remove();
  return { first, baseline: base, changes, cardsInDom, markupBytes: markup.length };
};
window.benchmarkReady = true;
