import { defineComponent, h, onMounted, ref } from 'vue';
import type { CpAccountActionEvent, CpCreatePostEvent, SessionSource } from 'connections-panel';
import { connectionsPanel, connectionsSummary } from './custom-elements.ts';

interface User {
  id: string;
  name: string;
  role: string;
}

/** The BFF is mounted at /connections on the host backend that serves this page. */
const bffUrl = new URL('/connections', window.location.href).href;

/** The widget calls this whenever it needs a session: at start and again after a 401. */
const session: SessionSource = async () => {
  const res = await fetch('/my/connections-session', { credentials: 'same-origin' });
  if (!res.ok) throw new Error('Not signed in');
  return ((await res.json()) as { token: string }).token;
};

export const App = defineComponent({
  name: 'App',
  setup() {
    const me = ref<{ user: User } | null | undefined>(undefined);
    const composing = ref<string | null>(null);
    const lastAction = ref<string | null>(null);

    onMounted(async () => {
      const res = await fetch('/my/user');
      me.value = res.ok ? ((await res.json()) as { user: User }) : null;
    });

    // Typed: the widget's own event classes, through the npm entry's types.
    const onCreatePost = (event: CpCreatePostEvent) => {
      event.preventDefault(); // the host opens its own composer; the widget does not navigate
      composing.value = event.accountId;
    };
    const onAccountAction = (event: CpAccountActionEvent) => {
      lastAction.value = `${event.action} ${event.accountId}`;
    };

    const title = h('h1', 'Acme · social accounts (Vue)');
    return () => {
      if (me.value === undefined) return h('p', 'Loading…');
      if (me.value === null)
        return h('main', [
          title,
          h('p', ['Sign in as ', h('a', { href: '/login?as=alice' }, 'Alice (admin)'), ' or ', h('a', { href: '/login?as=bob' }, 'Bob (member)'), '.']),
        ]);
      const { user } = me.value;
      return h('main', [
        title,
        h('p', ['Signed in as ', h('strong', user.name), ` (${user.role}) · `, h('a', { href: '/logout' }, 'sign out')]),
        composing.value &&
          h('section', { class: 'host-note', 'aria-label': 'Composer' }, [
            h('p', ['Compose for account ', h('output', { id: 'composing' }, composing.value)]),
            h('button', { type: 'button', onClick: () => (composing.value = null) }, 'Close the composer'),
          ]),
        lastAction.value && h('p', { class: 'host-note' }, ['Last account action: ', h('output', { id: 'last-action' }, lastAction.value)]),
        connectionsSummary({ 'bff-url': bffUrl, 'panel-url': '/', session }),
        connectionsPanel({
          'bff-url': bffUrl,
          'composer-url': '/compose',
          'support-url': '/support',
          'upgrade-url': '/plans',
          session,
          onCpCreatePost: onCreatePost,
          onCpAccountAction: onAccountAction,
        }),
      ]);
    };
  },
});
