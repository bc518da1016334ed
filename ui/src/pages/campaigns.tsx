// The campaign list: one page of campaigns (newest first, paged with `before`) and, in one more
// call, the progress and headline KPIs of exactly the campaigns shown.
import { useState } from 'react';
import { ApiError, api } from '../api.ts';
import { useCursorPages } from '../components/cursor-pages.ts';
import { Pager } from '../components/pager.tsx';
import { usePrincipalNames } from '../components/principal-names.ts';
import { useApi } from '../components/use-api.ts';
import { TableHead } from '../components/table-head.tsx';
import { ActionButton, ErrorBox, fmtDate, fmtNum, fmtPct, Loading, PageHeader, ProgressBar, StatusBadge } from '../components/ui.tsx';
import { href, navigate } from '../router.ts';
import type { Campaign, CampaignSummary, Page } from '../types.ts';

const PAGE_SIZE = 50;
const LIVE = new Set(['sending', 'scheduled', 'active']);

export function CampaignsPage() {
  const pages = useCursorPages();
  const [status, setStatus] = useState('');
  const before = pages.cursor;
  const page = useApi(() => api.get<Page<Campaign>>('/api/v1/campaigns', { limit: PAGE_SIZE, before, status }), [before, status]);
  const ids = page.data?.items.map((c) => c.id) ?? [];
  const anyLive = page.data?.items.some((c) => LIVE.has(c.status)) ?? false;
  const summaries = useApi(
    async () => {
      if (ids.length === 0) return new Map<number, CampaignSummary>();
      const q = new URLSearchParams();
      for (const id of ids) q.append('ids', String(id));
      const r = await api.get<{ items: CampaignSummary[] }>(`/api/v1/campaign-summaries?${q}`);
      return new Map(r.items.map((s) => [s.campaign_id, s]));
    },
    [ids.join(',')],
    { refreshMs: anyLive ? 5000 : null },
  );

  return (
    <>
      <PageHeader title="Campaigns">
        <ActionButton permission="campaigns:write" kind="primary" onClick={() => navigate(href('campaigns', 'new'))}>
          New campaign
        </ActionButton>
      </PageHeader>
      <ApprovalQueue />
      <div className="toolbar">
        <label className="inline-label">
          Status{' '}
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              pages.reset();
            }}
          >
            <option value="">all</option>
            {['draft', 'scheduled', 'awaiting_approval', 'sending', 'active', 'paused', 'completed', 'cancelled', 'failed'].map((s) => (
              <option key={s} value={s}>
                {s.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBox error={page.error} />
      {page.loading && !page.data ? (
        <Loading />
      ) : page.data && page.data.items.length === 0 ? (
        <div className="empty">
          <p>No campaigns {status ? `with status ${status.replace(/_/g, ' ')}` : 'yet'}.</p>
        </div>
      ) : (
        page.data && (
          <table className="table" data-testid="campaigns-table">
            <TableHead columns={['Campaign', 'Status', { label: 'Progress', className: 'col-progress' }, { label: 'Sent', kind: 'number' }, { label: 'Delivered', kind: 'number' }, { label: 'Opens', kind: 'number' }, { label: 'Clicks', kind: 'number' }, 'Created']} />
            <tbody>
              {page.data.items.map((c) => {
                const s = summaries.data?.get(c.id);
                return (
                  <tr key={c.id}>
                    <td>
                      <a href={href('campaigns', c.id)}>{c.name}</a>
                      <div className="muted small">
                        #{c.id} · {c.channel}
                        {c.kind !== 'one-off' ? ` · ${c.kind}` : ''}
                      </div>
                    </td>
                    <td>
                      <StatusBadge status={c.status} />
                    </td>
                    <td>
                      {s && s.total > 0 ? (
                        <div className="progress-cell">
                          <ProgressBar value={s.progress} label={`Progress of ${c.name}`} />
                          <span className="small">{fmtPct(s.progress, 0)}</span>
                        </div>
                      ) : (
                        <span className="muted">–</span>
                      )}
                    </td>
                    <td className="num">{s ? `${fmtNum(s.sent)} / ${fmtNum(s.total)}` : '–'}</td>
                    <td className="num">{fmtPct(s?.delivered_rate)}</td>
                    <td className="num">{fmtPct(s?.open_rate)}</td>
                    <td className="num">{fmtPct(s?.click_rate)}</td>
                    <td className="small">{fmtDate(c.created_at)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )
      )}
      <Pager label="Campaign pages" pages={pages} next={page.data?.next_before} direction="before" showPageNumber />
    </>
  );
}

interface Approval {
  id: number;
  campaign_id: number;
  requested_by: string;
  requested_at: string;
  send_at: string | null;
  campaign?: { id: number; name: string };
}

/** Launch requests waiting for a decision (four-eyes); nothing when the server has no approvals. */
function ApprovalQueue() {
  const queue = useApi(async () => {
    try {
      return await api.get<Page<Approval>>('/api/v1/approvals', { status: 'pending', limit: 20 });
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 400)) return null;
      throw err;
    }
  }, []);
  const names = usePrincipalNames((queue.data?.items.length ?? 0) > 0);
  if (!queue.data || queue.data.items.length === 0) return null;
  return (
    <section className="panel panel-yellow" aria-labelledby="approvals-title">
      <h2 id="approvals-title">Waiting for approval</h2>
      <ul className="plain">
        {queue.data.items.map((a) => (
          <li key={a.id}>
            <a href={href('campaigns', a.campaign_id)}>{a.campaign?.name ?? `Campaign #${a.campaign_id}`}</a>{' '}
            <span className="muted small">
              requested by {names(a.requested_by)} · {fmtDate(a.requested_at)}
              {a.send_at ? ` · to send ${fmtDate(a.send_at)}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
