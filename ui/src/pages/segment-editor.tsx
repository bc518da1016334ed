// The segment editor: conditions on fields, attributes, lists, reachability and engagement,
// joined by "all" or "any", with the number of matching contacts counted live while editing
// (POST /segments/count) and each server complaint shown on the condition it names
// ("rules.all[2].value"). Rules this form cannot show (nested groups, "not") are edited as JSON.
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { useApi } from '../components/use-api.ts';
import { NamedOptions } from '../components/named-options.tsx';
import { ActionButton, ErrorBox, Field, fieldError, FormError, fmtNum, Loading, PageHeader, TextField } from '../components/ui.tsx';
import { href, navigate } from '../router.ts';
import { useSession } from '../session.tsx';
import type { Named, Page } from '../types.ts';

type Kind = 'field' | 'attribute' | 'in_list' | 'reachable' | 'engaged';

interface Condition {
  kind: Kind;
  key: string;
  op: string;
  value: string;
  status: string;
  days: string;
}

const FIELDS = ['email', 'phone', 'first_name', 'last_name', 'timezone', 'locale', 'created_at'];
const OPS = ['eq', 'neq', 'in', 'not_in', 'contains', 'starts_with', 'gt', 'gte', 'lt', 'lte', 'exists', 'not_exists', 'is_true', 'is_false'];
const NO_VALUE = new Set(['exists', 'not_exists', 'is_true', 'is_false']);
const KIND_LABEL: Record<Kind, string> = {
  field: 'Contact field',
  attribute: 'Attribute',
  in_list: 'On list',
  reachable: 'Reachable by',
  engaged: 'Engaged',
};

const blank = (kind: Kind = 'field'): Condition => ({ kind, key: kind === 'field' ? 'email' : '', op: 'contains', value: '', status: '', days: '30' });

/** "42" is a number, "true"/"false" booleans, the rest text; in / not_in split on commas. */
function parseValue(op: string, raw: string): unknown {
  const one = (s: string): string | number | boolean => {
    const t = s.trim();
    if (t === 'true' || t === 'false') return t === 'true';
    if (t !== '' && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
    return t;
  };
  if (op === 'in' || op === 'not_in') return raw.split(',').map(one);
  return one(raw);
}

function toRule(c: Condition): Record<string, unknown> {
  switch (c.kind) {
    case 'field':
    case 'attribute':
      return { [c.kind]: c.key, op: c.op, ...(NO_VALUE.has(c.op) ? {} : { value: parseValue(c.op, c.value) }) };
    case 'in_list':
      return { in_list: Number(c.key), ...(c.status ? { status: c.status } : {}) };
    case 'reachable':
      return { reachable: c.key || 'email' };
    case 'engaged':
      return { engaged: c.key || 'opened', within_days: Number(c.days) };
  }
}

function fromRule(r: Record<string, unknown>): Condition | null {
  const show = (v: unknown) => (Array.isArray(v) ? v.join(', ') : v === undefined ? '' : String(v));
  if (typeof r.field === 'string') return { ...blank('field'), key: r.field, op: String(r.op), value: show(r.value) };
  if (typeof r.attribute === 'string') return { ...blank('attribute'), key: r.attribute, op: String(r.op), value: show(r.value) };
  if (typeof r.in_list === 'number') return { ...blank('in_list'), key: String(r.in_list), status: typeof r.status === 'string' ? r.status : '' };
  if (typeof r.reachable === 'string') return { ...blank('reachable'), key: r.reachable };
  if (typeof r.engaged === 'string') return { ...blank('engaged'), key: r.engaged, days: String(r.within_days) };
  return null;
}

/** The form's view of saved rules, or null when only JSON can show them. */
function toForm(rules: unknown): { join: 'all' | 'any'; conditions: Condition[] } | null {
  if (typeof rules !== 'object' || rules === null) return null;
  const r = rules as Record<string, unknown>;
  const join = Array.isArray(r.all) ? 'all' : Array.isArray(r.any) ? 'any' : null;
  if (!join) return null;
  const conditions = (r[join] as Record<string, unknown>[]).map(fromRule);
  return conditions.every((c) => c !== null) ? { join, conditions: conditions as Condition[] } : null;
}

export function SegmentEditorPage({ id }: { id: number | null }) {
  const { toast, noteForbidden } = useSession();
  const lists = useApi(() => api.get<Page<Named>>('/api/v1/lists', { limit: 1000 }), []);
  const existing = useApi(
    () => (id ? api.get<{ id: number; name: string; description: string | null; rules: unknown }>(`/api/v1/segments/${id}`) : Promise.resolve(null)),
    [id],
  );
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [join, setJoin] = useState<'all' | 'any'>('all');
  const [conditions, setConditions] = useState<Condition[]>([blank()]);
  const [json, setJson] = useState<string | null>(null);
  const [count, setCount] = useState<{ count: number; of: number } | null>(null);
  const [countError, setCountError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!existing.data) return;
    setName(existing.data.name);
    setDescription(existing.data.description ?? '');
    const f = toForm(existing.data.rules);
    if (f) {
      setJoin(f.join);
      setConditions(f.conditions);
    } else setJson(JSON.stringify(existing.data.rules, null, 2));
  }, [existing.data]);

  const rules = (): unknown => (json !== null ? JSON.parse(json) : { [join]: conditions.map(toRule) });

  // Live count, a moment after the last change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: rules() reads exactly these
  useEffect(() => {
    const t = setTimeout(() => {
      let body: unknown;
      try {
        body = { rules: rules() };
      } catch {
        setCountError(new ApiError(400, 'invalid_input', 'the JSON does not parse', 'rules'));
        return;
      }
      api
        .post<{ count: number; of: number }>('/api/v1/segments/count', body)
        .then((c) => {
          setCount(c);
          setCountError(null);
        })
        .catch((err) => {
          // A count for rules that no longer stand would mislead: none until they are fixed.
          setCount(null);
          setCountError(err);
        });
    }, 350);
    return () => clearTimeout(t);
  }, [join, conditions, json]);

  const set = (i: number, patch: Partial<Condition>) => setConditions((cs) => cs.map((c, j) => (j === i ? { ...c, ...patch } : c)));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const body = { name: name.trim(), description: description.trim() || null, rules: rules() };
      const saved = id ? await api.put<{ id: number }>(`/api/v1/segments/${id}`, body) : await api.post<{ id: number }>('/api/v1/segments', body);
      toast(`Segment "${body.name}" saved.`);
      if (!id) navigate(href('lists', 'segments', saved.id));
      else existing.reload();
    } catch (err) {
      noteForbidden('contacts:write', err);
      setError(err instanceof SyntaxError ? new ApiError(400, 'invalid_input', `the JSON does not parse: ${err.message}`, 'rules') : err);
    }
  };

  if (id && existing.error) return <ErrorBox error={existing.error} />;
  if (id && !existing.data) return <Loading />;
  // A complaint about one condition ("rules.all[2].value") goes on that row.
  const problem = error ?? countError;
  const rowError = (i: number) => fieldError(problem, `rules.${join}[${i}]`);
  const rulesError = conditions.some((_, i) => rowError(i)) ? null : fieldError(problem, 'rules');

  return (
    <>
      <PageHeader title={id ? `Segment: ${existing.data?.name}` : 'New segment'} back={{ href: href('lists'), label: 'Lists & segments' }}>
        <span className="live-count" aria-live="polite" data-testid="segment-count">
          {count ? `${fmtNum(count.count)} of ${fmtNum(count.of)} contacts match` : countError ? 'fix the rules to count' : '…'}
        </span>
      </PageHeader>
      <form className="card form" onSubmit={save} noValidate>
        <FormError error={error} fields={['name', 'description', 'rules']} />
        <div className="grid-2">
          <TextField label="Segment name" value={name} onChange={setName} error={fieldError(error, 'name')} />
          <TextField label="Description" value={description} onChange={setDescription} error={fieldError(error, 'description')} />
        </div>
        {json === null ? (
          <fieldset>
            <legend>
              Contacts that match{' '}
              <select aria-label="Match all or any condition" value={join} onChange={(e) => setJoin(e.target.value as 'all' | 'any')}>
                <option value="all">all</option>
                <option value="any">any</option>
              </select>{' '}
              of these conditions
            </legend>
            {conditions.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity but their place
              <fieldset key={i} className={`condition${rowError(i) ? ' field-invalid' : ''}`}>
                <legend className="sr-only">Condition {i + 1}</legend>
                <select aria-label="Kind" value={c.kind} onChange={(e) => set(i, blank(e.target.value as Kind))}>
                  {(Object.keys(KIND_LABEL) as Kind[]).map((k) => (
                    <option key={k} value={k}>
                      {KIND_LABEL[k]}
                    </option>
                  ))}
                </select>
                {c.kind === 'field' && (
                  <select aria-label="Field" value={c.key} onChange={(e) => set(i, { key: e.target.value })}>
                    {FIELDS.map((f) => (
                      <option key={f}>{f}</option>
                    ))}
                  </select>
                )}
                {c.kind === 'attribute' && <input aria-label="Attribute name" placeholder="plan" value={c.key} onChange={(e) => set(i, { key: e.target.value })} />}
                {(c.kind === 'field' || c.kind === 'attribute') && (
                  <>
                    <select aria-label="Operator" value={c.op} onChange={(e) => set(i, { op: e.target.value })}>
                      {OPS.map((o) => (
                        <option key={o}>{o}</option>
                      ))}
                    </select>
                    {!NO_VALUE.has(c.op) && (
                      <input aria-label="Value" placeholder={c.op === 'in' || c.op === 'not_in' ? 'a, b, c' : 'value'} value={c.value} onChange={(e) => set(i, { value: e.target.value })} />
                    )}
                  </>
                )}
                {c.kind === 'in_list' && (
                  <>
                    <select aria-label="List" value={c.key} onChange={(e) => set(i, { key: e.target.value })}>
                      <NamedOptions none="— choose —" items={lists.data?.items} />
                    </select>
                    <select aria-label="Subscription status" value={c.status} onChange={(e) => set(i, { status: e.target.value })}>
                      <option value="">not unsubscribed</option>
                      <option value="subscribed">subscribed</option>
                      <option value="unconfirmed">unconfirmed</option>
                      <option value="unsubscribed">unsubscribed</option>
                    </select>
                  </>
                )}
                {c.kind === 'reachable' && (
                  <select aria-label="Channel" value={c.key || 'email'} onChange={(e) => set(i, { key: e.target.value })}>
                    <option value="email">email</option>
                    <option value="sms">sms</option>
                  </select>
                )}
                {c.kind === 'engaged' && (
                  <>
                    <select aria-label="Engagement" value={c.key || 'opened'} onChange={(e) => set(i, { key: e.target.value })}>
                      <option value="opened">opened</option>
                      <option value="clicked">clicked</option>
                      <option value="sent">was sent a message</option>
                    </select>
                    <label className="inline-label">
                      within{' '}
                      <input type="number" min={1} className="input-narrow" value={c.days} onChange={(e) => set(i, { days: e.target.value })} /> days
                    </label>
                  </>
                )}
                <button type="button" className="btn btn-secondary btn-small" aria-label={`Remove condition ${i + 1}`} onClick={() => setConditions((cs) => cs.filter((_, j) => j !== i))}>
                  Remove
                </button>
                {rowError(i) && (
                  <div className="field-error condition-error" role="alert">
                    {rowError(i)}
                  </div>
                )}
              </fieldset>
            ))}
            <div className="form-actions">
              <button type="button" className="btn btn-secondary btn-small" onClick={() => setConditions((cs) => [...cs, blank()])}>
                Add a condition
              </button>
              <button type="button" className="link-button small" onClick={() => setJson(JSON.stringify(rules(), null, 2))}>
                Edit as JSON
              </button>
            </div>
          </fieldset>
        ) : (
          <Field label="Rules (JSON)" error={fieldError(problem, 'rules')} hint="all / any / not over conditions: {field|attribute, op, value}, {in_list, status}, {reachable}, {engaged, within_days}">
            {(fid, d) => <textarea id={fid} aria-describedby={d} rows={14} value={json} onChange={(e) => setJson(e.target.value)} />}
          </Field>
        )}
        {rulesError && json === null && <div className="field-error">{rulesError}</div>}
        <div className="form-actions">
          <ActionButton permission="contacts:write" type="submit" kind="primary" onClick={() => undefined}>
            Save segment
          </ActionButton>
        </div>
      </form>
    </>
  );
}
