// One-off messages (F0.8) from a contact's profile: send one message (a template, or a subject and
// body written here; transactional or not) and follow its fate, and the contact's earlier ones.
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api.ts';
import { useApi } from '../components/use-api.ts';
import { useFormSubmit } from '../components/use-form-submit.ts';
import { NamedOptions } from '../components/named-options.tsx';
import { TableHead } from '../components/table-head.tsx';
import { ActionButton, ErrorBox, Field, fieldError, FormError, fmtDate, StatusBadge, TextField } from '../components/ui.tsx';
import { useSession } from '../session.tsx';
import type { Named, Page } from '../types.ts';

interface Message {
  id: number;
  name: string;
  transactional: boolean;
  status: string;
  reason: string | null;
  meaning: string | null;
  address: string | null;
  response: string | null;
  sent_at: string | null;
  created_at: string;
  warnings?: { message?: string; detail?: string }[];
}

/** Statuses after which a message's fate no longer changes by itself. */
const SETTLED = new Set(['sent', 'failed', 'skipped', 'cancelled', 'uncertain']);

const FIELDS = ['template_id', 'content', 'from_email', 'from_name', 'transactional', 'contact'];

export function SendMessage({ contactId, onClose, onSent }: { contactId: number; onClose: () => void; onSent: () => void }) {
  const { toast } = useSession();
  const templates = useApi(() => api.get<Page<Named>>('/api/v1/templates', { limit: 1000 }), []);
  const [source, setSource] = useState<'template' | 'write'>('template');
  const [f, setF] = useState({ template_id: '', subject: '', body: '', format: 'text' as 'text' | 'html', from_email: '', transactional: true });
  const { error, busy, tryWrite } = useFormSubmit();
  const send = async (e: FormEvent) => {
    e.preventDefault();
    await tryWrite('messages:send', async () => {
      const m = await api.post<Message>('/api/v1/messages', {
        contact: { id: contactId },
        ...(source === 'template' ? { template_id: Number(f.template_id) || undefined } : { content: { subject: f.subject, [f.format]: f.body } }),
        ...(f.from_email.trim() ? { from_email: f.from_email.trim() } : {}),
        transactional: f.transactional,
      });
      toast(`Message #${m.id} queued.`);
      onSent();
    });
  };
  return (
    <form className="card form" onSubmit={send} noValidate aria-labelledby="send-message-title">
      <h2 id="send-message-title">Send a message</h2>
      <FormError error={error} fields={FIELDS} />
      <div className="radio-row" role="radiogroup" aria-label="Content">
        <label className="check">
          <input type="radio" name="message-source" checked={source === 'template'} onChange={() => setSource('template')} /> From a template
        </label>
        <label className="check">
          <input type="radio" name="message-source" checked={source === 'write'} onChange={() => setSource('write')} /> Write it here
        </label>
      </div>
      {source === 'template' ? (
        <Field label="Message template" error={fieldError(error, 'template_id')}>
          {(id, d) => (
            <select id={id} aria-describedby={d} value={f.template_id} onChange={(e) => setF({ ...f, template_id: e.target.value })}>
              <NamedOptions none="— choose a template —" items={templates.data?.items} />
            </select>
          )}
        </Field>
      ) : (
        <>
          <TextField label="Subject" value={f.subject} onChange={(v) => setF({ ...f, subject: v })} error={fieldError(error, 'content.subject')} />
          <Field label="Body format">
            {(id, d) => (
              <select id={id} aria-describedby={d} value={f.format} onChange={(e) => setF({ ...f, format: e.target.value as 'text' | 'html' })}>
                <option value="text">plain text</option>
                <option value="html">HTML</option>
              </select>
            )}
          </Field>
          <TextField label="Body" multiline rows={6} value={f.body} onChange={(v) => setF({ ...f, body: v })} error={fieldError(error, 'content.subject') ? null : fieldError(error, 'content')} hint="Liquid works: {{ contact.first_name }}" />
        </>
      )}
      <TextField label="From address (optional)" type="email" value={f.from_email} onChange={(v) => setF({ ...f, from_email: v })} error={fieldError(error, 'from_email')} hint="empty: the template's or the account's default" />
      <label className="check">
        <input type="checkbox" checked={f.transactional} onChange={(e) => setF({ ...f, transactional: e.target.checked })} /> Transactional (a receipt or a reply to
        them: passes unsubscribes and quiet hours, never the blocklist or a hard bounce)
      </label>
      <div className="form-actions">
        <ActionButton permission="messages:send" type="submit" kind="primary" busy={busy} onClick={() => undefined}>
          Send message
        </ActionButton>
        <button type="button" className="btn btn-secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}

/** The contact's one-off messages, newest first, refreshed while one is still on its way. */
export function ContactMessages({ contactId, version }: { contactId: number; version: number }) {
  const [pending, setPending] = useState(false);
  const list = useApi(() => api.get<{ items: Message[] }>('/api/v1/messages', { contact_id: contactId, limit: 20 }), [contactId, version], { refreshMs: pending ? 1500 : null });
  useEffect(() => {
    setPending(list.data?.items.some((m) => !SETTLED.has(m.status)) ?? false);
  }, [list.data]);
  if (list.error) return <ErrorBox error={list.error} />;
  if (!list.data || list.data.items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="one-off-title">
      <h2 id="one-off-title">One-off messages</h2>
      <table className="table table-compact" data-testid="contact-messages">
        <TableHead columns={['Sent', 'Message', 'Fate', 'Why']} />
        <tbody>
          {list.data.items.map((m) => (
            <tr key={m.id}>
              <td className="small">{fmtDate(m.sent_at ?? m.created_at)}</td>
              <td>
                #{m.id} {m.name}
                {m.transactional && <span className="badge badge-blue">transactional</span>}
              </td>
              <td>
                <StatusBadge status={m.status} />
              </td>
              <td className="small">
                {m.reason ? `${m.reason}: ${m.meaning ?? ''}` : ''}
                {m.response ? <div className="muted">server said: {m.response}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
