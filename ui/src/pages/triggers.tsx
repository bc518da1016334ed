// Triggered campaigns: the Triggers page (declared event types, recent events, what one entity's
// events did), a campaign's trigger in the editor (event type, condition as JSON with the
// server's errors on it, delay, catch-up mode) and the catch-up list on its detail page (entities
// already in the trigger state, with a send button).
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { useServerAction } from '../components/use-server-action.ts';
import { useApi } from '../components/use-api.ts';
import { useFormSubmit } from '../components/use-form-submit.ts';
import { TableHead } from '../components/table-head.tsx';
import { ToolbarSearch } from '../components/toolbar-search.tsx';
import { ActionButton, ErrorBox, Field, fieldError, FormError, fmtDate, fmtNum, Loading, PageHeader, StatusBadge, TextField } from '../components/ui.tsx';
import { href } from '../router.ts';
import { useSession } from '../session.tsx';

interface EventType {
  id: number;
  name: string;
  description: string | null;
  created_at: string;
  campaign_ids: number[];
}

interface HeraldEvent {
  id: number;
  type: string;
  entity: string;
  data: Record<string, unknown>;
  contact_ids: number[];
  occurred_at: string;
}

const loadEventTypes = async () => (await api.get<{ items: EventType[] }>('/api/v1/event-types')).items;

export function TriggersPage() {
  const { toast } = useSession();
  const runAction = useServerAction();
  const types = useApi(loadEventTypes, []);
  const [filter, setFilter] = useState('');
  const events = useApi(() => api.get<{ items: HeraldEvent[] }>('/api/v1/events', { entity: filter || undefined, limit: 50 }), [filter], { refreshMs: 10_000 });
  const [explained, setExplained] = useState<string | null>(null);
  const [nt, setNt] = useState({ name: '', description: '' });
  const { error, tryWrite } = useFormSubmit();
  const declare = async (e: FormEvent) => {
    e.preventDefault();
    await tryWrite('settings:write', async () => {
      await api.post('/api/v1/event-types', { name: nt.name.trim(), description: nt.description.trim() || null });
      toast(`Event type ${nt.name.trim()} declared.`);
      setNt({ name: '', description: '' });
      types.reload();
    });
  };
  const remove = async (t: EventType) => {
    await runAction('settings:write', async () => {
      await api.del(`/api/v1/event-types/${t.id}`);
      toast(`Event type ${t.name} removed.`);
      types.reload();
    });
  };
  return (
    <>
      <PageHeader title="Triggers" />
      <section className="card" aria-labelledby="event-types-title">
        <h2 id="event-types-title">Event types</h2>
        <p className="muted">
          Your systems send events (<code>POST /api/v1/events</code>) of declared types; a triggered campaign sends when one matches its condition.
        </p>
        <ErrorBox error={types.error} />
        {types.data && types.data.length === 0 && <p className="muted">No event types yet.</p>}
        {types.data && types.data.length > 0 && (
          <table className="table table-compact" data-testid="event-types-table">
            <TableHead columns={['Name', 'Description', 'Campaigns', { label: 'Remove', kind: 'sr-only' }]} />
            <tbody>
              {types.data.map((t) => (
                <tr key={t.id}>
                  <td>
                    <code>{t.name}</code>
                  </td>
                  <td>{t.description ?? '–'}</td>
                  <td>
                    {t.campaign_ids.length === 0
                      ? '–'
                      : t.campaign_ids.map((id, i) => (
                          <span key={id}>
                            {i > 0 && ', '}
                            <a href={href('campaigns', id)}>#{id}</a>
                          </span>
                        ))}
                  </td>
                  <td>
                    <ActionButton
                      permission="settings:write"
                      onClick={() => remove(t)}
                      label={`Remove ${t.name}`}
                      disabled={t.campaign_ids.length > 0}
                      disabledReason={t.campaign_ids.length > 0 ? 'used by a campaign' : null}
                    >
                      Remove
                    </ActionButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form className="form" onSubmit={declare} noValidate aria-labelledby="declare-title">
          <h3 id="declare-title">Declare an event type</h3>
          <div className="grid-2">
            <TextField label="Event type name" value={nt.name} onChange={(v) => setNt({ ...nt, name: v })} error={fieldError(error, 'name')} placeholder="job.status_changed" />
            <TextField label="Description" value={nt.description} onChange={(v) => setNt({ ...nt, description: v })} error={fieldError(error, 'description')} />
          </div>
          <FormError error={error} fields={['name', 'description']} place="inline" />
          <ActionButton permission="settings:write" type="submit" onClick={() => undefined}>
            Declare
          </ActionButton>
        </form>
      </section>
      <section className="card" aria-labelledby="events-title">
        <h2 id="events-title">Recent events</h2>
        <ToolbarSearch formLabel="Filter events" inputLabel="Entity" placeholder="entity, e.g. job-42" button="Filter" onSearch={setFilter} />
        <ErrorBox error={events.error} />
        {events.data && events.data.items.length === 0 && <p className="muted">No events{filter ? ` for ${filter}` : ''}.</p>}
        {events.data && events.data.items.length > 0 && (
          <table className="table table-compact" data-testid="events-table">
            <TableHead columns={['When', 'Type', 'Entity', 'Data', 'Contacts']} />
            <tbody>
              {events.data.items.map((ev) => (
                <tr key={ev.id}>
                  <td className="small">{fmtDate(ev.occurred_at)}</td>
                  <td>
                    <code>{ev.type}</code>
                  </td>
                  <td>
                    <button type="button" className="link-button" aria-label={`What ${ev.entity}'s events did`} aria-expanded={explained === ev.entity} onClick={() => setExplained(explained === ev.entity ? null : ev.entity)}>
                      {ev.entity}
                    </button>
                  </td>
                  <td>
                    <code className="small wrap">{JSON.stringify(ev.data)}</code>
                  </td>
                  <td>
                    {ev.contact_ids.map((id, i) => (
                      <span key={id}>
                        {i > 0 && ', '}
                        <a href={href('contacts', id)}>#{id}</a>
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {explained && <EntityExplanation entity={explained} />}
    </>
  );
}

interface EntityView {
  entity: string;
  states: Array<{ event_type: string; data: Record<string, unknown>; occurred_at: string }>;
  firings: Array<{
    id: number;
    campaign_id: number;
    campaign_name: string;
    contact_id: number;
    source: string;
    status: string;
    due_at: string;
    message_status: string | null;
    message_reason: string | null;
  }>;
}

/** One entity: its latest state per event type and every firing with the message it became. */
function EntityExplanation({ entity }: { entity: string }) {
  const view = useApi(() => api.get<EntityView>(`/api/v1/entities/${encodeURIComponent(entity)}`), [entity]);
  return (
    <section className="card" aria-labelledby="entity-title" data-testid="entity-explanation">
      <h2 id="entity-title">What {entity}'s events did</h2>
      <ErrorBox error={view.error} />
      {view.data && (
        <>
          <ul className="small">
            {view.data.states.map((st) => (
              <li key={st.event_type}>
                latest <code>{st.event_type}</code> {fmtDate(st.occurred_at)}: <code>{JSON.stringify(st.data)}</code>
              </li>
            ))}
          </ul>
          {view.data.firings.length === 0 ? (
            <p className="muted">No campaign fired for it (no triggered campaign's condition matched while it was active).</p>
          ) : (
            <table className="table table-compact">
              <TableHead columns={['Campaign', 'Contact', 'How', 'Firing', 'Message']} />
              <tbody>
                {view.data.firings.map((f) => (
                  <tr key={f.id}>
                    <td>
                      <a href={href('campaigns', f.campaign_id)}>{f.campaign_name}</a>
                    </td>
                    <td>
                      <a href={href('contacts', f.contact_id)}>#{f.contact_id}</a>
                    </td>
                    <td className="small">{f.source.replace(/_/g, ' ')}</td>
                    <td>
                      <StatusBadge status={f.status} /> <span className="small muted">due {fmtDate(f.due_at)}</span>
                    </td>
                    <td>
                      {f.message_status ? <StatusBadge status={f.message_status} /> : '–'}
                      {f.message_reason && <span className="small"> {f.message_reason}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

interface Trigger {
  event_type: string;
  condition: unknown;
  delay_minutes: number;
  catch_up: 'list' | 'send';
}

const CONDITION_EXAMPLE = '{"all": [{"field": "data.status", "op": "eq", "value": "for_sale"}]}';

/** The trigger of a draft campaign (inside the editor's form, so a fieldset, not a form). */
export function TriggerEditor({ campaignId, triggered, onChanged }: { campaignId: number; triggered: boolean; onChanged: () => void }) {
  const { toast, noteForbidden } = useSession();
  const types = useApi(loadEventTypes, []);
  const loaded = useApi(async () => {
    if (!triggered) return null;
    return await api.getOrNull<Trigger>(`/api/v1/campaigns/${campaignId}/trigger`);
  }, [campaignId, triggered]);
  const [f, setF] = useState({ event_type: '', condition: '', delay: '0', catch_up: 'list' });
  const { error, setError, tryWrite } = useFormSubmit();
  useEffect(() => {
    const t = loaded.data;
    if (t) setF({ event_type: t.event_type, condition: t.condition ? JSON.stringify(t.condition, null, 2) : '', delay: String(t.delay_minutes), catch_up: t.catch_up });
  }, [loaded.data]);
  useEffect(() => {
    if (!f.event_type && types.data?.length) setF((x) => ({ ...x, event_type: types.data?.[0].name ?? '' }));
  }, [types.data, f.event_type]);
  const save = async () => {
    setError(null);
    let condition: unknown = null;
    if (f.condition.trim()) {
      try {
        condition = JSON.parse(f.condition);
      } catch (err) {
        setError(new ApiError(400, 'invalid_input', `condition: not JSON (${(err as Error).message})`, 'condition'));
        return;
      }
    }
    try {
      await api.put(`/api/v1/campaigns/${campaignId}/trigger`, { event_type: f.event_type, condition, delay_minutes: Number(f.delay) || 0, catch_up: f.catch_up });
      toast('Trigger saved: it listens once the campaign is launched.');
      onChanged();
    } catch (err) {
      noteForbidden('campaigns:write', err);
      setError(err);
    }
  };
  const remove = async () => {
    await tryWrite('campaigns:write', async () => {
      await api.del(`/api/v1/campaigns/${campaignId}/trigger`);
      toast('Trigger removed: the campaign is a one-off draft again.');
      onChanged();
    });
  };
  if (types.error) return <ErrorBox error={types.error} />;
  if (!types.data) return <Loading />;
  return (
    <fieldset className="subform">
      <legend>Send when an event arrives</legend>
      {types.data.length === 0 ? (
        <p>
          No event types are declared yet: <a href={href('triggers')}>declare one on the Triggers page</a>.
        </p>
      ) : (
        <>
          <FormError error={error} fields={['event_type', 'condition', 'delay_minutes', 'catch_up']} place="subform" />
          <div className="grid-2">
            <Field label="Event type" error={fieldError(error, 'event_type')}>
              {(id, d) => (
                <select id={id} aria-describedby={d} value={f.event_type} onChange={(e) => setF({ ...f, event_type: e.target.value })}>
                  {types.data?.map((t) => (
                    <option key={t.id}>{t.name}</option>
                  ))}
                </select>
              )}
            </Field>
            <TextField label="Delay (minutes)" type="number" value={f.delay} onChange={(v) => setF({ ...f, delay: v })} error={fieldError(error, 'delay_minutes')} hint="0: at once" />
          </div>
          <TextField
            label="Condition (JSON)"
            multiline
            rows={4}
            value={f.condition}
            onChange={(v) => setF({ ...f, condition: v })}
            error={fieldError(error, 'condition')}
            placeholder={CONDITION_EXAMPLE}
            hint="empty: every event of the type; fields: data.<name>; ops eq ne in not_in exists not_exists gt gte lt lte contains; all any not"
          />
          <Field label="Entities already in that state when the campaign is launched" error={fieldError(error, 'catch_up')}>
            {(id, d) => (
              <select id={id} aria-describedby={d} value={f.catch_up} onChange={(e) => setF({ ...f, catch_up: e.target.value })}>
                <option value="list">list them for review (send from the campaign page)</option>
                <option value="send">send to them at launch</option>
              </select>
            )}
          </Field>
          <div className="form-actions">
            <ActionButton permission="campaigns:write" onClick={save}>
              Save trigger
            </ActionButton>
            {triggered && (
              <ActionButton permission="campaigns:write" onClick={remove}>
                Remove the trigger
              </ActionButton>
            )}
          </div>
        </>
      )}
    </fieldset>
  );
}

interface CatchUpListing {
  event_type: string;
  catch_up: string;
  entities: Array<{ entity: string; occurred_at: string; data: Record<string, unknown>; contacts: number; fired: number; pending: number; already_fired: boolean }>;
  contacts_to_send: number;
}

/** Entities already in the trigger state (at launch, or since): who a catch-up send would reach. */
export function CatchUp({ campaignId }: { campaignId: number }) {
  const { toast } = useSession();
  const runAction = useServerAction();
  const list = useApi(() => api.get<CatchUpListing>(`/api/v1/campaigns/${campaignId}/catch-up`), [campaignId]);
  const send = async () => {
    await runAction('deliveries:start', async () => {
      const r = await api.post<{ entities: number; firings_created: number }>(`/api/v1/campaigns/${campaignId}/catch-up`);
      toast(`Catch-up: ${fmtNum(r.firings_created)} messages queued for ${fmtNum(r.entities)} entities.`);
      list.reload();
    });
  };
  return (
    <section className="card" aria-labelledby="catch-up-title">
      <h2 id="catch-up-title">Already in the trigger state</h2>
      <ErrorBox error={list.error} />
      {list.data && (
        <>
          <p className="muted">
            Entities whose latest <code>{list.data.event_type}</code> event matches the condition. A catch-up send reaches{' '}
            <strong data-testid="catch-up-count">{fmtNum(list.data.contacts_to_send)}</strong> contacts not reached yet (never twice for an entity).
          </p>
          {list.data.entities.length > 0 && (
            <table className="table table-compact" data-testid="catch-up-table">
              <TableHead columns={['Entity', 'Since', 'Data', 'Contacts', 'Sent']} />
              <tbody>
                {list.data.entities.slice(0, 200).map((e) => (
                  <tr key={e.entity}>
                    <td>{e.entity}</td>
                    <td className="small">{fmtDate(e.occurred_at)}</td>
                    <td>
                      <code className="small wrap">{JSON.stringify(e.data)}</code>
                    </td>
                    <td>{fmtNum(e.contacts)}</td>
                    <td>{e.already_fired ? 'yes' : e.fired + e.pending > 0 ? `${e.fired + e.pending} of ${e.contacts}` : 'no'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {list.data.entities.length > 200 && <p className="muted small">The first 200 of {fmtNum(list.data.entities.length)} entities are shown.</p>}
          <ActionButton
            permission="deliveries:start"
            kind="primary"
            onClick={send}
            disabled={list.data.contacts_to_send === 0}
            disabledReason={list.data.contacts_to_send === 0 ? 'nobody left to reach' : null}
          >
            {`Send to ${fmtNum(list.data.contacts_to_send)} contacts now`}
          </ActionButton>
        </>
      )}
    </section>
  );
}
