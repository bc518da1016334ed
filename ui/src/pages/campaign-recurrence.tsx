// Recurring campaigns: the schedule editor (cron rule in a time zone, confirm each run, what
// becomes of runs missed while Herald was down, window and run limit) with the next occurrences
// the server computed, and the runs list of the detail page (status, counts, KPIs per run,
// Confirm/Skip for a run that waits for confirmation).
import { type FormEvent, Fragment, useEffect, useState } from 'react';
import { api } from '../api.ts';
import { usePrincipalNames } from '../components/principal-names.ts';
import { useCursorPages } from '../components/cursor-pages.ts';
import { Pager } from '../components/pager.tsx';
import { useServerAction } from '../components/use-server-action.ts';
import { useApi } from '../components/use-api.ts';
import { useFormSubmit } from '../components/use-form-submit.ts';
import { TableHead } from '../components/table-head.tsx';
import { ActionButton, ErrorBox, Field, fieldError, FormError, fmtDate, fmtNum, fmtPct, StatusBadge, TextField } from '../components/ui.tsx';
import { useSession } from '../session.tsx';
import type { CampaignStats } from '../types.ts';

export interface Schedule {
  cron: string;
  timezone: string;
  confirm_each_run: boolean;
  missed_runs: 'run_once' | 'skip';
  starts_at: string | null;
  ends_at: string | null;
  max_runs: number | null;
  next_run_at: string | null;
  runs_created: number;
  upcoming: { at: string; local: string }[];
}

const FIELDS = ['cron', 'timezone', 'confirm_each_run', 'missed_runs', 'starts_at', 'ends_at', 'max_runs'];

/** The schedule of a draft (or paused) recurring campaign; `onChanged` after it is set or removed. */
export function ScheduleEditor({ campaignId, recurring, onChanged }: { campaignId: number; recurring: boolean; onChanged: () => void }) {
  const { toast } = useSession();
  const loaded = useApi(async () => {
    if (!recurring) return null;
    return await api.getOrNull<Schedule>(`/api/v1/campaigns/${campaignId}/schedule`);
  }, [campaignId, recurring]);
  const [f, setF] = useState({ cron: '0 9 * * 1', timezone: '', confirm_each_run: false, missed_runs: 'run_once', starts_at: '', ends_at: '', max_runs: '' });
  const { error, tryWrite } = useFormSubmit();
  const [saved, setSaved] = useState<Schedule | null>(null);
  useEffect(() => {
    const s = loaded.data;
    if (!s) return;
    setSaved(s);
    setF({
      cron: s.cron,
      timezone: s.timezone,
      confirm_each_run: s.confirm_each_run,
      missed_runs: s.missed_runs,
      starts_at: s.starts_at ?? '',
      ends_at: s.ends_at ?? '',
      max_runs: s.max_runs === null ? '' : String(s.max_runs),
    });
  }, [loaded.data]);
  const save = async (e?: FormEvent) => {
    e?.preventDefault();
    await tryWrite('campaigns:write', async () => {
      const s = await api.put<Schedule>(`/api/v1/campaigns/${campaignId}/schedule`, {
        cron: f.cron.trim(),
        timezone: f.timezone.trim() || null,
        confirm_each_run: f.confirm_each_run,
        missed_runs: f.missed_runs,
        starts_at: f.starts_at.trim() || null,
        ends_at: f.ends_at.trim() || null,
        max_runs: f.max_runs.trim() === '' ? null : Number(f.max_runs),
      });
      setSaved(s);
      setF((x) => ({ ...x, timezone: s.timezone }));
      toast('Schedule saved: it starts when the campaign is launched.');
      if (!recurring) onChanged();
    });
  };
  const remove = async () => {
    await tryWrite('campaigns:write', async () => {
      await api.del(`/api/v1/campaigns/${campaignId}/schedule`);
      setSaved(null);
      toast('Schedule removed: the campaign is a one-off draft again.');
      onChanged();
    });
  };
  // (A fieldset, not a form: it sits inside the campaign editor's form.)
  return (
    <fieldset className="subform">
      <legend>Repeat on a schedule</legend>
      <ErrorBox error={loaded.error} />
      <FormError error={error} fields={FIELDS} place="subform" />
      <div className="grid-2">
        <TextField
          label="Cron rule"
          value={f.cron}
          onChange={(v) => setF({ ...f, cron: v })}
          error={fieldError(error, 'cron')}
          hint={'minute hour day month weekday, e.g. "0 9 * * 1" is Mondays at 09:00, "30 8 1 * *" the 1st of each month at 08:30'}
        />
        <TextField label="Time zone" value={f.timezone} onChange={(v) => setF({ ...f, timezone: v })} error={fieldError(error, 'timezone')} placeholder="the account's" hint="IANA name, e.g. Europe/Berlin; empty: the account's" />
        <Field label="Runs missed while Herald was down" error={fieldError(error, 'missed_runs')}>
          {(id, d) => (
            <select id={id} aria-describedby={d} value={f.missed_runs} onChange={(e) => setF({ ...f, missed_runs: e.target.value })}>
              <option value="run_once">run once, for the latest missed time</option>
              <option value="skip">skip them (recorded as skipped)</option>
            </select>
          )}
        </Field>
        <TextField label="Stop after this many runs" type="number" value={f.max_runs} onChange={(v) => setF({ ...f, max_runs: v })} error={fieldError(error, 'max_runs')} hint="empty: no limit" />
        <TextField label="First run not before" value={f.starts_at} onChange={(v) => setF({ ...f, starts_at: v })} error={fieldError(error, 'starts_at')} placeholder="2026-12-01 09:00" hint="local time in the zone above, or ISO with offset; empty: from now" />
        <TextField label="No run from" value={f.ends_at} onChange={(v) => setF({ ...f, ends_at: v })} error={fieldError(error, 'ends_at')} placeholder="2027-06-30 00:00" hint="empty: never ends" />
      </div>
      <label className="check">
        <input type="checkbox" checked={f.confirm_each_run} onChange={(e) => setF({ ...f, confirm_each_run: e.target.checked })} /> Confirm each run (it waits on the
        campaign page for Confirm or Skip)
      </label>
      <div className="form-actions">
        <ActionButton permission="campaigns:write" onClick={() => save()}>
          Save schedule
        </ActionButton>
        {recurring && (
          <ActionButton permission="campaigns:write" onClick={remove}>
            Remove the schedule
          </ActionButton>
        )}
      </div>
      {saved && (
        <div className="panel" data-testid="upcoming-runs">
          <strong>Next runs</strong> ({saved.timezone}):
          {saved.upcoming.length === 0 ? (
            <span> none in the window.</span>
          ) : (
            <ol className="small">
              {saved.upcoming.map((o) => (
                <li key={o.at}>{o.local.replace('T', ' ').replace(/:00([+-]\d\d:\d\d|Z)$/, ' $1')}</li>
              ))}
            </ol>
          )}
        </div>
      )}
    </fieldset>
  );
}

interface Run {
  id: number;
  status: string;
  status_reason: string | null;
  run_key: string | null;
  scheduled_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  counts: Record<string, number>;
  total: number;
}

const FINISHED = new Set(['completed', 'cancelled', 'skipped']);

/** The runs of a recurring (or triggered) campaign, newest first, each with its numbers. */
export function Runs({ campaignId, kind, live }: { campaignId: number; kind: string; live: boolean }) {
  const { toast } = useSession();
  const runAction = useServerAction();
  const names = usePrincipalNames();
  const pages = useCursorPages();
  const cursor = pages.cursor;
  // Refreshed while the campaign is active or a run is not finished (a campaign whose last run
  // was created is completed while that run still waits for confirmation or sends).
  const [unfinished, setUnfinished] = useState(false);
  const runs = useApi(() => api.get<{ items: Run[]; next_before: number | null }>(`/api/v1/campaigns/${campaignId}/deliveries`, { limit: 20, before: cursor }), [campaignId, cursor], {
    refreshMs: live || unfinished ? 3000 : null,
  });
  useEffect(() => {
    setUnfinished(runs.data?.items.some((r) => !FINISHED.has(r.status)) ?? false);
  }, [runs.data]);
  const [open, setOpen] = useState<number | null>(null);
  const act = async (r: Run, action: 'confirm' | 'skip') => {
    await runAction('deliveries:start', async () => {
      await api.post(`/api/v1/deliveries/${r.id}/${action}`);
      toast(action === 'confirm' ? `Run #${r.id} confirmed: it sends as scheduled.` : `Run #${r.id} skipped.`);
      runs.reload();
    });
  };
  return (
    <section className="card" aria-labelledby="runs-title">
      <h2 id="runs-title">Runs</h2>
      <ErrorBox error={runs.error} />
      {runs.data && runs.data.items.length === 0 && (
        <p className="muted">
          {kind === 'triggered'
            ? 'No runs yet: one is made when a matching event arrives (after its delay), or by a catch-up send.'
            : 'No runs yet: the first one is made at its time once the campaign is launched.'}
        </p>
      )}
      {runs.data && runs.data.items.length > 0 && (
        <table className="table table-compact" data-testid="runs-table">
          <TableHead columns={['Run', 'Time', 'Status', 'Sent / total', 'Not sent', { label: 'Actions', kind: 'sr-only' }]} />
          <tbody>
            {runs.data.items.map((r) => (
              <Fragment key={r.id}>
                <tr>
                  <td>#{r.id}</td>
                  <td className="small">{fmtDate(r.started_at ?? r.scheduled_at)}</td>
                  <td>
                    <StatusBadge status={r.status} />
                    {r.status_reason && <div className="small muted">{names(r.status_reason)}</div>}
                  </td>
                  <td>
                    {fmtNum(r.counts.sent ?? 0)} / {fmtNum(r.total)}
                  </td>
                  <td title="failed, skipped or cancelled (the reasons are in the recipients ledger)">
                    {fmtNum((r.counts.failed ?? 0) + (r.counts.skipped ?? 0) + (r.counts.cancelled ?? 0))}
                  </td>
                  <td className="row-actions">
                    {r.status === 'awaiting_confirmation' && (
                      <>
                        <ActionButton permission="deliveries:start" kind="primary" onClick={() => act(r, 'confirm')} label={`Confirm run #${r.id}`}>
                          Confirm
                        </ActionButton>
                        <ActionButton permission="deliveries:start" onClick={() => act(r, 'skip')} label={`Skip run #${r.id}`}>
                          Skip
                        </ActionButton>
                      </>
                    )}
                    {r.total > 0 && (
                      <button type="button" className="btn btn-secondary btn-small" aria-expanded={open === r.id} onClick={() => setOpen(open === r.id ? null : r.id)}>
                        {open === r.id ? 'Hide numbers' : 'Numbers'}
                        <span className="sr-only"> of run #{r.id}</span>
                      </button>
                    )}
                  </td>
                </tr>
                {open === r.id && (
                  <tr>
                    <td colSpan={6}>
                      <RunNumbers id={r.id} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      <Pager label="Run pages" pages={pages} next={runs.data?.next_before} direction="before" />
    </section>
  );
}

function RunNumbers({ id }: { id: number }) {
  const stats = useApi(() => api.get<CampaignStats>(`/api/v1/deliveries/${id}/stats`), [id]);
  if (stats.error) return <ErrorBox error={stats.error} />;
  const k = stats.data?.kpis;
  if (!k) return <span className="muted small">…</span>;
  return (
    <dl className="kv small" data-testid={`run-${id}-numbers`}>
      <dt>Sent</dt>
      <dd>{fmtNum(k.sent)}</dd>
      <dt>Delivered</dt>
      <dd>{fmtPct(k.delivered_rate)}</dd>
      <dt>Bounces + errors</dt>
      <dd>{fmtPct(k.bounce_error_rate)}</dd>
      <dt>Opens (human)</dt>
      <dd>{fmtPct(k.human_open_rate)}</dd>
      <dt>Clicks (human)</dt>
      <dd>{fmtPct(k.human_click_rate)}</dd>
    </dl>
  );
}
