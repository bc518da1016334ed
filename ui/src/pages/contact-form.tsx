// One contact's fields and attributes: adding a contact (with lists to subscribe to) and editing
// one. Attributes are "name = value" lines: numbers and true/false keep their type, an empty
// value removes the attribute.
import { type FormEvent, useState } from 'react';
import { api } from '../api.ts';
import { useFormSubmit } from '../components/use-form-submit.ts';
import { ActionButton, Field, fieldError, FormError, TextField } from '../components/ui.tsx';
import type { Named } from '../types.ts';

export interface ContactFields {
  id?: number;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  timezone: string | null;
  locale: string | null;
  attributes: Record<string, unknown>;
}

const FIELDS = ['email', 'phone', 'first_name', 'last_name', 'timezone', 'locale', 'attributes', 'list_ids'];

function attributesText(a: Record<string, unknown>): string {
  return Object.entries(a)
    .map(([k, v]) => `${k} = ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('\n');
}

function parseAttributes(text: string, before: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const i = line.indexOf('=');
    const key = (i < 0 ? line : line.slice(0, i)).trim();
    const raw = i < 0 ? '' : line.slice(i + 1).trim();
    out[key] = raw === '' ? null : raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  // Removed lines remove the attribute (PATCH merges key by key; null deletes).
  for (const k of Object.keys(before)) if (!(k in out)) out[k] = null;
  return out;
}

export function ContactForm(props: { contact: ContactFields | null; lists?: Named[]; onSaved: (saved: { id: number }) => void; onCancel?: () => void }) {
  const c = props.contact;
  const [f, setF] = useState({
    email: c?.email ?? '',
    phone: c?.phone ?? '',
    first_name: c?.first_name ?? '',
    last_name: c?.last_name ?? '',
    timezone: c?.timezone ?? '',
    locale: c?.locale ?? '',
    attributes: attributesText(c?.attributes ?? {}),
  });
  const [listIds, setListIds] = useState<number[]>([]);
  const { error, busy, tryWrite } = useFormSubmit();
  const text = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await tryWrite('contacts:write', async () => {
      const nul = (s: string) => (s.trim() === '' ? null : s.trim());
      const body = {
        email: nul(f.email),
        phone: nul(f.phone),
        first_name: nul(f.first_name),
        last_name: nul(f.last_name),
        timezone: nul(f.timezone),
        locale: nul(f.locale),
        attributes: parseAttributes(f.attributes, c?.attributes ?? {}),
      };
      const saved = c?.id
        ? await api.patch<{ id: number }>(`/api/v1/contacts/${c.id}`, body)
        : await api.post<{ id: number }>('/api/v1/contacts', { ...body, ...(listIds.length ? { list_ids: listIds } : {}) });
      props.onSaved(saved);
    });
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={c?.id ? 'Edit the contact' : 'Add a contact'}>
      <FormError error={error} fields={FIELDS} />
      <div className="grid-3">
        <TextField label="Email" type="email" value={f.email} onChange={text('email')} error={fieldError(error, 'email')} />
        <TextField label="Phone" type="tel" value={f.phone} onChange={text('phone')} error={fieldError(error, 'phone')} placeholder="+49 151 …" />
        <TextField label="Time zone" value={f.timezone} onChange={text('timezone')} error={fieldError(error, 'timezone')} placeholder="Europe/Berlin" />
        <TextField label="First name" value={f.first_name} onChange={text('first_name')} error={fieldError(error, 'first_name')} />
        <TextField label="Last name" value={f.last_name} onChange={text('last_name')} error={fieldError(error, 'last_name')} />
        <TextField label="Locale" value={f.locale} onChange={text('locale')} error={fieldError(error, 'locale')} placeholder="de-DE" />
      </div>
      <TextField
        label="Attributes"
        multiline
        rows={4}
        value={f.attributes}
        onChange={text('attributes')}
        error={fieldError(error, 'attributes')}
        hint="one per line: name = value (numbers and true/false keep their type; remove a line to remove the attribute)"
      />
      {!c?.id && props.lists && props.lists.length > 0 && (
        <Field label="Subscribe to" error={fieldError(error, 'list_ids')} hint="the list's opt-in decides the status (double opt-in: unconfirmed)">
          {(fid, d) => (
            <select
              id={fid}
              aria-describedby={d}
              multiple
              value={listIds.map(String)}
              onChange={(e) => setListIds([...e.target.selectedOptions].map((o) => Number(o.value)))}
            >
              {props.lists?.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <div className="form-actions">
        <ActionButton permission="contacts:write" type="submit" kind="primary" onClick={() => undefined} busy={busy}>
          {c?.id ? 'Save contact' : 'Add contact'}
        </ActionButton>
        {props.onCancel && (
          <button type="button" className="btn btn-secondary" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
