// The shell: sign-in gate, left navigation, header (account, user and role, notification bell),
// the page for the current hash route, and the toasts (announced through aria-live).
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, onUnauthorized, tokenStore } from './api.ts';
import { useApi } from './components/use-api.ts';
import { CampaignDetailPage } from './pages/campaign-detail.tsx';
import { CampaignEditorPage } from './pages/campaign-editor.tsx';
import { CampaignsPage } from './pages/campaigns.tsx';
import { ContactsPage } from './pages/contacts.tsx';
import { ListsPage } from './pages/lists.tsx';
import { NOTIFICATIONS_CHANGED, NotificationsPage } from './pages/notifications.tsx';
import { OutboxPage } from './pages/outbox.tsx';
import { SegmentEditorPage } from './pages/segment-editor.tsx';
import { SettingsPage } from './pages/settings.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { TemplatesPage } from './pages/templates.tsx';
import { TriggersPage } from './pages/triggers.tsx';
import { type Route, href, useRoute } from './router.ts';
import { loadMe, SessionProvider, type ToastApi, useSession, useToasts } from './session.tsx';
import type { Me } from './types.ts';

const NAV = [
  { key: 'campaigns', label: 'Campaigns' },
  { key: 'contacts', label: 'Contacts' },
  { key: 'lists', label: 'Lists & segments' },
  { key: 'templates', label: 'Templates' },
  { key: 'triggers', label: 'Triggers' },
  { key: 'outbox', label: 'Outbox' },
  { key: 'notifications', label: 'Notifications' },
  { key: 'settings', label: 'Settings' },
] as const;

export function App() {
  const toasts = useToasts();
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(() => tokenStore.get() !== null);

  const signOut = useCallback(() => {
    if (tokenStore.get()?.startsWith('hs_')) api.post('/api/v1/auth/logout').catch(() => undefined);
    tokenStore.clear();
    setMe(null);
  }, []);

  useEffect(() => {
    if (!tokenStore.get()) return;
    loadMe()
      .then(setMe)
      .catch(() => tokenStore.clear())
      .finally(() => setChecking(false));
  }, []);

  useEffect(
    () =>
      onUnauthorized(() => {
        tokenStore.clear();
        setMe(null);
      }),
    [],
  );

  return (
    <>
      {checking ? null : me ? (
        <SessionProvider me={me} onSignOut={signOut} toasts={toasts}>
          <Shell />
        </SessionProvider>
      ) : (
        <SignInPage onSignedIn={setMe} />
      )}
      <Toasts api={toasts} />
    </>
  );
}

function Toasts({ api: t }: { api: ToastApi }) {
  return (
    <div className="toasts" aria-live="polite" aria-atomic="false">
      {t.toasts.map((x) => (
        <div key={x.id} className={`toast toast-${x.kind}`} role={x.kind === 'error' ? 'alert' : 'status'}>
          <span>{x.text}</span>
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => t.dismiss(x.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

function Shell() {
  const route = useRoute();
  const { me, signOut } = useSession();
  const section = route.parts[0] ?? 'campaigns';
  // A new page puts keyboard and screen-reader focus on the content, as a page load would.
  const path = route.parts.join('/');
  const firstRender = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the page (path) changes
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [path]);
  const who = me.user ? (me.user.name ?? me.user.email) : 'API key';
  return (
    <div className="shell">
      <button type="button" className="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Herald</div>
        <ul>
          {NAV.map((n) => (
            <li key={n.key}>
              <a href={href(n.key)} aria-current={section === n.key ? 'page' : undefined}>
                {n.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="main-col">
        <header className="topbar">
          <div className="account-name" data-testid="account-name">
            {me.account.name}
          </div>
          <div className="topbar-right">
            <Bell />
            <span className="who">
              {who} <span className="role">{me.role}</span>
            </span>
            <button type="button" className="btn btn-secondary btn-small" onClick={signOut}>
              Sign out
            </button>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          <Page route={route} />
        </main>
      </div>
    </div>
  );
}

function Page({ route }: { route: Route }) {
  const [section = 'campaigns', a, b] = route.parts;
  switch (section) {
    case 'campaigns':
      if (a === 'new') return <CampaignEditorPage id={null} />;
      if (a && b === 'edit') return <CampaignEditorPage id={Number(a)} />;
      if (a) return <CampaignDetailPage id={Number(a)} />;
      return <CampaignsPage />;
    case 'contacts':
      return <ContactsPage id={a ? Number(a) : null} query={route.query} />;
    case 'lists':
      if (a === 'segments') return <SegmentEditorPage key={b ?? 'new'} id={b && b !== 'new' ? Number(b) : null} />;
      return <ListsPage />;
    case 'templates':
      return <TemplatesPage id={a ? Number(a) : null} />;
    case 'outbox':
      return <OutboxPage id={a ? Number(a) : null} />;
    case 'triggers':
      return <TriggersPage />;
    case 'notifications':
      return <NotificationsPage />;
    case 'settings':
      return <SettingsPage tab={a ?? 'profile'} />;
    default:
      return (
        <p>
          No page here. <a href={href('campaigns')}>Go to the campaigns</a>.
        </p>
      );
  }
}

/** The unread count; shows nothing while the server has no notifications API (404) or denies it. */
function Bell() {
  const { data, reload } = useApi(
    async () => {
      try {
        const r = await api.get<{ count?: number; unread?: number }>('/api/v1/notifications/unread-count');
        return r.count ?? r.unread ?? 0;
      } catch (err) {
        if (err instanceof ApiError && (err.status === 404 || err.status === 403)) return null;
        throw err;
      }
    },
    [],
    { refreshMs: 30_000 },
  );
  // The notifications page says when it marked or deleted something: the count follows at once.
  useEffect(() => {
    window.addEventListener(NOTIFICATIONS_CHANGED, reload);
    return () => window.removeEventListener(NOTIFICATIONS_CHANGED, reload);
  }, [reload]);
  if (data === null || data === undefined) return null;
  return (
    <a className="bell" href={href('notifications')} aria-label={`Notifications: ${data} unread`} data-testid="bell">
      <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
        <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
        <path d="M13.7 21a2 2 0 0 1-3.4 0" />
      </svg>
      {data > 0 && <span className="bell-count">{data > 99 ? '99+' : data}</span>}
    </a>
  );
}
