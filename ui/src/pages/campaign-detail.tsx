// One campaign: progress tile (F4.4), KPI tiles (F4.5) refreshed every few seconds while it
// sends, hourly opens and clicks (human vs machine), the "with errors" breakdown by reason, the
// audience funnel, a "why" lookup for one contact, and the send/pause/resume/cancel buttons.
import { type FormEvent, useEffect, useState } from 'react';
import { api, errorMessage } from '../api.ts';
import { HourlyChart } from '../components/hourly-chart.tsx';
import { useCursorPages } from '../components/cursor-pages.ts';
import { Pager } from '../components/pager.tsx';
import { useApi } from '../components/use-api.ts';
import { useFormSubmit } from '../components/use-form-submit.ts';
import { TableHead } from '../components/table-head.tsx';
import { ActionButton, ErrorBox, ErrorLine, fieldError, FormError, fmtDate, fmtNum, fmtPct, Loading, PageHeader, ProgressBar, StatusBadge, TextField, Tile } from '../components/ui.tsx';
import { href, navigate } from '../router.ts';
import { useSession } from '../session.tsx';
import { Runs } from './campaign-recurrence.tsx';
import { CatchUp } from './triggers.tsx';
import type { Campaign, CampaignStats } from '../types.ts';

const LIVE = new Set(['sending', 'scheduled', 'active']);
const OPEN_RUN = new Set(['scheduled', 'awaiting_confirmation', 'preparing', 'sending']);
const DONE = { pause: 'paused', resume: 'resumed', cancel: 'cancelled', approve: 'approved', reject: 'sent back to draft', withdraw: 'back to draft' } as const;
const EDITABLE = new Set(['draft', 'scheduled']);

interface Diagnosis {
  source: 'ledger' | 'dry_run';
  funnel: Array<{ stage: string; label: string; count: number; lost: Array<{ reason: string; count: number; meaning: string }> }>;
  summary: string;
}

export function CampaignDetailPage({ id }: { id: number }) {
  const campaign = useApi(() => api.get<Campaign>(`/api/v1/campaigns/${id}`), [id]);
  const [ledgerFilter, setLedgerFilter] = useState<LedgerFilter>({ status: '', reason: '' });
  // A recurring campaign is completed once its last run is made, while that run may still wait
  // or send: the numbers stay live until the current run has finished too.
  const [runOpen, setRunOpen] = useState(false);
  const live = campaign.data ? LIVE.has(campaign.data.status) || runOpen : false;
  const [rejecting, setRejecting] = useState(false);
  const stats = useApi(() => api.get<CampaignStats>(`/api/v1/campaigns/${id}/stats`), [id], { refreshMs: live ? 3000 : null });
  // The campaign's own status moves too (sending → completed): re-read it with the stats.
  const s = stats.data;
  useEffect(() => {
    setRunOpen(!!s?.delivery && OPEN_RUN.has(s.delivery.status));
  }, [s]);
  const reloadCampaign = campaign.reload;
  const seenStatus = campaign.data?.status;
  useEffect(() => {
    if (s && seenStatus && s.status !== seenStatus) reloadCampaign();
  }, [s, seenStatus, reloadCampaign]);

  if (campaign.error) return <ErrorBox error={campaign.error} />;
  if (!campaign.data) return <Loading />;
  const c = campaign.data;
  return (
    <>
      <PageHeader title={c.name} back={{ href: href('campaigns'), label: 'Campaigns' }}>
        <StatusBadge status={c.status} />
        <Controls campaign={c} onChanged={() => { campaign.reload(); stats.reload(); }} onReject={() => setRejecting(true)} />
      </PageHeader>
      {rejecting && c.status === 'awaiting_approval' && (
        <RejectForm
          campaign={c}
          onDone={(rejected) => {
            setRejecting(false);
            if (rejected) {
              campaign.reload();
              stats.reload();
            }
          }}
        />
      )}
      {live && <p className="muted small live-note">Live: these numbers refresh every 3 seconds.</p>}
      {c.kind === 'triggered' && c.status !== 'draft' && <CatchUp campaignId={id} />}
      {(c.kind === 'recurring' || c.kind === 'triggered') && <Runs campaignId={id} kind={c.kind} live={c.status === 'active'} />}
      <ErrorBox error={stats.error} />
      {s && <Tiles stats={s} />}
      {s?.kpis && (
        <section className="grid-2" aria-label="Hourly activity">
          <div className="card">
            <HourlyChart title="Opens" data={s.hourly} total="opens" human="human_opens" />
          </div>
          <div className="card">
            <HourlyChart title="Clicks" data={s.hourly} total="clicks" human="human_clicks" />
          </div>
        </section>
      )}
      {s && (
        <Errors
          stats={s}
          onShow={(f) => {
            setLedgerFilter(f);
            document.getElementById('ledger-title')?.scrollIntoView({ behavior: 'smooth' });
          }}
        />
      )}
      {s && s.links.length > 0 && <Links links={s.links} />}
      <Funnel id={id} status={c.status} />
      <WhyLookup id={id} />
      {s?.delivery && <Ledger id={id} filter={ledgerFilter} onFilter={setLedgerFilter} live={live} />}
    </>
  );
}

function Controls({ campaign: c, onChanged, onReject }: { campaign: Campaign; onChanged: () => void; onReject: () => void }) {
  const { toast, noteForbidden } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const act = async (action: 'pause' | 'resume' | 'cancel' | 'approve' | 'reject' | 'withdraw') => {
    if (action === 'cancel' && !confirm(`Cancel "${c.name}"? Messages not sent yet will not be sent.`)) return;
    if (action === 'reject') {
      onReject();
      return;
    }
    setBusy(action);
    try {
      await api.post(`/api/v1/campaigns/${c.id}/${action}`);
      toast(`Campaign ${DONE[action]}.`);
      onChanged();
    } catch (err) {
      noteForbidden('deliveries:start', err);
      toast(errorMessage(err), 'error');
    } finally {
      setBusy(null);
    }
  };
  const running = ['sending', 'scheduled', 'active'].includes(c.status);
  return (
    <>
      {c.status === 'awaiting_approval' && (
        <>
          <ActionButton permission="deliveries:start" kind="primary" onClick={() => act('approve')} busy={busy === 'approve'}>
            Approve launch
          </ActionButton>
          <ActionButton permission="deliveries:start" onClick={() => act('reject')} busy={busy === 'reject'}>
            Reject
          </ActionButton>
          <ActionButton permission="campaigns:read" onClick={() => act('withdraw')} busy={busy === 'withdraw'}>
            Withdraw request
          </ActionButton>
        </>
      )}
      {EDITABLE.has(c.status) && (
        <ActionButton permission="campaigns:write" onClick={() => navigate(href('campaigns', c.id, 'edit'))} kind={c.status === 'draft' ? 'primary' : 'secondary'}>
          {c.status === 'draft' ? 'Edit & launch' : 'Edit'}
        </ActionButton>
      )}
      {running && (
        <ActionButton permission="deliveries:start" onClick={() => act('pause')} busy={busy === 'pause'}>
          Pause
        </ActionButton>
      )}
      {c.status === 'paused' && (
        <ActionButton permission="deliveries:start" onClick={() => act('resume')} busy={busy === 'resume'} kind="primary">
          Resume
        </ActionButton>
      )}
      {(running || c.status === 'paused') && (
        <ActionButton permission="deliveries:start" onClick={() => act('cancel')} busy={busy === 'cancel'} kind="danger">
          Cancel
        </ActionButton>
      )}
    </>
  );
}

/** Rejecting a launch request needs a reason: the author reads it in their notification. */
function RejectForm({ campaign: c, onDone }: { campaign: Campaign; onDone: (rejected: boolean) => void }) {
  const { toast } = useSession();
  const [comment, setComment] = useState('');
  const { error, tryWrite } = useFormSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await tryWrite('deliveries:start', async () => {
      await api.post(`/api/v1/campaigns/${c.id}/reject`, { comment: comment.trim() });
      toast(`Campaign ${DONE.reject}.`);
      onDone(true);
    });
  };
  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="reject-title">
      <h2 id="reject-title">Reject the launch of "{c.name}"</h2>
      <TextField label="Why is it rejected? (the author sees this)" multiline rows={2} value={comment} onChange={setComment} error={fieldError(error, 'comment')} />
      <FormError error={error} fields={['comment']} place="inline" />
      <div className="form-actions">
        <ActionButton permission="deliveries:start" type="submit" kind="danger" onClick={() => undefined} disabled={!comment.trim()} disabledReason={null}>
          Send back to draft
        </ActionButton>
        <button type="button" className="btn btn-secondary" onClick={() => onDone(false)}>
          Keep it waiting
        </button>
      </div>
    </form>
  );
}

function Tiles({ stats: s }: { stats: CampaignStats }) {
  const k = s.kpis;
  const errors = s.failed + (k ? k.sent - k.delivered : 0);
  return (
    <section aria-label="Progress and KPIs">
      <div className="card progress-tile" data-testid="progress-tile">
        <div className="progress-head">
          <strong>Progress</strong>
          <span>
            {fmtNum(s.total - s.to_send)} of {fmtNum(s.total)} done · {fmtPct(s.progress, 0)}
          </span>
        </div>
        <ProgressBar value={s.progress} label="Campaign progress" />
        <div className="muted small progress-meta">
          {s.delivery ? (
            <>
              delivery #{s.delivery.id} {s.delivery.status}
              {s.delivery.status_reason ? ` (${s.delivery.status_reason})` : ''} · {fmtNum(s.sent_last_minute)} sent in the last minute · {fmtNum(s.sent_last_hour)} in the last
              hour
              {s.projected_finish_at ? ` · done about ${fmtDate(s.projected_finish_at)}` : ''}
              {s.delivery.finished_at ? ` · finished ${fmtDate(s.delivery.finished_at)}` : ''}
            </>
          ) : (
            'not launched yet'
          )}
        </div>
      </div>
      <div className="tiles">
        <Tile testId="kpi-to-send" label="To send" value={fmtNum(s.to_send)} sub={s.deferred ? `${fmtNum(s.deferred)} deferred` : undefined} />
        <Tile testId="kpi-sent" label="Sent" value={fmtNum(s.sent)} sub={`of ${fmtNum(s.total)}`} />
        <Tile testId="kpi-delivered" label="Delivered" value={fmtPct(k?.delivered_rate)} sub={k ? `${fmtNum(k.delivered)} messages` : undefined} tone="green" />
        <Tile
          testId="kpi-errors"
          label="Bounces + errors"
          value={fmtPct(k?.bounce_error_rate)}
          sub={`${fmtNum(errors)} messages`}
          tone={k?.bounce_error_rate && k.bounce_error_rate > 0.05 ? 'red' : undefined}
        />
        <Tile
          testId="kpi-opens"
          label="Opens, human"
          value={fmtPct(k?.human_open_rate)}
          sub={`total ${fmtPct(k?.open_rate)} with machines · ${fmtNum(k?.opensTotal ?? 0)} opens`}
        />
        <Tile
          testId="kpi-clicks"
          label="Clicks, human"
          value={fmtPct(k?.human_click_rate)}
          sub={`total ${fmtPct(k?.click_rate)} with machines · ${fmtNum(k?.clicksTotal ?? 0)} clicks`}
        />
      </div>
    </section>
  );
}

function Errors({ stats: s, onShow }: { stats: CampaignStats; onShow: (f: LedgerFilter) => void }) {
  const rows = s.by_reason.filter((r) => r.status !== 'sent');
  return (
    <section className="card" aria-labelledby="errors-title">
      <h2 id="errors-title">With errors, skipped or waiting — by reason</h2>
      {rows.length === 0 ? (
        <p className="muted">No message has an error or was skipped.</p>
      ) : (
        <table className="table table-compact">
          <TableHead columns={['Reason', 'Status', { label: 'Messages', kind: 'number' }, 'What it means', { label: 'Recipients', kind: 'sr-only' }]} />
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.reason}-${r.status}`}>
                <td>
                  <code>{r.reason}</code>
                </td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
                <td className="num">{fmtNum(r.count)}</td>
                <td>{r.meaning}</td>
                <td>
                  <button type="button" className="btn btn-secondary btn-small" onClick={() => onShow({ status: r.status, reason: r.reason })} aria-label={`Show the ${r.count} recipients with ${r.reason}`}>
                    Show
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Funnel({ id, status }: { id: number; status: string }) {
  const d = useApi(() => api.get<Diagnosis>(`/api/v1/campaigns/${id}/diagnosis`), [id, status]);
  if (d.error) return <ErrorBox error={d.error} />;
  if (!d.data) return null;
  const top = Math.max(1, d.data.funnel[0]?.count ?? 1);
  return (
    <section className="card" aria-labelledby="funnel-title">
      <h2 id="funnel-title">Audience funnel {d.data.source === 'dry_run' ? <span className="muted small">(what a launch now would do)</span> : null}</h2>
      <p>{d.data.summary}</p>
      <ol className="funnel">
        {d.data.funnel.map((f) => (
          <li key={f.stage}>
            <div className="funnel-row">
              <span className="funnel-label">{f.label}</span>
              <span className="funnel-bar" style={{ width: `${(f.count / top) * 100}%` }} />
              <span className="num">{fmtNum(f.count)}</span>
            </div>
            {f.lost.length > 0 && (
              <ul className="funnel-lost">
                {f.lost.map((l) => (
                  <li key={l.reason}>
                    −{fmtNum(l.count)} <code>{l.reason}</code>: {l.meaning}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

interface Why {
  contact: { id: number; email: string | null; phone: string | null };
  in_audience: boolean;
  ledger: { status: string; reason: string | null; meaning: string | null; attempts: number; response: string | null; sent_at: string | null } | null;
  decision: { kind: string; reason: string | null; meaning: string | null; rule: string; detail: string };
  summary: string;
}

function WhyLookup({ id }: { id: number }) {
  const [contact, setContact] = useState('');
  const [answer, setAnswer] = useState<Why | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setAnswer(null);
    try {
      setAnswer(await api.get<Why>(`/api/v1/campaigns/${id}/why`, { contact }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="card" aria-labelledby="why-title">
      <h2 id="why-title">Why (not)? One contact</h2>
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor="why-contact">Contact email or id</label>
        <input id="why-contact" value={contact} onChange={(e) => setContact(e.target.value)} placeholder="ana@example.com" required />
        <button type="submit" className="btn btn-secondary">
          Explain
        </button>
      </form>
      <ErrorLine error={error} />
      {answer && (
        <div className="why" aria-live="polite">
          <p>
            <strong>{answer.summary}</strong>
          </p>
          <dl className="dl">
            <dt>Contact</dt>
            <dd>
              <a href={href('contacts', answer.contact.id)}>{answer.contact.email ?? answer.contact.phone ?? `#${answer.contact.id}`}</a>
            </dd>
            <dt>In the audience</dt>
            <dd>{answer.in_audience ? 'yes' : 'no'}</dd>
            {answer.ledger && (
              <>
                <dt>Message</dt>
                <dd>
                  {answer.ledger.status}
                  {answer.ledger.reason ? ` — ${answer.ledger.reason}: ${answer.ledger.meaning ?? ''}` : ''}
                  {answer.ledger.response ? ` (server said: ${answer.ledger.response})` : ''}
                </dd>
              </>
            )}
            <dt>Decision now</dt>
            <dd>
              {answer.decision.kind}
              {answer.decision.reason ? ` — ${answer.decision.reason}` : ''}: {answer.decision.detail} <span className="muted">(rule: {answer.decision.rule})</span>
            </dd>
          </dl>
        </div>
      )}
    </section>
  );
}

interface LedgerFilter {
  status: string;
  reason: string;
}

interface LedgerRow {
  id: number;
  contact_id: number | null;
  contact_email: string | null;
  address: string | null;
  status: string;
  reason: string | null;
  attempts: number;
  response: string | null;
  possible_duplicate: boolean;
  sent_at: string | null;
  updated_at: string;
}

const MESSAGE_STATUSES = ['queued', 'claimed', 'sending', 'sent', 'deferred', 'failed', 'skipped', 'cancelled', 'uncertain'];

/** The ledger: every recipient with status, reason and the server's reply, filterable, paged by id. */
function Ledger(props: { id: number; filter: LedgerFilter; onFilter: (f: LedgerFilter) => void; live: boolean }) {
  const { id, filter, onFilter } = props;
  const pages = useCursorPages();
  const after = pages.cursor;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts at the first page
  useEffect(() => pages.reset(), [filter.status, filter.reason]);
  const page = useApi(
    () => api.get<{ items: LedgerRow[]; next_after: number | null }>(`/api/v1/campaigns/${id}/messages`, { limit: 25, after, status: filter.status, reason: filter.reason }),
    [id, after, filter.status, filter.reason],
    { refreshMs: props.live ? 5000 : null },
  );
  const { toast } = useSession();
  return (
    <section className="card" aria-labelledby="ledger-title">
      <h2 id="ledger-title">Recipients</h2>
      <div className="toolbar">
        <label htmlFor="ledger-status">Status</label>
        <select id="ledger-status" value={filter.status} onChange={(e) => onFilter({ status: e.target.value, reason: '' })}>
          <option value="">all</option>
          {MESSAGE_STATUSES.map((st) => (
            <option key={st}>{st}</option>
          ))}
        </select>
        {filter.reason && (
          <span className="chip">
            reason <code>{filter.reason}</code>{' '}
            <button type="button" className="link-button" onClick={() => onFilter({ ...filter, reason: '' })} aria-label="Clear the reason filter">
              ×
            </button>
          </span>
        )}
        <button
          type="button"
          className="btn btn-secondary btn-small"
          onClick={() => api.download(`/api/v1/campaigns/${id}/audience.csv`, `campaign-${id}-audience.csv`).catch((err) => toast(errorMessage(err), 'error'))}
        >
          Export the audience as CSV
        </button>
      </div>
      <ErrorBox error={page.error} />
      {page.data && page.data.items.length === 0 && <p className="muted">No recipients {filter.status || filter.reason ? 'match this filter' : 'yet'}.</p>}
      {page.data && page.data.items.length > 0 && (
        <table className="table table-compact" data-testid="ledger">
          <TableHead columns={['Recipient', 'Status', 'Reason / server reply', { label: 'Attempts', kind: 'number' }, 'Sent']} />
          <tbody>
            {page.data.items.map((m) => (
              <tr key={m.id}>
                <td>{m.contact_id ? <a href={href('contacts', m.contact_id)}>{m.address ?? m.contact_email ?? `#${m.contact_id}`}</a> : (m.address ?? '–')}</td>
                <td>
                  <StatusBadge status={m.status} />
                  {m.possible_duplicate && <span className="badge badge-yellow">possible duplicate</span>}
                </td>
                <td className="small">
                  {m.reason && <code>{m.reason}</code>} {m.response}
                </td>
                <td className="num">{m.attempts}</td>
                <td className="small">{fmtDate(m.sent_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager label="Recipient pages" pages={pages} next={page.data?.next_after} direction="after" compact />
    </section>
  );
}

function Links({ links }: { links: CampaignStats['links'] }) {
  return (
    <section className="card" aria-labelledby="links-title">
      <h2 id="links-title">Clicks per link</h2>
      <table className="table table-compact">
        <TableHead columns={['Link', { label: 'Clicks (human)', kind: 'number' }, { label: 'Unique clickers (human)', kind: 'number' }]} />
        <tbody>
          {links.map((l) => (
            <tr key={l.url}>
              <td className="wrap small">{l.url}</td>
              <td className="num">
                {fmtNum(l.clicks)} ({fmtNum(l.clicks_human)})
              </td>
              <td className="num">
                {fmtNum(l.unique_clickers)} ({fmtNum(l.unique_human_clickers)})
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
