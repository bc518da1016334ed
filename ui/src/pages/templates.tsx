// Templates: the list, an editor (name, format, subject, body), lint warnings from the server's
// validator, and a preview rendered for a chosen contact (or a sample contact) in a sandboxed
// iframe.
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api.ts';
import { useApi } from '../components/use-api.ts';
import { useFormSubmit } from '../components/use-form-submit.ts';
import { ActionButton, ErrorBox, ErrorLine, Field, fieldError, FormError, fmtDate, Loading, PageHeader, TextField } from '../components/ui.tsx';
import { href, navigate } from '../router.ts';
import { useSession } from '../session.tsx';
import type { Page } from '../types.ts';

interface TemplateSummary {
  id: number;
  name: string;
  format: string;
  subject: string;
  version: number;
  updated_at: string;
}

interface Template extends TemplateSummary {
  body: string;
}

interface Warning {
  code: string;
  message: string;
  hint?: string;
}

const STARTER = `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text>Hello {{ contact.first_name | default: "there" }},</mj-text>
        <mj-text>…</mj-text>
        <mj-text><a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

export function TemplatesPage({ id }: { id: number | null }) {
  const list = useApi(() => api.get<Page<TemplateSummary>>('/api/v1/templates', { limit: 1000 }), [id]);
  return (
    <>
      <PageHeader title="Templates">
        <ActionButton permission="templates:write" kind="primary" onClick={() => navigate(href('templates', 'new'))}>
          New template
        </ActionButton>
      </PageHeader>
      <div className="split">
        <div className="split-list">
          <ErrorBox error={list.error} />
          {!list.data ? (
            <Loading />
          ) : list.data.items.length === 0 ? (
            <p className="muted">No templates yet.</p>
          ) : (
            <ul className="message-list">
              {list.data.items.map((t) => (
                <li key={t.id}>
                  <a href={href('templates', t.id)} aria-current={id === t.id ? 'true' : undefined}>
                    <strong>{t.name}</strong>
                    <span className="small">{t.subject}</span>
                    <span className="small muted">
                      {t.format} · v{t.version} · {fmtDate(t.updated_at)}
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="split-detail">
          {Number.isNaN(id) || id === null ? (
            location.hash.endsWith('/new') ? (
              <TemplateEditor key="new" id={null} onSaved={list.reload} />
            ) : (
              <p className="muted">Choose a template or create one.</p>
            )
          ) : (
            <TemplateEditor key={id} id={id} onSaved={list.reload} />
          )}
        </div>
      </div>
    </>
  );
}

function TemplateEditor({ id, onSaved }: { id: number | null; onSaved: () => void }) {
  const { toast } = useSession();
  const loaded = useApi(() => (id ? api.get<Template>(`/api/v1/templates/${id}`) : Promise.resolve(null)), [id]);
  const [f, setF] = useState({ name: '', format: 'mjml', subject: '', body: STARTER });
  const [warnings, setWarnings] = useState<Warning[] | null>(null);
  const { error, setError, busy, tryWrite } = useFormSubmit();
  useEffect(() => {
    if (loaded.data) setF({ name: loaded.data.name, format: loaded.data.format, subject: loaded.data.subject, body: loaded.data.body });
  }, [loaded.data]);

  const validate = async () => {
    setError(null);
    try {
      setWarnings((await api.post<{ warnings: Warning[] }>('/api/v1/templates/validate', { format: f.format, subject: f.subject, body: f.body })).warnings);
    } catch (err) {
      setError(err);
    }
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    await tryWrite('templates:write', async () => {
      const saved = id ? await api.put<Template & { warnings: Warning[] }>(`/api/v1/templates/${id}`, f) : await api.post<Template & { warnings: Warning[] }>('/api/v1/templates', f);
      setWarnings(saved.warnings ?? []);
      toast(`Template saved (version ${saved.version}).`);
      onSaved();
      if (!id) navigate(href('templates', saved.id));
    });
  };
  if (id && loaded.error) return <ErrorBox error={loaded.error} />;
  if (id && !loaded.data) return <Loading />;
  const fields = ['name', 'format', 'subject', 'body'];
  return (
    <>
      <form className="card form" onSubmit={save} noValidate aria-label="Template editor">
        <FormError error={error} fields={fields} />
        <div className="grid-2">
          <TextField label="Name" value={f.name} onChange={(v) => setF({ ...f, name: v })} error={fieldError(error, 'name')} />
          <Field label="Format" error={fieldError(error, 'format')}>
            {(fid, d) => (
              <select id={fid} aria-describedby={d} value={f.format} onChange={(e) => setF({ ...f, format: e.target.value })}>
                <option value="mjml">MJML (compiled to responsive HTML)</option>
                <option value="html">HTML</option>
              </select>
            )}
          </Field>
        </div>
        <TextField label="Subject" value={f.subject} onChange={(v) => setF({ ...f, subject: v })} error={fieldError(error, 'subject')} hint="Liquid: {{ contact.first_name }}" />
        <TextField label="Body" multiline rows={16} value={f.body} onChange={(v) => setF({ ...f, body: v })} error={fieldError(error, 'body')} />
        <div className="form-actions">
          <ActionButton permission="templates:write" type="submit" kind="primary" onClick={() => undefined} busy={busy}>
            Save
          </ActionButton>
          <button type="button" className="btn btn-secondary" onClick={validate}>
            Check (lint)
          </button>
        </div>
        {warnings && (
          <div aria-live="polite">
            {warnings.length === 0 ? (
              <div className="panel panel-green">No lint warnings.</div>
            ) : (
              warnings.map((w) => (
                <div key={`${w.code}-${w.message}`} className="panel panel-yellow">
                  <strong>{w.code}</strong>: {w.message}
                  {w.hint && <div className="small">{w.hint}</div>}
                </div>
              ))
            )}
          </div>
        )}
      </form>
      {id && <Preview id={id} />}
    </>
  );
}

function Preview({ id }: { id: number }) {
  const [who, setWho] = useState('');
  const [result, setResult] = useState<{ subject: string; html: string; text: string; warnings: Warning[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (e?: FormEvent) => {
    e?.preventDefault();
    setError(null);
    try {
      let body: Record<string, unknown> = {};
      const ref = who.trim();
      if (/^\d+$/.test(ref)) body = { contact_id: Number(ref) };
      else if (ref) {
        const found = await api.get<Page<{ id: number; email: string | null }>>('/api/v1/contacts', { q: ref, limit: 1 });
        if (!found.items[0]) throw new Error(`no contact matches "${ref}"`);
        body = { contact_id: found.items[0].id };
      }
      setResult(await api.post(`/api/v1/templates/${id}/preview`, body));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="card" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      <form className="inline-form" onSubmit={run}>
        <label htmlFor="preview-contact">For contact (email or id; empty: a sample contact)</label>
        <input id="preview-contact" value={who} onChange={(e) => setWho(e.target.value)} />
        <button type="submit" className="btn btn-secondary">
          Render
        </button>
      </form>
      <ErrorLine error={error} />
      {result && (
        <>
          <p>
            Subject: <strong>{result.subject}</strong>
          </p>
          {result.warnings.map((w) => (
            <div key={`${w.code}-${w.message}`} className="panel panel-yellow small">
              {w.code}: {w.message}
            </div>
          ))}
          <iframe title="Template preview" className="mail-frame" sandbox="" srcDoc={result.html} />
        </>
      )}
    </section>
  );
}
