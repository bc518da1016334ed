// The campaign editor: name, template, sender, audience (lists, segment, exclusions), schedule and
// policy, then the pre-flight checklist as red (blocking) and yellow (warning) panels that say
// what is missing and link to where it is fixed (F3.2), and the launch button.
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api, errorMessage } from '../api.ts';
import { useApi } from '../components/use-api.ts';
import { NamedOptions } from '../components/named-options.tsx';
import { ActionButton, ErrorBox, Field, fieldError, FormError, Loading, PageHeader, TextField } from '../components/ui.tsx';
import { href, navigate } from '../router.ts';
import { useSession } from '../session.tsx';
import type { Campaign, CheckItem, Named, Page, Preflight } from '../types.ts';
import { ScheduleEditor } from './campaign-recurrence.tsx';
import { TriggerEditor } from './triggers.tsx';

interface Form {
  name: string;
  template_id: string;
  from_email: string;
  from_name: string;
  reply_to: string;
  list_ids: number[];
  exclude_list_ids: number[];
  segment_id: string;
  exclude_segment_ids: number[];
  tracking: boolean;
  uncertain_policy: 'resend' | 'hold';
  quiet_enabled: boolean | null;
  quiet_start: string;
  quiet_end: string;
}

const EMPTY: Form = {
  name: '',
  template_id: '',
  from_email: '',
  from_name: '',
  reply_to: '',
  list_ids: [],
  exclude_list_ids: [],
  segment_id: '',
  exclude_segment_ids: [],
  tracking: true,
  uncertain_policy: 'hold',
  quiet_enabled: null,
  quiet_start: '21:00',
  quiet_end: '08:00',
};

const FIELDS = ['name', 'template_id', 'from_email', 'from_name', 'reply_to', 'audience', 'settings', 'at'];

function toForm(c: Campaign): Form {
  const q = c.settings.quiet_hours;
  return {
    name: c.name,
    template_id: c.template_id ? String(c.template_id) : '',
    from_email: c.from_email ?? '',
    from_name: c.from_name ?? '',
    reply_to: c.reply_to ?? '',
    list_ids: c.audience.list_ids ?? [],
    exclude_list_ids: c.audience.exclude_list_ids ?? [],
    segment_id: c.audience.segment_id ? String(c.audience.segment_id) : '',
    exclude_segment_ids: c.audience.exclude_segment_ids ?? [],
    tracking: c.settings.tracking ?? true,
    uncertain_policy: c.settings.uncertain_policy ?? 'hold',
    quiet_enabled: q?.enabled ?? null,
    quiet_start: q?.start ?? '21:00',
    quiet_end: q?.end ?? '08:00',
  };
}

function toBody(f: Form) {
  const nul = (s: string) => (s.trim() === '' ? null : s.trim());
  return {
    name: f.name.trim(),
    template_id: f.template_id ? Number(f.template_id) : null,
    from_email: nul(f.from_email),
    from_name: nul(f.from_name),
    reply_to: nul(f.reply_to),
    audience: {
      list_ids: f.list_ids,
      exclude_list_ids: f.exclude_list_ids,
      segment_id: f.segment_id ? Number(f.segment_id) : null,
      exclude_segment_ids: f.exclude_segment_ids,
    },
    settings: {
      tracking: f.tracking,
      uncertain_policy: f.uncertain_policy,
      ...(f.quiet_enabled === null ? {} : { quiet_hours: { enabled: f.quiet_enabled, start: f.quiet_start, end: f.quiet_end } }),
    },
  };
}

/** Where each pre-flight item is fixed: another page (href) or a section of this form (target). */
type FixLink = { label: string; href: string; target?: undefined } | { label: string; target: string; href?: undefined };

function fixLink(item: CheckItem, c: Campaign): FixLink | null {
  switch (item.id) {
    case 'billing':
    case 'company_profile':
      return { href: href('settings', 'profile'), label: 'Open the company profile in Settings' };
    case 'sender':
      // With an address set, what is left is the domain's DKIM key (Settings); else the field.
      return c.from_email ? { href: href('settings', 'senders'), label: 'Open sender domains in Settings' } : { target: 'sender-section', label: 'Set the sender below' };
    case 'template':
      return c.template_id ? { href: href('templates', c.template_id), label: 'Open the template' } : { target: 'template-section', label: 'Choose a template below' };
    case 'unsubscribe_link':
    case 'content':
      return c.template_id ? { href: href('templates', c.template_id), label: 'Edit the template' } : null;
    case 'audience':
      return (c.audience.list_ids ?? []).length === 0 ? { target: 'audience-section', label: 'Choose lists below' } : { href: href('lists'), label: 'Open lists & segments' };
    case 'budget':
      return { href: href('settings', 'limits'), label: 'Open limits in Settings' };
    case 'schedule':
      return { target: 'schedule-section', label: 'Change the schedule below' };
    default:
      return null;
  }
}

/** Scroll to a form section and put the keyboard there (a hash link would change the route). */
function focusSection(id: string) {
  const el = document.getElementById(id);
  if (!el) return;
  el.scrollIntoView({ behavior: 'smooth', block: 'start' });
  el.querySelector<HTMLElement>('input, select, textarea')?.focus({ preventScroll: true });
}

export function CampaignEditorPage({ id }: { id: number | null }) {
  const { toast, noteForbidden } = useSession();
  const existing = useApi(() => (id ? api.get<Campaign>(`/api/v1/campaigns/${id}`) : Promise.resolve(null)), [id]);
  const templates = useApi(() => api.get<Page<Named>>('/api/v1/templates', { limit: 1000 }), []);
  const lists = useApi(() => api.get<Page<Named>>('/api/v1/lists', { limit: 1000 }), []);
  const segments = useApi(() => api.get<Page<Named>>('/api/v1/segments', { limit: 1000 }), []);
  const preflight = useApi(() => (id ? api.get<Preflight>(`/api/v1/campaigns/${id}/preflight`) : Promise.resolve(null)), [id]);
  const [form, setForm] = useState<Form>(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [launching, setLaunching] = useState(false);
  const [launchError, setLaunchError] = useState<unknown>(null);
  // now / at a time (one-off), repeat (recurring: a schedule), event (triggered).
  const [when, setWhen] = useState<'now' | 'at' | 'repeat' | 'event'>('now');
  const [at, setAt] = useState('');

  useEffect(() => {
    if (existing.data) {
      setForm(toForm(existing.data));
      if (existing.data.kind === 'recurring') setWhen('repeat');
      else if (existing.data.kind === 'triggered') setWhen('event');
      else if (existing.data.scheduled_at) {
        setWhen('at');
        setAt(existing.data.scheduled_at.slice(0, 16));
      }
    }
  }, [existing.data]);

  const afterKindChange = () => {
    existing.reload();
    preflight.reload();
  };
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const toggle = (k: 'list_ids' | 'exclude_list_ids' | 'exclude_segment_ids', value: number) =>
    setForm((f) => ({ ...f, [k]: f[k].includes(value) ? f[k].filter((x) => x !== value) : [...f[k], value] }));

  async function save(e?: FormEvent): Promise<Campaign | null> {
    e?.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const c = id ? await api.patch<Campaign>(`/api/v1/campaigns/${id}`, toBody(form)) : await api.post<Campaign>('/api/v1/campaigns', toBody(form));
      toast(id ? 'Campaign saved.' : 'Draft created: check the pre-flight list and launch.');
      if (!id) navigate(href('campaigns', c.id, 'edit'));
      else {
        existing.reload();
        preflight.reload();
      }
      return c;
    } catch (err) {
      noteForbidden('campaigns:write', err);
      setError(err);
      return null;
    } finally {
      setSaving(false);
    }
  }

  async function launch() {
    if (!id) return;
    setLaunching(true);
    setError(null);
    setLaunchError(null);
    try {
      const saved = await save();
      if (!saved) return;
      if ((when === 'repeat' || when === 'event') && existing.data?.kind === 'one-off') {
        throw new Error(when === 'repeat' ? 'Save the schedule first (below).' : 'Save the trigger first (below).');
      }
      const body = when === 'at' && at ? { at: new Date(at).toISOString() } : {};
      // /launch follows the account's approval rule (a request when approval is required);
      // a Herald without approvals only has /send.
      let c: Campaign;
      try {
        c = await api.post<Campaign>(`/api/v1/campaigns/${id}/launch`, body);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404 && err.message.startsWith('no route'))) throw err;
        c = await api.post<Campaign>(`/api/v1/campaigns/${id}/send`, body);
      }
      toast(c.status === 'scheduled' ? 'Campaign scheduled.' : c.status === 'awaiting_approval' ? 'Sent for approval.' : 'Campaign launched.');
      navigate(href('campaigns', id));
    } catch (err) {
      // Shown beside the launch button: a refusal to launch (403, blocking pre-flight, state).
      setLaunchError(err);
      preflight.reload();
    } finally {
      setLaunching(false);
    }
  }

  if (id && existing.error) return <ErrorBox error={existing.error} />;
  if (id && !existing.data) return <Loading />;
  const c = existing.data;
  if (c && !['draft', 'scheduled'].includes(c.status)) {
    return (
      <>
        <PageHeader title={c.name} back={{ href: href('campaigns', c.id), label: 'Campaign' }} />
        <p>This campaign is {c.status.replace(/_/g, ' ')}: only drafts and scheduled campaigns can be edited.</p>
      </>
    );
  }
  const pf = preflight.data;
  const blocking = pf?.items.filter((i) => i.status === 'blocking') ?? [];
  const warnings = pf?.items.filter((i) => i.status === 'warning') ?? [];
  return (
    <>
      <PageHeader title={c ? `Edit: ${c.name}` : 'New campaign'} back={c ? { href: href('campaigns', c.id), label: 'Campaign' } : { href: href('campaigns'), label: 'Campaigns' }} />
      <FormError error={error} fields={FIELDS} />
      {c && pf && (
        <section aria-labelledby="preflight-title" className="preflight" data-testid="preflight">
          <h2 id="preflight-title">
            Pre-flight check{' '}
            {pf.ready ? <span className="badge badge-green">ready to launch</span> : <span className="badge badge-red">{blocking.length} blocking</span>}
          </h2>
          {blocking.map((i) => (
            <CheckPanel key={i.id} item={i} link={fixLink(i, c)} />
          ))}
          {warnings.map((i) => (
            <CheckPanel key={i.id} item={i} link={fixLink(i, c)} />
          ))}
          <details className="small">
            <summary>{pf.items.filter((i) => i.status === 'ok').length} checks passed</summary>
            <ul>
              {pf.items
                .filter((i) => i.status === 'ok')
                .map((i) => (
                  <li key={i.id}>
                    ✓ {i.title}: {i.detail}
                  </li>
                ))}
            </ul>
          </details>
        </section>
      )}
      <form className="card form" onSubmit={save} noValidate>
        <fieldset>
          <legend>Campaign</legend>
          <TextField label="Campaign name" value={form.name} onChange={(v) => set('name', v)} error={fieldError(error, 'name')} required />
          <div id="template-section">
            <Field label="Template" error={fieldError(error, 'template_id')} hint={<a href={href('templates')}>Manage templates</a>}>
              {(fid, d) => (
                <select id={fid} aria-describedby={d} value={form.template_id} onChange={(e) => set('template_id', e.target.value)}>
                  <NamedOptions none="— choose a template —" items={templates.data?.items} />
                </select>
              )}
            </Field>
          </div>
        </fieldset>
        <fieldset id="sender-section">
          <legend>Sender</legend>
          <div className="grid-3">
            <TextField label="From address" type="email" value={form.from_email} onChange={(v) => set('from_email', v)} error={fieldError(error, 'from_email')} placeholder="news@your-domain.com" />
            <TextField label="From name" value={form.from_name} onChange={(v) => set('from_name', v)} error={fieldError(error, 'from_name')} />
            <TextField label="Reply-to" type="email" value={form.reply_to} onChange={(v) => set('reply_to', v)} error={fieldError(error, 'reply_to')} />
          </div>
        </fieldset>
        <fieldset id="audience-section">
          <legend>Audience</legend>
          {fieldError(error, 'audience') && (
            <div className="field-error" role="alert">
              {fieldError(error, 'audience')}
            </div>
          )}
          <div className="grid-2">
            <CheckGroup label="Send to the subscribers of" items={lists.data?.items ?? []} selected={form.list_ids} onToggle={(v) => toggle('list_ids', v)} empty="No lists yet." />
            <CheckGroup label="Exclude the members of" items={lists.data?.items ?? []} selected={form.exclude_list_ids} onToggle={(v) => toggle('exclude_list_ids', v)} empty="No lists yet." />
          </div>
          <div className="grid-2">
            <Field label="Only contacts in segment" hint="optional">
              {(fid, d) => (
                <select id={fid} aria-describedby={d} value={form.segment_id} onChange={(e) => set('segment_id', e.target.value)}>
                  <NamedOptions none="— everyone in the lists —" items={segments.data?.items} />
                </select>
              )}
            </Field>
            <CheckGroup label="Exclude segments" items={segments.data?.items ?? []} selected={form.exclude_segment_ids} onToggle={(v) => toggle('exclude_segment_ids', v)} empty="No segments yet." />
          </div>
        </fieldset>
        <fieldset>
          <legend>Policy</legend>
          <label className="check">
            <input type="checkbox" checked={form.tracking} onChange={(e) => set('tracking', e.target.checked)} /> Track opens and clicks
          </label>
          <Field label="A message whose hand-off was under way when a worker stopped" hint="Resend risks a duplicate (flagged); hold keeps it as uncertain for you to decide.">
            {(fid, d) => (
              <select id={fid} aria-describedby={d} value={form.uncertain_policy} onChange={(e) => set('uncertain_policy', e.target.value as Form['uncertain_policy'])}>
                <option value="hold">hold it as uncertain</option>
                <option value="resend">send it again</option>
              </select>
            )}
          </Field>
          <Field label="Quiet hours (in each recipient's time zone)">
            {(fid, d) => (
              <select
                id={fid}
                aria-describedby={d}
                value={form.quiet_enabled === null ? 'account' : form.quiet_enabled ? 'on' : 'off'}
                onChange={(e) => set('quiet_enabled', e.target.value === 'account' ? null : e.target.value === 'on')}
              >
                <option value="account">as the account's settings</option>
                <option value="on">on for this campaign</option>
                <option value="off">off for this campaign</option>
              </select>
            )}
          </Field>
          {form.quiet_enabled && (
            <div className="grid-2">
              <TextField label="Quiet from" type="time" value={form.quiet_start} onChange={(v) => set('quiet_start', v)} />
              <TextField label="Quiet until" type="time" value={form.quiet_end} onChange={(v) => set('quiet_end', v)} />
            </div>
          )}
          {fieldError(error, 'settings') && <div className="field-error">{fieldError(error, 'settings')}</div>}
        </fieldset>
        {c && (
          <fieldset id="schedule-section">
            <legend>Schedule</legend>
            <div className="radio-row" role="radiogroup" aria-label="When to send">
              {(
                [
                  ['now', 'Send now'],
                  ['at', 'At a time'],
                  ['repeat', 'Repeat on a schedule'],
                  ['event', 'When an event arrives'],
                ] as const
              ).map(([value, label]) => (
                <label key={value} className="check">
                  {/* A recurring or triggered draft keeps its kind until its schedule or trigger is removed. */}
                  <input type="radio" name="when" checked={when === value} disabled={c.kind !== 'one-off' && when !== value} onChange={() => setWhen(value)} /> {label}
                </label>
              ))}
            </div>
            {c.kind !== 'one-off' && <p className="hint">Remove the {c.kind === 'recurring' ? 'schedule' : 'trigger'} below to make it a one-off campaign again.</p>}
            {when === 'at' && <TextField label="Send at (your local time)" type="datetime-local" value={at} onChange={setAt} error={fieldError(error, 'at')} />}
            {when === 'repeat' && <ScheduleEditor campaignId={c.id} recurring={c.kind === 'recurring'} onChanged={afterKindChange} />}
            {when === 'event' && <TriggerEditor campaignId={c.id} triggered={c.kind === 'triggered'} onChanged={afterKindChange} />}
          </fieldset>
        )}
        <div className="form-actions">
          <ActionButton permission="campaigns:write" type="submit" onClick={() => undefined} busy={saving}>
            {c ? 'Save' : 'Create draft'}
          </ActionButton>
          {c && (
            <ActionButton
              permission="campaigns:write"
              kind="primary"
              onClick={launch}
              busy={launching}
              disabled={!pf?.ready}
              disabledReason={pf && !pf.ready ? `Fix the ${blocking.length} blocking item${blocking.length === 1 ? '' : 's'} above first.` : null}
            >
              {when === 'at' ? 'Schedule' : 'Launch'}
            </ActionButton>
          )}
          {launchError ? (
            <p className="field-error" role="alert">
              {errorMessage(launchError)}
            </p>
          ) : null}
        </div>
      </form>
    </>
  );
}

function CheckPanel({ item, link }: { item: CheckItem; link: FixLink | null }) {
  const red = item.status === 'blocking';
  return (
    <div className={`panel ${red ? 'panel-red' : 'panel-yellow'}`} data-testid={`preflight-${item.id}`}>
      <div className="panel-title">
        <span className={`badge ${red ? 'badge-red' : 'badge-yellow'}`}>{red ? 'blocking' : 'warning'}</span> <strong>{item.title}</strong>
      </div>
      <div>{item.detail}</div>
      {item.fix && (
        <div className="panel-fix">
          {link?.href !== undefined ? <a href={link.href}>{link.label}</a> : null}
          {link?.target !== undefined ? (
            <button type="button" className="link-button" onClick={() => focusSection(link.target)}>
              {link.label}
            </button>
          ) : null}
          {link ? ' — ' : ''}
          {item.fix.hint}
          {item.fix.cli && (
            <div className="muted small">
              CLI: <code>{item.fix.cli}</code>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

function CheckGroup(props: { label: string; items: Named[]; selected: number[]; onToggle: (id: number) => void; empty: string }) {
  return (
    <fieldset className="check-group">
      <legend>{props.label}</legend>
      {props.items.length === 0 ? (
        <p className="muted small">{props.empty}</p>
      ) : (
        <div className="check-scroll">
          {props.items.map((i) => (
            <label key={i.id} className="check">
              <input type="checkbox" checked={props.selected.includes(i.id)} onChange={() => props.onToggle(i.id)} /> {i.name}
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}

