// Lists and segments with live counts (subscribed / unconfirmed / unsubscribed; a segment's
// matches counted now, on demand per row) and CSV export of a segment.
import { type FormEvent, useState } from 'react';
import { api, errorMessage } from '../api.ts';
import { useApi } from '../components/use-api.ts';
import { useFormSubmit } from '../components/use-form-submit.ts';
import { TableHead } from '../components/table-head.tsx';
import { ActionButton, ErrorBox, Field, fieldError, FormError, fmtNum, Loading, PageHeader, TextField } from '../components/ui.tsx';
import { href, navigate } from '../router.ts';
import { useSession } from '../session.tsx';
import type { Page } from '../types.ts';

interface ListView {
  id: number;
  name: string;
  description: string | null;
  opt_in: string;
  counts: { subscribed: number; unconfirmed: number; unsubscribed: number; total: number };
}

interface SegmentView {
  id: number;
  name: string;
  description: string | null;
  rules: unknown;
}

export function ListsPage() {
  const { toast } = useSession();
  const lists = useApi(() => api.get<Page<ListView>>('/api/v1/lists', { limit: 1000 }), [], { refreshMs: 15_000 });
  const segments = useApi(() => api.get<Page<SegmentView>>('/api/v1/segments', { limit: 1000 }), []);
  const [name, setName] = useState('');
  const [optIn, setOptIn] = useState('single');
  const { error, tryWrite } = useFormSubmit();
  const create = async (e: FormEvent) => {
    e.preventDefault();
    await tryWrite('lists:write', async () => {
      await api.post('/api/v1/lists', { name: name.trim(), opt_in: optIn });
      toast(`List "${name}" created.`);
      setName('');
      lists.reload();
    });
  };
  return (
    <>
      <PageHeader title="Lists & segments" />
      <section className="card" aria-labelledby="lists-title">
        <h2 id="lists-title">Lists</h2>
        <ErrorBox error={lists.error} />
        {!lists.data ? (
          <Loading />
        ) : lists.data.items.length === 0 ? (
          <p className="muted">No lists yet.</p>
        ) : (
          <table className="table" data-testid="lists-table">
            <TableHead columns={['List', 'Opt-in', { label: 'Subscribed', kind: 'number' }, { label: 'Unconfirmed', kind: 'number' }, { label: 'Unsubscribed', kind: 'number' }, { label: 'Total', kind: 'number' }, 'Export']} />
            <tbody>
              {lists.data.items.map((l) => (
                <tr key={l.id}>
                  <td>
                    <a href={`${href('contacts')}?list=${l.id}`}>{l.name}</a>
                    {l.description && <div className="muted small">{l.description}</div>}
                  </td>
                  <td>{l.opt_in}</td>
                  <td className="num">{fmtNum(l.counts.subscribed)}</td>
                  <td className="num">{fmtNum(l.counts.unconfirmed)}</td>
                  <td className="num">{fmtNum(l.counts.unsubscribed)}</td>
                  <td className="num">{fmtNum(l.counts.total)}</td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-secondary btn-small"
                      aria-label={`Export ${l.name} as CSV`}
                      onClick={() => api.download(`/api/v1/lists/${l.id}/export.csv`, `list-${l.id}.csv`).catch((err) => toast(errorMessage(err), 'error'))}
                    >
                      CSV
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form className="inline-form" onSubmit={create} noValidate>
          <TextField label="New list name" value={name} onChange={setName} error={fieldError(error, 'name')} />
          <Field label="Opt-in">
            {(fid) => (
              <select id={fid} value={optIn} onChange={(e) => setOptIn(e.target.value)}>
                <option value="single">single</option>
                <option value="double">double (confirmation mail)</option>
              </select>
            )}
          </Field>
          <ActionButton permission="lists:write" type="submit" onClick={() => undefined}>
            Create list
          </ActionButton>
        </form>
        <FormError error={error} fields={['name']} place="inline" />
      </section>
      <section className="card" aria-labelledby="segments-title">
        <div className="section-head">
          <h2 id="segments-title">Segments</h2>
          <ActionButton permission="contacts:write" onClick={() => navigate(href('lists', 'segments', 'new'))}>
            New segment
          </ActionButton>
        </div>
        <ErrorBox error={segments.error} />
        {segments.data && segments.data.items.length === 0 && <p className="muted">No segments yet.</p>}
        {segments.data && segments.data.items.length > 0 && (
          <table className="table">
            <TableHead columns={['Segment', 'Rules', { label: 'Matches now', kind: 'number' }, 'Export']} />
            <tbody>
              {segments.data.items.map((s) => (
                <SegmentRow key={s.id} segment={s} />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function SegmentRow({ segment: s }: { segment: SegmentView }) {
  const { toast } = useSession();
  const count = useApi(() => api.get<{ count: number; of: number }>(`/api/v1/segments/${s.id}/count`), [s.id]);
  const download = async () => {
    try {
      await api.download(`/api/v1/segments/${s.id}/export.csv`, `segment-${s.id}.csv`);
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  return (
    <tr>
      <td>
        <a href={href('lists', 'segments', s.id)}>{s.name}</a>
        {s.description && <div className="muted small">{s.description}</div>}
      </td>
      <td>
        <code className="small wrap">{JSON.stringify(s.rules)}</code>
      </td>
      <td className="num">{count.data ? `${fmtNum(count.data.count)} of ${fmtNum(count.data.of)}` : count.error ? errorMessage(count.error) : '…'}</td>
      <td>
        <button type="button" className="btn btn-secondary btn-small" onClick={download} aria-label={`Export ${s.name} as CSV`}>
          CSV
        </button>
      </td>
    </tr>
  );
}
