// Contacts: search and page through any number of contacts (the API pages by id; only the page
// shown is loaded), import a CSV file into a list, and one contact's profile with attributes,
// subscriptions and the message/event history (F4.6), and a one-off message sent from it.
import { type FormEvent, useState } from 'react';
import { api } from '../api.ts';
import { useCursorPages } from '../components/cursor-pages.ts';
import { Pager } from '../components/pager.tsx';
import { useServerAction } from '../components/use-server-action.ts';
import { useApi } from '../components/use-api.ts';
import { useFormSubmit } from '../components/use-form-submit.ts';
import { NamedOptions } from '../components/named-options.tsx';
import { TableHead } from '../components/table-head.tsx';
import { ActionButton, ErrorBox, ErrorLine, Field, fmtDate, fmtNum, Loading, PageHeader, StatusBadge } from '../components/ui.tsx';
import { href, navigate } from '../router.ts';
import { ContactForm, type ContactFields } from './contact-form.tsx';
import { ContactMessages, SendMessage } from './send-message.tsx';
import { useSession } from '../session.tsx';
import type { Named, Page } from '../types.ts';

/** A stored contact: the fields the contact form edits, with its id and times. */
interface Contact extends ContactFields {
  id: number;
  created_at: string;
  updated_at: string;
}

interface ContactDetail extends Contact {
  subscriptions: Array<{ list_id: number; list_name: string; status: string; source: string | null; updated_at: string }>;
}

interface TimelineItem {
  at: string;
  kind: 'message' | 'event';
  campaign_id: number | null;
  campaign_name: string | null;
  message_id: number | null;
  type: string;
  reason: string | null;
  meaning: string | null;
  machine: boolean | null;
}

const PAGE = 50;

export function ContactsPage({ id, query }: { id: number | null; query: URLSearchParams }) {
  if (id) return <ContactProfile id={id} />;
  return <ContactList key={query.toString()} initialQ={query.get('q') ?? ''} initialList={query.get('list') ?? ''} />;
}

function ContactList({ initialQ, initialList }: { initialQ: string; initialList: string }) {
  const [q, setQ] = useState(initialQ);
  const [search, setSearch] = useState(initialQ);
  const [listId, setListId] = useState(initialList);
  const pages = useCursorPages();
  const after = pages.cursor;
  const lists = useApi(() => api.get<Page<Named>>('/api/v1/lists', { limit: 1000 }), []);
  const page = useApi(() => api.get<Page<Contact>>('/api/v1/contacts', { limit: PAGE, after, q: search, list_id: listId }), [after, search, listId]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSearch(q.trim());
    pages.reset();
  };
  return (
    <>
      <PageHeader title="Contacts" />
      <details className="card import-panel">
        <summary>Add one contact</summary>
        <ContactForm contact={null} lists={lists.data?.items ?? []} onSaved={(c) => navigate(href('contacts', c.id))} />
      </details>
      <ImportPanel lists={lists.data?.items ?? []} onImported={page.reload} />
      <form className="toolbar" onSubmit={submit} aria-label="Search contacts">
        <label htmlFor="contact-search">Search email or phone</label>
        <input id="contact-search" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="ana@ or +4917" />
        <label htmlFor="contact-list">List</label>
        <select
          id="contact-list"
          value={listId}
          onChange={(e) => {
            setListId(e.target.value);
            pages.reset();
          }}
        >
          <NamedOptions none="all contacts" items={lists.data?.items} />
        </select>
        <button type="submit" className="btn btn-secondary">
          Search
        </button>
      </form>
      <ErrorBox error={page.error} />
      {!page.data ? (
        <Loading />
      ) : page.data.items.length === 0 ? (
        <p className="empty">No contacts{search ? ` match “${search}”` : ''}.</p>
      ) : (
        <table className="table" data-testid="contacts-table">
          <TableHead columns={['Contact', 'Name', 'Time zone', 'Added']} />
          <tbody>
            {page.data.items.map((c) => (
              <tr key={c.id}>
                <td>
                  <a href={href('contacts', c.id)}>{c.email ?? c.phone ?? `#${c.id}`}</a>
                </td>
                <td>{[c.first_name, c.last_name].filter(Boolean).join(' ') || <span className="muted">–</span>}</td>
                <td>{c.timezone ?? <span className="muted">–</span>}</td>
                <td className="small">{fmtDate(c.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager label="Contact pages" pages={pages} next={page.data?.next_after} direction="after" showPageNumber />
    </>
  );
}

interface ImportJob {
  id: number;
  status: string;
  total_rows: number;
  imported_rows: number;
  failed_rows: number;
  errors?: Array<{ line: number; field: string; reason: string }>;
}

function ImportPanel({ lists, onImported }: { lists: Named[]; onImported: () => void }) {
  const { toast } = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [listId, setListId] = useState('');
  const [result, setResult] = useState<ImportJob | null>(null);
  const { error, setError, busy, tryWrite } = useFormSubmit();
  const run = async () => {
    if (!file) {
      setError(new Error('choose a CSV file first'));
      return;
    }
    await tryWrite('contacts:write', async () => {
      const path = listId ? `/api/v1/contacts/import?list_id=${listId}` : '/api/v1/contacts/import';
      const job = await api.upload<ImportJob>(path, file, 'text/csv');
      setResult(job);
      toast(`Imported ${fmtNum(job.imported_rows)} of ${fmtNum(job.total_rows)} rows.`, job.failed_rows ? 'warn' : 'ok');
      onImported();
    });
  };
  return (
    <details className="card import-panel">
      <summary>Import contacts from a CSV file</summary>
      <p className="muted small">A header row with email and/or phone; first_name, last_name, timezone, locale; any other column becomes an attribute.</p>
      <div className="grid-2">
        <Field label="CSV file">
          {(fid) => <input id={fid} type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
        </Field>
        <Field label="Subscribe them to" hint="optional">
          {(fid, d) => (
            <select id={fid} aria-describedby={d} value={listId} onChange={(e) => setListId(e.target.value)}>
              <NamedOptions none="no list" items={lists} />
            </select>
          )}
        </Field>
      </div>
      <ErrorLine error={error} />
      <ActionButton permission="contacts:write" kind="primary" onClick={run} busy={busy}>
        Import
      </ActionButton>
      {result && (
        <div className={`panel ${result.failed_rows ? 'panel-yellow' : 'panel-green'}`} role="status" data-testid="import-result">
          Import #{result.id} {result.status}: {fmtNum(result.imported_rows)} imported, {fmtNum(result.failed_rows)} rejected of {fmtNum(result.total_rows)} rows.
          {result.errors && result.errors.length > 0 && (
            <ul className="small">
              {result.errors.slice(0, 20).map((e) => (
                <li key={`${e.line}-${e.field}`}>
                  line {e.line}, {e.field}: {e.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </details>
  );
}

function ContactProfile({ id }: { id: number }) {
  const { toast } = useSession();
  const runAction = useServerAction();
  const contact = useApi(() => api.get<ContactDetail>(`/api/v1/contacts/${id}`), [id]);
  const lists = useApi(() => api.get<Page<Named>>('/api/v1/lists', { limit: 1000 }), []);
  const [editing, setEditing] = useState(false);
  const [messaging, setMessaging] = useState(false);
  const [messagesVersion, setMessagesVersion] = useState(0);
  const [addList, setAddList] = useState('');
  const remove = async () => {
    if (!confirm('Delete this contact and their subscriptions? Their sent messages stay in the campaigns’ records.')) return;
    await runAction('contacts:write', async () => {
      await api.del(`/api/v1/contacts/${id}`);
      toast('Contact deleted.');
      navigate(href('contacts'));
    });
  };
  const subscribe = async (listId: number, status: 'subscribed' | 'unsubscribed' | null) => {
    await runAction('lists:write', async () => {
      await api.post(`/api/v1/lists/${listId}/subscriptions`, { contact_ids: [id], ...(status ? { status } : {}), source: 'dashboard' });
      toast(status === 'unsubscribed' ? 'Unsubscribed from the list.' : 'Subscribed to the list.');
      setAddList('');
      contact.reload();
      history.reload();
    });
  };
  const [before, setBefore] = useState<string | undefined>(undefined);
  const history = useApi(() => api.get<{ items: TimelineItem[]; next_before: string | null }>(`/api/v1/contacts/${id}/history`, { limit: 50, before }), [id, before]);
  if (contact.error) return <ErrorBox error={contact.error} />;
  if (!contact.data) return <Loading />;
  const c = contact.data;
  const attrs = Object.entries(c.attributes ?? {});
  return (
    <>
      <PageHeader title={c.email ?? c.phone ?? `Contact #${c.id}`} back={{ href: href('contacts'), label: 'Contacts' }}>
        {!editing && (
          <ActionButton permission="contacts:write" onClick={() => setEditing(true)}>
            Edit
          </ActionButton>
        )}
        {!messaging && (
          <ActionButton permission="messages:send" onClick={() => setMessaging(true)}>
            Send a message
          </ActionButton>
        )}
        <ActionButton permission="contacts:write" kind="danger" onClick={remove}>
          Delete
        </ActionButton>
      </PageHeader>
      {messaging && (
        <SendMessage
          contactId={id}
          onClose={() => setMessaging(false)}
          onSent={() => {
            setMessaging(false);
            setMessagesVersion((v) => v + 1);
            history.reload();
          }}
        />
      )}
      <ContactMessages contactId={id} version={messagesVersion} />
      {editing && (
        <section className="card" aria-label="Edit the contact">
          <ContactForm
            contact={c}
            onSaved={() => {
              toast('Contact saved.');
              setEditing(false);
              contact.reload();
            }}
            onCancel={() => setEditing(false)}
          />
        </section>
      )}
      <div className="grid-2 section-gap">
        <section className="card" aria-labelledby="profile-title">
          <h2 id="profile-title">Profile</h2>
          <dl className="dl">
            <dt>Name</dt>
            <dd>{[c.first_name, c.last_name].filter(Boolean).join(' ') || '–'}</dd>
            <dt>Email</dt>
            <dd>{c.email ?? '–'}</dd>
            <dt>Phone</dt>
            <dd>{c.phone ?? '–'}</dd>
            <dt>Time zone</dt>
            <dd>{c.timezone ?? '–'}</dd>
            <dt>Locale</dt>
            <dd>{c.locale ?? '–'}</dd>
            <dt>Added</dt>
            <dd>{fmtDate(c.created_at)}</dd>
            {attrs.map(([k, v]) => (
              <div key={k} className="dl-row">
                <dt>{k}</dt>
                <dd>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section className="card" aria-labelledby="subs-title">
          <h2 id="subs-title">Subscriptions</h2>
          {c.subscriptions.length === 0 ? (
            <p className="muted">On no list.</p>
          ) : (
            <ul className="plain">
              {c.subscriptions.map((s) => (
                <li key={s.list_id} className="sub-row">
                  <span>
                    {s.list_name} <StatusBadge status={s.status} /> <span className="muted small">{s.source ?? ''} · {fmtDate(s.updated_at)}</span>
                  </span>
                  {s.status === 'unsubscribed' ? (
                    <ActionButton permission="lists:write" onClick={() => subscribe(s.list_id, 'subscribed')}>
                      Resubscribe
                    </ActionButton>
                  ) : (
                    <ActionButton permission="lists:write" onClick={() => subscribe(s.list_id, 'unsubscribed')}>
                      Unsubscribe
                    </ActionButton>
                  )}
                </li>
              ))}
            </ul>
          )}
          <div className="inline-form sub-add">
            <Field label="Add to list">
              {(fid) => (
                <select id={fid} value={addList} onChange={(e) => setAddList(e.target.value)}>
                  <NamedOptions none="— choose —" items={lists.data?.items.filter((l) => !c.subscriptions.some((s) => s.list_id === l.id))} />
                </select>
              )}
            </Field>
            <ActionButton permission="lists:write" onClick={() => subscribe(Number(addList), null)} disabled={!addList} disabledReason={null}>
              Add
            </ActionButton>
          </div>
        </section>
      </div>
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <ErrorBox error={history.error} />
        {history.data && history.data.items.length === 0 && <p className="muted">No messages or events yet.</p>}
        {history.data && history.data.items.length > 0 && (
          <table className="table table-compact">
            <TableHead columns={['When', 'Campaign', 'What', 'Why']} />
            <tbody>
              {history.data.items.map((h) => (
                <tr key={`${h.kind}-${h.message_id}-${h.type}-${h.at}`}>
                  <td className="small">{fmtDate(h.at)}</td>
                  <td>{h.campaign_id ? <a href={href('campaigns', h.campaign_id)}>{h.campaign_name ?? `#${h.campaign_id}`}</a> : '–'}</td>
                  <td>
                    {h.kind === 'message' ? <StatusBadge status={h.type} /> : <span>{h.type}</span>}
                    {h.machine ? <span className="muted small"> (machine)</span> : null}
                  </td>
                  <td className="small">{h.reason ? `${h.reason}: ${h.meaning ?? ''}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {history.data?.next_before && (
          <button type="button" className="btn btn-secondary" onClick={() => setBefore(history.data?.next_before ?? undefined)}>
            Older →
          </button>
        )}
      </section>
    </>
  );
}
