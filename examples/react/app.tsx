import { useEffect, useState } from 'react';
import type { CpAccountActionEvent, CpCreatePostEvent, SessionSource } from 'connections-panel';
import type {} from './custom-elements.ts';

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

export function App() {
  const [me, setMe] = useState<{ user: User } | null | undefined>(undefined);
  const [composing, setComposing] = useState<string | null>(null);
  const [lastAction, setLastAction] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    fetch('/my/user', { signal: controller.signal })
      .then(async (res) => setMe(res.ok ? ((await res.json()) as { user: User }) : null))
      .catch(() => {});
    return () => controller.abort();
  }, []);

  // Typed: the widget's own event classes, through the npm entry's types.
  const onCreatePost = (event: CpCreatePostEvent) => {
    event.preventDefault(); // the host opens its own composer; the widget does not navigate
    setComposing(event.accountId);
  };
  const onAccountAction = (event: CpAccountActionEvent) => setLastAction(`${event.action} ${event.accountId}`);

  if (me === undefined) return <p>Loading…</p>;
  if (me === null)
    return (
      <main>
        <h1>Acme · social accounts (React)</h1>
        <p>
          Sign in as <a href="/login?as=alice">Alice (admin)</a> or <a href="/login?as=bob">Bob (member)</a>.
        </p>
      </main>
    );
  return (
    <main>
      <h1>Acme · social accounts (React)</h1>
      <p>
        Signed in as <strong>{me.user.name}</strong> ({me.user.role}) · <a href="/logout">sign out</a>
      </p>
      {composing && (
        <section className="host-note" aria-label="Composer">
          <p>
            Compose for account <output id="composing">{composing}</output>
          </p>
          <button type="button" onClick={() => setComposing(null)}>
            Close the composer
          </button>
        </section>
      )}
      {lastAction && (
        <p className="host-note">
          Last account action: <output id="last-action">{lastAction}</output>
        </p>
      )}
      <connections-summary bff-url={bffUrl} panel-url="/" session={session} />
      <connections-panel
        bff-url={bffUrl}
        composer-url="/compose"
        support-url="/support"
        upgrade-url="/plans"
        session={session}
        oncp-create-post={onCreatePost}
        oncp-account-action={onAccountAction}
      />
    </main>
  );
}
