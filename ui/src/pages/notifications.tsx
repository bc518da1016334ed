// Notifications (F2.1): the list, mark read, delete; and the signed-in user's email subscription
// (F2.2: on/off, which kinds). A server without the notifications API (404) is said so plainly.
import { type FormEvent, useEffect, useState } from 'react';
import { api, errorMessage } from '../api.ts';
import { usePrincipalNames } from '../components/principal-names.ts';
import { useApi } from '../components/use-api.ts';
import { ErrorBox, fmtDate, Loading, PageHeader } from '../components/ui.tsx';
import { useSession } from '../session.tsx';

/** Fired on window after a notification is marked read or deleted (the header bell listens). */
export const NOTIFICATIONS_CHANGED = 'herald:notifications-changed';

interface Notification {
  id: number;
  kind: string;
  severity: string;
  title: string;
  body: string;
  created_at: string;
  read?: boolean;
  read_at: string | null;
  subject?: { type: string; id: number } | null;
}

export function NotificationsPage() {
  const { toast } = useSession();
  const names = usePrincipalNames();
  const list = useApi(() => api.getOrNull<{ items: Notification[] }>('/api/v1/notifications', { limit: 100 }), []);
  const act = async (n: Notification, action: 'read' | 'delete') => {
    try {
      if (action === 'read') await api.post(`/api/v1/notifications/${n.id}/read`);
      else await api.del(`/api/v1/notifications/${n.id}`);
      list.reload();
      window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  const readAll = async () => {
    try {
      await api.post('/api/v1/notifications/read-all');
      list.reload();
      window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  return (
    <>
      <PageHeader title="Notifications">
        {list.data?.items.some((n) => !(n.read || n.read_at)) && (
          <button type="button" className="btn btn-secondary" onClick={readAll}>
            Mark all read
          </button>
        )}
      </PageHeader>
      <ErrorBox error={list.error} />
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data === null ? (
        <p className="muted">This Herald has no notifications API yet.</p>
      ) : list.data && list.data.items.length === 0 ? (
        <p className="muted">No notifications.</p>
      ) : (
        <ul className="notification-list">
          {list.data?.items.map((n) => (
            <li key={n.id} className={`panel ${n.severity === 'error' ? 'panel-red' : n.severity === 'warning' ? 'panel-yellow' : ''} ${n.read || n.read_at ? 'is-read' : ''}`}>
              <div className="panel-title">
                <strong>{n.title}</strong> <span className="muted small">{fmtDate(n.created_at)}</span>
                {n.subject?.type === 'campaign' ? (
                  <>
                    {' '}
                    · <a href={`#/campaigns/${n.subject.id}`}>open the campaign</a>
                  </>
                ) : null}
              </div>
              <div>{names(n.body)}</div>
              <div className="row-actions">
                {!(n.read || n.read_at) && (
                  <button type="button" className="btn btn-secondary btn-small" onClick={() => act(n, 'read')}>
                    Mark read
                  </button>
                )}
                <button type="button" className="btn btn-secondary btn-small" onClick={() => act(n, 'delete')}>
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <EmailSubscription />
    </>
  );
}

interface Subscription {
  email: string;
  enabled: boolean;
  kinds: string[];
  available_kinds: string[];
}

/** Email me these notifications: only a user has a mailbox (an API key gets a short note). */
function EmailSubscription() {
  const { me, toast } = useSession();
  const loaded = useApi(async () => {
    if (!me.user) return null;
    return await api.getOrNull<Subscription>('/api/v1/notifications/email-subscription');
  }, [me.user]);
  const [enabled, setEnabled] = useState(false);
  // Empty: every kind the role may see (the server's meaning), shown as all boxes ticked.
  const [kinds, setKinds] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!loaded.data) return;
    setEnabled(loaded.data.enabled);
    setKinds(loaded.data.kinds.length ? loaded.data.kinds : loaded.data.available_kinds);
  }, [loaded.data]);
  if (!me.user) return <p className="muted small">Signed in with an API key: notification emails go to users, who choose them here.</p>;
  if (loaded.error) return <ErrorBox error={loaded.error} />;
  if (!loaded.data) return loaded.loading ? <Loading /> : null;
  const available = loaded.data.available_kinds;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const all = available.every((k) => kinds.includes(k));
      await api.put('/api/v1/notifications/email-subscription', { enabled, kinds: all ? [] : kinds });
      toast(enabled ? `Notification emails go to ${loaded.data?.email}.` : 'Notification emails are off.');
      loaded.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card form" onSubmit={save} noValidate aria-labelledby="email-sub-title">
      <h2 id="email-sub-title">Email me notifications</h2>
      <ErrorBox error={error} />
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Send notifications to {loaded.data.email}
      </label>
      <fieldset disabled={!enabled}>
        <legend>Which kinds</legend>
        {available.map((k) => (
          <label key={k} className="check">
            <input type="checkbox" checked={kinds.includes(k)} onChange={(e) => setKinds(e.target.checked ? [...kinds, k] : kinds.filter((x) => x !== k))} />{' '}
            {k.replace(/_/g, ' ')}
          </label>
        ))}
      </fieldset>
      <div>
        <button type="submit" className="btn btn-primary" disabled={enabled && kinds.length === 0}>
          Save email subscription
        </button>
      </div>
    </form>
  );
}
