// The outbox: what the built-in mail catcher received, newest first; a message rendered in a
// sandboxed iframe (no scripts, no same-origin access, so a message cannot reach the dashboard).
import { useState } from 'react';
import { api } from '../api.ts';
import { useCursorPages } from '../components/cursor-pages.ts';
import { Pager } from '../components/pager.tsx';
import { useServerAction } from '../components/use-server-action.ts';
import { TabStrip } from '../components/tab-strip.tsx';
import { useApi } from '../components/use-api.ts';
import { ActionButton, ErrorBox, fmtDate, Loading, PageHeader } from '../components/ui.tsx';
import { href, navigate } from '../router.ts';
import { useSession } from '../session.tsx';
import type { Page } from '../types.ts';

interface Caught {
  id: number;
  mail_from: string | null;
  rcpt_to: string[];
  subject: string | null;
  size: number;
  received_at: string;
}

interface CaughtDetail extends Caught {
  headers: Array<{ name: string; value: string }>;
  text: string | null;
  html: string | null;
  attachments: Array<{ filename: string | null; mime_type: string; size: number }>;
}

const VIEWS = [
  { key: 'html', label: 'html' },
  { key: 'text', label: 'text' },
  { key: 'headers', label: 'headers' },
] as const;

export function OutboxPage({ id }: { id: number | null }) {
  const pages = useCursorPages();
  const before = pages.cursor;
  const page = useApi(() => api.get<Page<Caught>>('/api/v1/outbox', { limit: 50, before }), [before], { refreshMs: 10_000 });
  const { toast } = useSession();
  const runAction = useServerAction();
  const clear = async () => {
    if (!confirm('Delete every caught message of this account?')) return;
    await runAction('settings:write', async () => {
      await api.del('/api/v1/outbox');
      toast('The outbox is empty.');
      pages.reset();
      page.reload();
      navigate(href('outbox'));
    });
  };
  return (
    <>
      <PageHeader title="Outbox">
        <ActionButton permission="settings:write" kind="danger" onClick={clear}>
          Empty the outbox
        </ActionButton>
      </PageHeader>
      <p className="muted">Messages caught by Herald's built-in mail catcher (used when no SMTP relay is configured).</p>
      <div className="split">
        <div className="split-list">
          <ErrorBox error={page.error} />
          {!page.data ? (
            <Loading />
          ) : page.data.items.length === 0 ? (
            <p className="muted">The outbox is empty.</p>
          ) : (
            <ul className="message-list">
              {page.data.items.map((m) => (
                <li key={m.id}>
                  <a href={href('outbox', m.id)} aria-current={id === m.id ? 'true' : undefined}>
                    <strong>{m.subject ?? '(no subject)'}</strong>
                    <span className="small">to {m.rcpt_to.join(', ')}</span>
                    <span className="small muted">{fmtDate(m.received_at)}</span>
                  </a>
                </li>
              ))}
            </ul>
          )}
          <Pager label="Outbox pages" pages={pages} next={page.data?.next_before} direction="before" compact />
        </div>
        <div className="split-detail">{id ? <CaughtMessage id={id} /> : <p className="muted">Choose a message.</p>}</div>
      </div>
    </>
  );
}

function CaughtMessage({ id }: { id: number }) {
  const m = useApi(() => api.get<CaughtDetail>(`/api/v1/outbox/${id}`), [id]);
  const [view, setView] = useState<(typeof VIEWS)[number]['key']>('html');
  const [images, setImages] = useState(false);
  if (m.error) return <ErrorBox error={m.error} />;
  if (!m.data) return <Loading />;
  const d = m.data;
  const header = (name: string) => d.headers.find((h) => h.name.toLowerCase() === name)?.value ?? null;
  return (
    <article className="card">
      <h2>{d.subject ?? '(no subject)'}</h2>
      <dl className="dl small">
        <dt>From</dt>
        <dd>{header('from') ?? '–'}</dd>
        <dt>Return path</dt>
        <dd>{d.mail_from ?? '–'}</dd>
        <dt>To</dt>
        <dd>{d.rcpt_to.join(', ')}</dd>
        <dt>Received</dt>
        <dd>{fmtDate(d.received_at)}</dd>
      </dl>
      <TabStrip label="Message view" tabs={VIEWS} selected={view} onSelect={setView} />
      {view === 'html' && d.html && (
        <label className="check small">
          <input type="checkbox" checked={images} onChange={(e) => setImages(e.target.checked)} /> Load remote images (this fetches the open pixel too: it counts as
          an open)
        </label>
      )}
      {view === 'html' &&
        (d.html ? (
          <iframe key={String(images)} title={`Message ${d.id}`} className="mail-frame" sandbox="" srcDoc={withImagePolicy(d.html, images)} />
        ) : (
          <p className="muted">No HTML part.</p>
        ))}
      {view === 'text' && <pre className="mail-text">{d.text ?? '(no text part)'}</pre>}
      {view === 'headers' && (
        <pre className="mail-text">
          {d.headers.map((h) => `${h.name}: ${h.value}`).join('\n')}
        </pre>
      )}
    </article>
  );
}

/**
 * The frame is sandboxed (no scripts, no same-origin); a Content-Security-Policy in front of the
 * message also keeps remote images out unless asked for, so looking at a message in the outbox
 * does not fetch its tracking pixel and count as an open.
 */
function withImagePolicy(html: string, images: boolean): string {
  const img = images ? 'img-src * data:' : 'img-src data:';
  return `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; font-src data:; ${img}">${html}`;
}
