// Notifications (F2.1): the list, mark read, delete. A server without the notifications API
// (404) is said so plainly.
import { ApiError, api, errorMessage } from '../api.ts';
import { useApi } from '../components/use-api.ts';
import { ErrorBox, fmtDate, Loading, PageHeader } from '../components/ui.tsx';
import { useSession } from '../session.tsx';

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
  const list = useApi(async () => {
    try {
      return await api.get<{ items: Notification[] }>('/api/v1/notifications', { limit: 100 });
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }, []);
  const act = async (n: Notification, action: 'read' | 'delete') => {
    try {
      if (action === 'read') await api.post(`/api/v1/notifications/${n.id}/read`);
      else await api.del(`/api/v1/notifications/${n.id}`);
      list.reload();
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  const readAll = async () => {
    try {
      await api.post('/api/v1/notifications/read-all');
      list.reload();
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
              <div>{n.body}</div>
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
    </>
  );
}
