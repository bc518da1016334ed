// Settings: company profile (a pre-flight requirement), sender domains, limits and quiet hours,
// suppressions, the approval rule, users and roles, API keys, webhooks (outgoing, and the
// providers' bounce and complaint webhooks). Each tab reads and writes its own API.
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api.ts';
import { useCursorPages } from '../components/cursor-pages.ts';
import { Pager } from '../components/pager.tsx';
import { useServerAction } from '../components/use-server-action.ts';
import { useApi } from '../components/use-api.ts';
import { useFormSubmit } from '../components/use-form-submit.ts';
import { TableHead } from '../components/table-head.tsx';
import { ToolbarSearch } from '../components/toolbar-search.tsx';
import { ActionButton, ErrorBox, Field, fieldError, FormError, fmtDate, fmtNum, formError, Loading, PageHeader, TextField } from '../components/ui.tsx';
import { href } from '../router.ts';
import { useSession } from '../session.tsx';
import { ProviderWebhooks } from './provider-webhooks.tsx';

const TABS = [
  { key: 'profile', label: 'Company profile' },
  { key: 'senders', label: 'Sender domains' },
  { key: 'limits', label: 'Limits & quiet hours' },
  { key: 'suppressions', label: 'Suppressions' },
  { key: 'approval', label: 'Approval' },
  { key: 'users', label: 'Users & roles' },
  { key: 'keys', label: 'API keys' },
  { key: 'webhooks', label: 'Webhooks' },
] as const;

export function SettingsPage({ tab }: { tab: string }) {
  return (
    <>
      <PageHeader title="Settings" />
      <nav className="subnav" aria-label="Settings sections">
        {TABS.map((t) => (
          <a key={t.key} href={href('settings', t.key)} aria-current={tab === t.key ? 'page' : undefined}>
            {t.label}
          </a>
        ))}
      </nav>
      {tab === 'profile' && <ProfileTab />}
      {tab === 'senders' && <SendersTab />}
      {tab === 'limits' && <LimitsTab />}
      {tab === 'suppressions' && <SuppressionsTab />}
      {tab === 'approval' && <ApprovalTab />}
      {tab === 'users' && <UsersTab />}
      {tab === 'keys' && <KeysTab />}
      {tab === 'webhooks' && (
        <>
          <WebhooksTab />
          <ProviderWebhooks />
        </>
      )}
    </>
  );
}

interface Profile {
  profile: { company_name: string | null; phone: string | null; postal_address: string | null; default_from_email: string | null };
  billing: { verified: boolean };
}

function ProfileTab() {
  const { toast } = useSession();
  const loaded = useApi(() => api.get<Profile>('/api/v1/account/profile'), []);
  const [f, setF] = useState({ company_name: '', phone: '', postal_address: '', default_from_email: '' });
  const { error, busy, tryWrite } = useFormSubmit();
  useEffect(() => {
    const p = loaded.data?.profile;
    if (p) setF({ company_name: p.company_name ?? '', phone: p.phone ?? '', postal_address: p.postal_address ?? '', default_from_email: p.default_from_email ?? '' });
  }, [loaded.data]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    await tryWrite('settings:write', async () => {
      const nul = (s: string) => (s.trim() === '' ? null : s.trim());
      await api.put('/api/v1/account/profile', {
        company_name: nul(f.company_name),
        phone: nul(f.phone),
        postal_address: nul(f.postal_address),
        default_from_email: nul(f.default_from_email),
      });
      toast('Company profile saved.');
      loaded.reload();
    });
  };
  if (loaded.error) return <ErrorBox error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  const fields = ['company_name', 'phone', 'postal_address', 'default_from_email'];
  return (
    <form className="card form" onSubmit={save} noValidate aria-labelledby="profile-title" data-testid="profile-form">
      <h2 id="profile-title">Company profile</h2>
      <p className="muted">Marketing mail must name its sender with a postal address: these fill the legal footer, and launching needs them.</p>
      <FormError error={error} fields={fields} />
      <TextField label="Company name" name="company_name" value={f.company_name} onChange={(v) => setF({ ...f, company_name: v })} error={fieldError(error, 'company_name')} />
      <TextField label="Phone" name="phone" type="tel" value={f.phone} onChange={(v) => setF({ ...f, phone: v })} error={fieldError(error, 'phone')} placeholder="+49 30 1234567" />
      <TextField
        label="Postal address"
        name="postal_address"
        multiline
        rows={3}
        value={f.postal_address}
        onChange={(v) => setF({ ...f, postal_address: v })}
        error={fieldError(error, 'postal_address')}
      />
      <TextField
        label="Default sender address"
        name="default_from_email"
        type="email"
        value={f.default_from_email}
        onChange={(v) => setF({ ...f, default_from_email: v })}
        error={fieldError(error, 'default_from_email')}
      />
      <p className="small">Billing: {loaded.data.billing.verified ? 'verified (self-hosted: no payment needed)' : 'not verified — sending is blocked'}</p>
      <div className="form-actions">
        <ActionButton permission="settings:write" type="submit" kind="primary" onClick={() => undefined} busy={busy}>
          Save profile
        </ActionButton>
      </div>
    </form>
  );
}

interface SenderDomain {
  id: number;
  domain: string;
  dkim_selector: string | null;
  dkim_enabled: boolean;
  dkim_dns_record: { name: string; type: string; value: string } | null;
  created_at: string;
}

function SendersTab() {
  const { toast } = useSession();
  const runAction = useServerAction();
  const list = useApi(() => api.get<{ items: SenderDomain[] }>('/api/v1/sender-domains'), []);
  const [domain, setDomain] = useState('');
  const domainAction = async (d: SenderDomain, action: 'dkim' | 'delete') => {
    const question =
      action === 'delete'
        ? `Delete ${d.domain} and its DKIM key? Mail from it goes out unsigned afterwards.`
        : `Make a new DKIM key for ${d.domain}? Publish the new DNS record before sending again.`;
    if (!confirm(question)) return;
    await runAction('settings:write', async () => {
      if (action === 'delete') await api.del(`/api/v1/sender-domains/${d.id}`);
      else await api.post(`/api/v1/sender-domains/${d.id}/dkim`, {});
      toast(action === 'delete' ? `${d.domain} deleted.` : `New DKIM key for ${d.domain}: publish the record shown.`);
      list.reload();
    });
  };
  const { error, tryWrite } = useFormSubmit();
  const add = async (e: FormEvent) => {
    e.preventDefault();
    await tryWrite('settings:write', async () => {
      await api.post('/api/v1/sender-domains', { domain: domain.trim(), generate_dkim: true });
      toast(`Sender domain ${domain} added with a DKIM key: publish the DNS record shown.`);
      setDomain('');
      list.reload();
    });
  };
  return (
    <section className="card" aria-labelledby="senders-title">
      <h2 id="senders-title">Sender domains</h2>
      <ErrorBox error={list.error} />
      {list.data && list.data.items.length === 0 && <p className="muted">No sender domain yet: messages go out unsigned.</p>}
      {list.data?.items.map((d) => (
        <div key={d.id} className="panel">
          <strong>{d.domain}</strong> {d.dkim_enabled ? <span className="badge badge-green">DKIM signing</span> : <span className="badge badge-yellow">no DKIM</span>}
          {d.dkim_dns_record && (
            <div className="small">
              Publish: <code>{d.dkim_dns_record.name}</code> {d.dkim_dns_record.type} <code className="wrap">{d.dkim_dns_record.value}</code>
            </div>
          )}
          <div className="row-actions">
            <ActionButton permission="settings:write" onClick={() => domainAction(d, 'dkim')}>
              {d.dkim_enabled ? 'New DKIM key' : 'Generate a DKIM key'}
            </ActionButton>
            <ActionButton permission="settings:write" kind="danger" onClick={() => domainAction(d, 'delete')}>
              Delete
            </ActionButton>
          </div>
        </div>
      ))}
      <form className="inline-form" onSubmit={add}>
        <Field label="Add a domain" error={fieldError(error, 'domain') ?? formError(error, ['domain'])}>
          {(fid, d) => <input id={fid} aria-describedby={d} value={domain} onChange={(e) => setDomain(e.target.value)} placeholder="news.example.com" />}
        </Field>
        <ActionButton permission="settings:write" type="submit" onClick={() => undefined}>
          Add with DKIM key
        </ActionButton>
      </form>
    </section>
  );
}

interface Limits {
  timezone: string;
  day: string;
  channels: Array<{ channel: string; configured_limit: number | null; effective_limit: number | null; sent_today: number; remaining_today: number | null; stopped: boolean; explanation: string[] }>;
}

interface Policy {
  pacing: {
    quiet_hours: { enabled: boolean; start: string; end: string; apply_to_one_off: boolean; ramp_minutes: number };
    timezone: string;
    daily_limit: Record<string, number | null>;
    frequency_cap: { max_messages: number; per_days: number } | null;
    warmup: { enabled: boolean; start_per_day: number; growth_factor: number; started_at: string | null };
    domain_throttles: Record<string, { per_minute: number | null } | null>;
  };
}

function LimitsTab() {
  const { toast } = useSession();
  const limits = useApi(() => api.get<Limits>('/api/v1/account/limits'), []);
  const policy = useApi(() => api.get<Policy>('/api/v1/account/policy'), []);
  const [q, setQ] = useState({ enabled: true, start: '21:00', end: '09:00', apply_to_one_off: false });
  const [tz, setTz] = useState('UTC');
  const [daily, setDaily] = useState('');
  const [cap, setCap] = useState({ max: '', days: '7' });
  const [warm, setWarm] = useState({ enabled: false, start: '50', growth: '1.5' });
  const { error, tryWrite } = useFormSubmit();
  useEffect(() => {
    const p = policy.data?.pacing;
    if (!p) return;
    setCap(p.frequency_cap ? { max: String(p.frequency_cap.max_messages), days: String(p.frequency_cap.per_days) } : { max: '', days: '7' });
    setWarm({ enabled: p.warmup.enabled, start: String(p.warmup.start_per_day), growth: String(p.warmup.growth_factor) });
    setQ({ enabled: p.quiet_hours.enabled, start: p.quiet_hours.start, end: p.quiet_hours.end, apply_to_one_off: p.quiet_hours.apply_to_one_off });
    setTz(p.timezone);
    setDaily(p.daily_limit.email ? String(p.daily_limit.email) : '');
  }, [policy.data]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    await tryWrite('settings:write', async () => {
      await api.put('/api/v1/account/policy', {
        pacing: {
          quiet_hours: q,
          timezone: tz,
          daily_limit: { email: daily.trim() ? Number(daily) : null },
          frequency_cap: cap.max.trim() ? { max_messages: Number(cap.max), per_days: Number(cap.days) } : null,
          warmup: { enabled: warm.enabled, start_per_day: Number(warm.start), growth_factor: Number(warm.growth) },
        },
      });
      toast('Limits and quiet hours saved.');
      policy.reload();
      limits.reload();
    });
  };
  return (
    <>
      <section className="card" aria-labelledby="today-title">
        <h2 id="today-title">Today {limits.data ? <span className="muted small">({limits.data.day}, {limits.data.timezone})</span> : null}</h2>
        <ErrorBox error={limits.error} />
        {limits.data?.channels.map((c) => (
          <div key={c.channel} className="panel">
            <strong>{c.channel}</strong>: {fmtNum(c.sent_today)} sent today
            {c.effective_limit !== null ? ` of ${fmtNum(c.effective_limit)} (${fmtNum(c.remaining_today)} left)` : ', no daily limit'}
            {c.stopped && <span className="badge badge-red"> stopped</span>}
            {c.explanation.length > 0 && (
              <ul className="small">
                {c.explanation.map((x) => (
                  <li key={x}>{x}</li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </section>
      <form className="card form" onSubmit={save} noValidate aria-labelledby="quiet-title">
        <h2 id="quiet-title">Quiet hours and daily limit</h2>
        <FormError error={error} fields={['pacing']} />
        {fieldError(error, 'pacing') && (
          <div className="field-error" role="alert">
            {fieldError(error, 'pacing')}
          </div>
        )}
        <label className="check">
          <input type="checkbox" checked={q.enabled} onChange={(e) => setQ({ ...q, enabled: e.target.checked })} /> Quiet hours on (no marketing mail in these hours, recipient's time)
        </label>
        <div className="grid-2">
          <TextField label="Quiet from" type="time" value={q.start} onChange={(v) => setQ({ ...q, start: v })} />
          <TextField label="Quiet until" type="time" value={q.end} onChange={(v) => setQ({ ...q, end: v })} />
        </div>
        <label className="check">
          <input type="checkbox" checked={q.apply_to_one_off} onChange={(e) => setQ({ ...q, apply_to_one_off: e.target.checked })} /> Also hold one-off campaigns
        </label>
        <TextField label="Account time zone" value={tz} onChange={setTz} hint="IANA name, e.g. Europe/Berlin" />
        <TextField label="Daily email limit" type="number" value={daily} onChange={setDaily} hint="empty: no limit" />
        <fieldset>
          <legend>Frequency cap (marketing messages per contact)</legend>
          <div className="grid-2">
            <TextField label="At most … messages" type="number" value={cap.max} onChange={(v) => setCap({ ...cap, max: v })} hint="empty: no cap" />
            <TextField label="… in this many days" type="number" value={cap.days} onChange={(v) => setCap({ ...cap, days: v })} />
          </div>
        </fieldset>
        <fieldset>
          <legend>Warm-up (a new sending domain or IP)</legend>
          <label className="check">
            <input type="checkbox" checked={warm.enabled} onChange={(e) => setWarm({ ...warm, enabled: e.target.checked })} /> Warm up: start small and grow the daily limit each day
          </label>
          {warm.enabled && (
            <div className="grid-2">
              <TextField label="Messages on day one" type="number" value={warm.start} onChange={(v) => setWarm({ ...warm, start: v })} />
              <TextField label="Growth per day (factor)" type="number" value={warm.growth} onChange={(v) => setWarm({ ...warm, growth: v })} />
            </div>
          )}
        </fieldset>
        {policy.data && (
          <details className="small">
            <summary>Per-domain throttles (messages per minute)</summary>
            <ul>
              {Object.entries(policy.data.pacing.domain_throttles).map(([d, t]) => (
                <li key={d}>
                  {d === '*' ? 'every other domain' : d}: {t?.per_minute ?? 'no limit'}
                </li>
              ))}
            </ul>
            <p className="muted">Changed with the API (PUT /api/v1/account/policy) or `herald policy`.</p>
          </details>
        )}
        <div className="form-actions">
          <ActionButton permission="settings:write" type="submit" kind="primary" onClick={() => undefined}>
            Save
          </ActionButton>
        </div>
      </form>
    </>
  );
}

interface Suppression {
  id: number;
  channel: string;
  address: string;
  reason: string;
  source: string;
  note: string | null;
  created_at: string;
  expires_at: string | null;
  state: string;
}

const SUPPRESSION_REASONS: Record<string, string> = {
  blocklist: 'your blocklist: nothing is sent, not even transactional mail',
  bounce: 'the address bounced for good',
  complaint: 'the recipient marked a message as spam',
  unsubscribe: 'the contact unsubscribed from everything (transactional mail still goes)',
};

/** Addresses Herald will not send to, per channel, with the reason; add to the blocklist, remove. */
function SuppressionsTab() {
  const { toast } = useSession();
  const runAction = useServerAction();
  const [search, setSearch] = useState('');
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const list = useApi(() => api.get<{ items: Suppression[]; next_after: number | null }>('/api/v1/suppressions', { q: search || undefined, after: cursor, limit: 50 }), [search, cursor]);
  const [f, setF] = useState({ channel: 'email', address: '', reason: 'blocklist', note: '' });
  const { error, tryWrite } = useFormSubmit();
  const add = async (e: FormEvent) => {
    e.preventDefault();
    await tryWrite('contacts:write', async () => {
      const r = await api.post<Suppression>('/api/v1/suppressions', { channel: f.channel, address: f.address.trim(), reason: f.reason, note: f.note.trim() || null });
      toast(`${r.address} is suppressed (${r.reason}).`);
      setF({ ...f, address: '', note: '' });
      list.reload();
    });
  };
  const remove = async (s: Suppression) => {
    if (!confirm(`Remove the ${s.reason} suppression of ${s.address}? Herald may send to it again.`)) return;
    await runAction('contacts:write', async () => {
      await api.del(`/api/v1/suppressions/${s.id}`);
      toast(`${s.address} is no longer suppressed.`);
      list.reload();
    });
  };
  return (
    <section className="card" aria-labelledby="suppressions-title">
      <h2 id="suppressions-title">Suppressions</h2>
      <p className="muted">Addresses Herald never sends to on a channel. Bounces, complaints and unsubscribes arrive here by themselves; the blocklist is yours.</p>
      <ToolbarSearch
        formLabel="Search suppressions"
        inputLabel="Search suppressed addresses"
        placeholder="part of an address"
        button="Search"
        onSearch={(text) => {
          pages.reset();
          setSearch(text);
        }}
      />
      <ErrorBox error={list.error} />
      {list.data && list.data.items.length === 0 && <p className="muted">No suppressions{search ? ` matching "${search}"` : ''}.</p>}
      {list.data && list.data.items.length > 0 && (
        <table className="table table-compact" data-testid="suppressions-table">
          <TableHead columns={['Address', 'Channel', 'Reason', 'Source', 'Note', 'Since', { label: 'Remove', kind: 'sr-only' }]} />
          <tbody>
            {list.data.items.map((s) => (
              <tr key={s.id}>
                <td>{s.address}</td>
                <td>{s.channel}</td>
                <td title={SUPPRESSION_REASONS[s.reason]}>{s.reason}</td>
                <td className="small">{s.source}</td>
                <td className="small">{s.note ?? '–'}</td>
                <td className="small">
                  {fmtDate(s.created_at)}
                  {s.expires_at ? ` · until ${fmtDate(s.expires_at)}` : ''}
                </td>
                <td>
                  <ActionButton permission="contacts:write" kind="danger" onClick={() => remove(s)} label={`Remove ${s.address}`}>
                    Remove
                  </ActionButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager label="Suppression pages" pages={pages} next={list.data?.next_after} direction="after" />
      <form className="form" onSubmit={add} noValidate aria-labelledby="add-suppression-title">
        <h3 id="add-suppression-title">Suppress an address</h3>
        <div className="grid-2">
          <TextField label="Address to suppress" value={f.address} onChange={(v) => setF({ ...f, address: v })} error={fieldError(error, 'address')} hint="an email address, or a phone number in E.164 (+4930…)" />
          <Field label="Channel" error={fieldError(error, 'channel')}>
            {(fid, d) => (
              <select id={fid} aria-describedby={d} value={f.channel} onChange={(e) => setF({ ...f, channel: e.target.value })}>
                {['email', 'sms', 'messenger', 'letter'].map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Reason" error={fieldError(error, 'reason')} hint={SUPPRESSION_REASONS[f.reason]}>
            {(fid, d) => (
              <select id={fid} aria-describedby={d} value={f.reason} onChange={(e) => setF({ ...f, reason: e.target.value })}>
                {Object.keys(SUPPRESSION_REASONS).map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            )}
          </Field>
          <TextField label="Note" value={f.note} onChange={(v) => setF({ ...f, note: v })} error={fieldError(error, 'note')} placeholder="asked by phone, ticket 4711" />
        </div>
        <FormError error={error} fields={['address', 'channel', 'reason', 'note']} place="inline" />
        <ActionButton permission="contacts:write" type="submit" kind="primary" onClick={() => undefined}>
          Suppress
        </ActionButton>
      </form>
    </section>
  );
}

interface ApprovalRule {
  required: boolean;
  four_eyes: boolean;
}

/** The approval rule (F4.2): whether a launch becomes a request, and whether its author may approve it. */
function ApprovalTab() {
  const { toast } = useSession();
  const loaded = useApi(() => api.getOrNull<ApprovalRule>('/api/v1/account/approval'), []);
  const [rule, setRule] = useState<ApprovalRule>({ required: false, four_eyes: false });
  const { error, tryWrite } = useFormSubmit();
  useEffect(() => {
    if (loaded.data) setRule(loaded.data);
  }, [loaded.data]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    await tryWrite('settings:write', async () => {
      setRule(await api.put<ApprovalRule>('/api/v1/account/approval', rule));
      toast('Approval rule saved.');
    });
  };
  if (loaded.error) return <ErrorBox error={loaded.error} />;
  if (loaded.data === null) return <p className="muted">This Herald has no approvals: every launch starts at once.</p>;
  if (!loaded.data) return <Loading />;
  return (
    <form className="card form" onSubmit={save} noValidate aria-labelledby="approval-title">
      <h2 id="approval-title">Approval</h2>
      <ErrorBox error={error} />
      <label className="check">
        <input type="checkbox" checked={rule.required} onChange={(e) => setRule({ ...rule, required: e.target.checked })} /> Launches need approval (a launch becomes a
        request that someone who may start deliveries approves or rejects)
      </label>
      <label className="check">
        <input type="checkbox" checked={rule.four_eyes} disabled={!rule.required} onChange={(e) => setRule({ ...rule, four_eyes: e.target.checked })} /> Four eyes (the
        approver is neither the campaign's author nor the one who asked to launch it)
      </label>
      <ActionButton permission="settings:write" type="submit" kind="primary" onClick={() => undefined}>
        Save approval rule
      </ActionButton>
    </form>
  );
}

interface UserRow {
  id: number;
  email: string;
  name: string | null;
  role: string;
  last_login_at?: string | null;
  disabled_at?: string | null;
}

function UsersTab() {
  const { me, toast, can } = useSession();
  const runAction = useServerAction();
  const change = async (u: UserRow, patch: { role?: string; disabled?: boolean }) => {
    await runAction('users:manage', async () => {
      await api.patch(`/api/v1/users/${u.id}`, patch);
      toast(patch.role ? `${u.email} is now ${patch.role}.` : `${u.email} ${patch.disabled ? 'can no longer sign in' : 'can sign in again'}.`);
      users.reload();
    });
  };
  const [nu, setNu] = useState({ email: '', name: '', role: 'editor' });
  const [created, setCreated] = useState<{ email: string; password?: string } | null>(null);
  const { error, tryWrite } = useFormSubmit();
  const add = async (e: FormEvent) => {
    e.preventDefault();
    await tryWrite('users:manage', async () => {
      const r = await api.post<{ user?: UserRow; email?: string; password?: string }>('/api/v1/users', { email: nu.email.trim(), name: nu.name.trim() || null, role: nu.role });
      setCreated({ email: r.user?.email ?? r.email ?? nu.email, password: r.password });
      toast(`User ${nu.email} added.`);
      setNu({ email: '', name: '', role: 'editor' });
      users.reload();
    });
  };
  const users = useApi(() => api.getOrNull<{ items: UserRow[] }>('/api/v1/users'), []);
  return (
    <section className="card" aria-labelledby="users-title">
      <h2 id="users-title">Users & roles</h2>
      <p className="muted">You are {me.user ? me.user.email : 'signed in with an API key'}, role {me.role}.</p>
      <ErrorBox error={users.error} />
      {users.data === null && <p>This Herald has no user accounts API yet: manage access with API keys.</p>}
      {users.data && (
        <table className="table table-compact">
          <TableHead columns={['Email', 'Name', 'Role', 'Last sign-in', { label: 'Access', kind: 'sr-only' }]} />
          <tbody>
            {users.data.items.map((u) => (
              <tr key={u.id} className={u.disabled_at ? 'muted' : undefined}>
                <td>
                  {u.email}
                  {u.disabled_at && <span className="badge badge-grey">disabled</span>}
                </td>
                <td>{u.name ?? '–'}</td>
                <td>
                  <select aria-label={`Role of ${u.email}`} value={u.role} onChange={(e) => change(u, { role: e.target.value })} disabled={!can('users:manage').ok}>
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                </td>
                <td className="small">{fmtDate(u.last_login_at ?? null)}</td>
                <td>
                  <ActionButton permission="users:manage" onClick={() => change(u, { disabled: !u.disabled_at })} kind={u.disabled_at ? 'secondary' : 'danger'}>
                    {u.disabled_at ? 'Enable' : 'Disable'}
                  </ActionButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {users.data && (
        <form className="form" onSubmit={add} noValidate aria-labelledby="add-user-title">
          <h3 id="add-user-title">Add a user</h3>
          <div className="grid-3">
            <TextField label="Email" type="email" value={nu.email} onChange={(v) => setNu({ ...nu, email: v })} error={fieldError(error, 'email')} />
            <TextField label="Name" value={nu.name} onChange={(v) => setNu({ ...nu, name: v })} error={fieldError(error, 'name')} />
            <Field label="Role" error={fieldError(error, 'role')}>
              {(fid, d) => (
                <select id={fid} aria-describedby={d} value={nu.role} onChange={(e) => setNu({ ...nu, role: e.target.value })}>
                  {ROLES.map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <FormError error={error} fields={['email', 'name', 'role']} place="inline" />
          <ActionButton permission="users:manage" type="submit" onClick={() => undefined}>
            Add user
          </ActionButton>
          {created?.password && (
            <div className="panel panel-green" role="status">
              {created.email} can sign in with the password (shown once): <code>{created.password}</code>
            </div>
          )}
        </form>
      )}
      {me.permissions && (
        <details>
          <summary>What your role may do</summary>
          <ul className="small">
            {me.permissions.map((p) => (
              <li key={p}>
                <code>{p}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

const ROLES = ['owner', 'admin', 'editor', 'sender', 'analyst', 'integration'];

interface ApiKeyRow {
  id: number;
  name: string;
  prefix: string;
  role: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

function KeysTab() {
  const { toast } = useSession();
  const runAction = useServerAction();
  // The list arrives with user management; a Herald without it (404) can only create keys.
  const keys = useApi(() => api.getOrNull<{ items: ApiKeyRow[] }>('/api/v1/api-keys'), []);
  const revoke = async (k: ApiKeyRow) => {
    if (!confirm(`Revoke the key "${k.name}" (${k.prefix}…)? Whatever uses it stops working at once.`)) return;
    await runAction('users:manage', async () => {
      await api.del(`/api/v1/api-keys/${k.id}`);
      toast(`Key "${k.name}" revoked.`);
      keys.reload();
    });
  };
  const [name, setName] = useState('');
  const [role, setRole] = useState('editor');
  const [created, setCreated] = useState<{ key: string; name?: string } | null>(null);
  const { error, tryWrite } = useFormSubmit();
  const create = async (e: FormEvent) => {
    e.preventDefault();
    await tryWrite('users:manage', async () => {
      setCreated(await api.post<{ key: string }>('/api/v1/api-keys', { name: name.trim(), role }));
      setName('');
      keys.reload();
    });
  };
  return (
    <section className="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <p className="muted">A key acts with the permissions of its role. It is shown once: store it in your secret manager.</p>
      <ErrorBox error={keys.error} />
      {keys.data && keys.data.items.length > 0 && (
        <table className="table table-compact">
          <TableHead columns={['Name', 'Key', 'Role', 'Last used', { label: 'Revoke', kind: 'sr-only' }]} />
          <tbody>
            {keys.data.items.map((k) => (
              <tr key={k.id} className={k.revoked_at ? 'muted' : undefined}>
                <td>{k.name}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{k.role}</td>
                <td className="small">{fmtDate(k.last_used_at)}</td>
                <td>
                  {k.revoked_at ? (
                    <span className="small">revoked {fmtDate(k.revoked_at)}</span>
                  ) : (
                    <ActionButton permission="users:manage" onClick={() => revoke(k)} kind="danger">
                      Revoke
                    </ActionButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="form" onSubmit={create} noValidate>
        <div className="grid-2">
          <TextField label="Key name" value={name} onChange={setName} error={fieldError(error, 'name')} placeholder="crm-sync" />
          <Field label="Role" error={fieldError(error, 'role')}>
            {(fid, d) => (
              <select id={fid} aria-describedby={d} value={role} onChange={(e) => setRole(e.target.value)}>
                {ROLES.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <FormError error={error} fields={['name', 'role']} place="inline" />
        <ActionButton permission="users:manage" type="submit" onClick={() => undefined}>
          Create key
        </ActionButton>
      </form>
      {created && (
        <div className="panel panel-green" role="status">
          New key (shown once): <code className="wrap">{created.key}</code>
        </div>
      )}
    </section>
  );
}

interface Endpoint {
  id: number;
  url: string;
  events: string[];
  description: string | null;
  status: string;
  disabled_reason: string | null;
  failure_streak: number;
  last_success_at: string | null;
  last_failure_at: string | null;
}

function WebhooksTab() {
  const { toast } = useSession();
  const runAction = useServerAction();
  const list = useApi(() => api.get<{ items: Endpoint[] }>('/api/v1/webhooks'), []);
  const act = async (w: Endpoint, action: 'test' | 'delete') => {
    if (action === 'delete' && !confirm(`Delete the webhook to ${w.url}?`)) return;
    await runAction('settings:write', async () => {
      if (action === 'test') {
        const r = await api.post<{ ok: boolean; status_code: number | null; error: string | null; duration_ms: number }>(`/api/v1/webhooks/${w.id}/test`);
        toast(
          r.ok ? `Test event delivered: ${w.url} answered ${r.status_code} in ${r.duration_ms} ms.` : `Test event failed: ${r.error ?? `HTTP ${r.status_code}`}.`,
          r.ok ? 'ok' : 'error',
        );
      } else {
        await api.del(`/api/v1/webhooks/${w.id}`);
        toast('Webhook deleted.');
      }
      list.reload();
    });
  };
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('sent,bounced,complained,unsubscribed');
  // Shown until the page is left, not in a toast that fades: it is shown only once.
  const [secret, setSecret] = useState<string | null>(null);
  const { error, tryWrite } = useFormSubmit();
  const add = async (e: FormEvent) => {
    e.preventDefault();
    await tryWrite('settings:write', async () => {
      const r = await api.post<{ secret?: string }>('/api/v1/webhooks', {
        url: url.trim(),
        events: events
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      });
      toast('Webhook added.');
      setSecret(r.secret ?? null);
      setUrl('');
      list.reload();
    });
  };
  return (
    <section className="card" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <ErrorBox error={list.error} />
      {list.data && list.data.items.length === 0 && <p className="muted">No webhook endpoints.</p>}
      {list.data && list.data.items.length > 0 && (
        <table className="table table-compact">
          <TableHead columns={['URL', 'Events', 'Status', 'Last success', { label: 'Actions', kind: 'sr-only' }]} />
          <tbody>
            {list.data.items.map((w) => (
              <tr key={w.id}>
                <td className="wrap">{w.url}</td>
                <td className="small">{w.events.join(', ')}</td>
                <td>
                  {w.status}
                  {w.disabled_reason ? ` — ${w.disabled_reason}` : ''}
                  {w.failure_streak ? ` (${w.failure_streak} failures)` : ''}
                </td>
                <td className="small">{fmtDate(w.last_success_at)}</td>
                <td className="row-actions">
                  <ActionButton permission="settings:write" onClick={() => act(w, 'test')}>
                    Send a test
                  </ActionButton>
                  <ActionButton permission="settings:write" kind="danger" onClick={() => act(w, 'delete')}>
                    Delete
                  </ActionButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="form" onSubmit={add} noValidate>
        <div className="grid-2">
          <TextField label="Endpoint URL" type="url" value={url} onChange={setUrl} error={fieldError(error, 'url')} placeholder="https://crm.example.com/herald" />
          <TextField label="Events (comma-separated)" value={events} onChange={setEvents} error={fieldError(error, 'events')} />
        </div>
        <FormError error={error} fields={['url', 'events']} place="inline" />
        <ActionButton permission="settings:write" type="submit" onClick={() => undefined}>
          Add webhook
        </ActionButton>
      </form>
      {secret && (
        <div className="panel panel-green" role="status">
          Signing secret of the new webhook (shown once; verify each request's signature with it): <code className="wrap">{secret}</code>
        </div>
      )}
    </section>
  );
}

