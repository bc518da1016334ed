// Small building blocks shared by every page: labelled fields with their error, buttons that know
// the role's permissions, tiles, badges, progress bars and number formats.
import { type ReactNode, useId } from 'react';
import { ApiError, errorMessage } from '../api.ts';
import { useSession } from '../session.tsx';

export const fmtNum = (n: number | null | undefined) => (n === null || n === undefined ? '–' : n.toLocaleString('en-US'));
export const fmtPct = (r: number | null | undefined, digits = 1) => (r === null || r === undefined ? '–' : `${(r * 100).toFixed(digits)} %`);
export const fmtDate = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '–');

/** Field errors from the API: the message of an ApiError goes next to the control it names. */
export function fieldError(err: unknown, field: string): string | null {
  return err instanceof ApiError && err.field !== null && (err.field === field || err.field.startsWith(`${field}.`) || err.field.startsWith(`${field}[`)) ? err.message : null;
}

/**
 * The error that belongs to no field of the form (shown at its top). A 403 that names its
 * permission is left out: the ActionButton that was pressed shows it as its disabled reason.
 */
export function formError(err: unknown, fields: string[]): string | null {
  if (!err) return null;
  if (err instanceof ApiError && err.field && fields.some((f) => fieldError(err, f))) return null;
  if (err instanceof ApiError && err.status === 403 && typeof (err.details as { permission?: unknown } | undefined)?.permission === 'string') return null;
  return errorMessage(err);
}

/**
 * Where formError shows: a red panel at the top of a page's form; an announced line at the top of
 * a fieldset inside a larger form; a plain line beside the button of a one-row form.
 */
export function FormError(props: { error: unknown; fields: string[]; place?: 'page' | 'subform' | 'inline' }) {
  const message = formError(props.error, props.fields);
  if (!message) return null;
  if (props.place === 'inline') return <p className="field-error">{message}</p>;
  if (props.place === 'subform')
    return (
      <p className="field-error" role="alert">
        {message}
      </p>
    );
  return (
    <div className="panel panel-red" role="alert">
      {message}
    </div>
  );
}

export function Field(props: { label: string; hint?: ReactNode; error?: string | null; children: (id: string, describedBy: string | undefined) => ReactNode }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  const describedBy = [props.hint ? hintId : null, props.error ? errId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${props.error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children(id, describedBy)}
      {props.hint && (
        <div className="hint" id={hintId}>
          {props.hint}
        </div>
      )}
      {props.error && (
        <div className="field-error" id={errId} role="alert">
          {props.error}
        </div>
      )}
    </div>
  );
}

export function TextField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | null;
  hint?: ReactNode;
  type?: string;
  placeholder?: string;
  required?: boolean;
  autoComplete?: string;
  multiline?: boolean;
  rows?: number;
  name?: string;
}) {
  return (
    <Field label={props.label} hint={props.hint} error={props.error}>
      {(id, describedBy) =>
        props.multiline ? (
          <textarea
            id={id}
            name={props.name}
            rows={props.rows ?? 4}
            value={props.value}
            placeholder={props.placeholder}
            aria-invalid={props.error ? true : undefined}
            aria-describedby={describedBy}
            onChange={(e) => props.onChange(e.target.value)}
          />
        ) : (
          <input
            id={id}
            name={props.name}
            type={props.type ?? 'text'}
            value={props.value}
            placeholder={props.placeholder}
            required={props.required}
            autoComplete={props.autoComplete}
            aria-invalid={props.error ? true : undefined}
            aria-describedby={describedBy}
            onChange={(e) => props.onChange(e.target.value)}
          />
        )
      }
    </Field>
  );
}

/**
 * A button for an action that needs a permission: disabled, with the reason shown beside it, when
 * the signed-in role may not do it (known from /auth/me, or learned from a 403).
 */
export function ActionButton(props: {
  permission: string;
  onClick: () => void | Promise<void>;
  children: ReactNode;
  kind?: 'primary' | 'secondary' | 'danger';
  disabled?: boolean;
  disabledReason?: string | null;
  busy?: boolean;
  type?: 'button' | 'submit';
  /** The name a screen reader says when the visible text needs its row to make sense ("Remove a@b"). */
  label?: string;
}) {
  const { can } = useSession();
  const permit = can(props.permission);
  const reason = !permit.ok ? permit.reason : props.disabled ? (props.disabledReason ?? null) : null;
  const id = useId();
  const disabled = !permit.ok || props.disabled || props.busy;
  return (
    <span className="action">
      <button
        type={props.type ?? 'button'}
        className={`btn btn-${props.kind ?? 'secondary'}`}
        disabled={disabled}
        aria-describedby={reason ? id : undefined}
        aria-label={props.label}
        onClick={props.type === 'submit' ? undefined : () => void props.onClick()}
      >
        {props.busy ? '…' : props.children}
      </button>
      {reason && (
        <span className="action-reason" id={id}>
          {reason}
        </span>
      )}
    </span>
  );
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="panel panel-red" role="alert">
      {errorMessage(error)}
    </div>
  );
}

/** An error said in one line under a small form whose answer shows below it (preview, explain, import). */
export function ErrorLine({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="field-error" role="alert">
      {errorMessage(error)}
    </p>
  );
}

export function Loading() {
  return (
    <p className="muted" aria-busy="true">
      Loading…
    </p>
  );
}

const STATUS_TONE: Record<string, string> = {
  draft: 'grey',
  scheduled: 'blue',
  awaiting_approval: 'yellow',
  sending: 'blue',
  active: 'blue',
  paused: 'yellow',
  completed: 'green',
  sent: 'green',
  cancelled: 'grey',
  failed: 'red',
  subscribed: 'green',
  unconfirmed: 'yellow',
  unsubscribed: 'grey',
  deferred: 'yellow',
  skipped: 'grey',
  uncertain: 'yellow',
  queued: 'blue',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${STATUS_TONE[status] ?? 'grey'}`}>{status.replace(/_/g, ' ')}</span>;
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const pct = Math.max(0, Math.min(1, value)) * 100;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
      <div className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}

export function Tile(props: { label: string; value: ReactNode; sub?: ReactNode; tone?: 'red' | 'green' | 'yellow'; testId?: string }) {
  return (
    <div className={`tile${props.tone ? ` tile-${props.tone}` : ''}`} data-testid={props.testId}>
      <div className="tile-label">{props.label}</div>
      <div className="tile-value">{props.value}</div>
      {props.sub && <div className="tile-sub">{props.sub}</div>}
    </div>
  );
}

export function PageHeader(props: { title: ReactNode; children?: ReactNode; back?: { href: string; label: string } }) {
  return (
    <header className="page-header">
      <div>
        {props.back && (
          <a className="back" href={props.back.href}>
            ← {props.back.label}
          </a>
        )}
        <h1>{props.title}</h1>
      </div>
      <div className="page-actions">{props.children}</div>
    </header>
  );
}
