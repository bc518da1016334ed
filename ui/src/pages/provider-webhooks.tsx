// Provider webhooks (Settings → Webhooks): the URL each email provider posts bounces and complaints
// to, and how Herald verifies those requests (SendGrid's public key, Postmark's basic auth,
// Mailgun's signing key; SES is verified with the operator's SNS certificates).
import { type FormEvent, useState } from 'react';
import { api } from '../api.ts';
import { useServerAction } from '../components/use-server-action.ts';
import { useApi } from '../components/use-api.ts';
import { useFormSubmit } from '../components/use-form-submit.ts';
import { ActionButton, ErrorBox, fieldError, FormError, fmtDate, TextField } from '../components/ui.tsx';
import { useSession } from '../session.tsx';

interface ProviderWebhook {
  provider: string;
  url: string;
  verification: { configured: boolean; public_key: string | null; username: string | null };
  subscribe_url: string | null;
  last_received_at: string | null;
}

const PROVIDERS = [
  { key: 'sendgrid', label: 'SendGrid', fields: [{ name: 'public_key', label: 'SendGrid verification key', multiline: true }] },
  { key: 'mailgun', label: 'Mailgun', fields: [{ name: 'signing_key', label: 'Mailgun signing key' }] },
  {
    key: 'postmark',
    label: 'Postmark',
    fields: [
      { name: 'username', label: 'Postmark basic-auth user' },
      { name: 'password', label: 'Postmark basic-auth password', type: 'password' },
    ],
  },
  { key: 'ses', label: 'Amazon SES (via SNS)', fields: [] },
] as const;

export function ProviderWebhooks() {
  const list = useApi(async () => (await api.getOrNull<{ items: ProviderWebhook[] }>('/api/v1/provider-webhooks'))?.items ?? null, []);
  if (list.data === null) return null;
  return (
    <section className="card" aria-labelledby="provider-hooks-title">
      <h2 id="provider-hooks-title">Provider webhooks</h2>
      <p className="muted">
        When you send through SendGrid, Mailgun, Postmark or SES, paste the URL shown here into the provider so its bounces and complaints reach Herald (they suppress the
        address and count in the KPIs). The token in the URL is a secret.
      </p>
      <ErrorBox error={list.error} />
      {list.data &&
        PROVIDERS.map((p) => <ProviderRow key={p.key} provider={p} hook={list.data?.find((h) => h.provider === p.key) ?? null} onChanged={list.reload} />)}
    </section>
  );
}

function ProviderRow({ provider: p, hook, onChanged }: { provider: (typeof PROVIDERS)[number]; hook: ProviderWebhook | null; onChanged: () => void }) {
  const { toast } = useSession();
  const runAction = useServerAction();
  const [values, setValues] = useState<Record<string, string>>({});
  const { error, tryWrite } = useFormSubmit();
  const put = async (body: Record<string, unknown>, done: string) => {
    await tryWrite('settings:write', async () => {
      await api.put(`/api/v1/provider-webhooks/${p.key}`, body);
      toast(done);
      setValues({});
      onChanged();
    });
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    const body = Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));
    void put(body, `${p.label} webhook saved.`);
  };
  const remove = async () => {
    if (!confirm(`Remove the ${p.label} webhook? Its URL stops working at once.`)) return;
    await runAction('settings:write', async () => {
      await api.del(`/api/v1/provider-webhooks/${p.key}`);
      toast(`${p.label} webhook removed.`);
      onChanged();
    });
  };
  const names = p.fields.map((f) => f.name as string);
  return (
    <form className="form provider-hook" onSubmit={save} noValidate aria-labelledby={`provider-${p.key}`} data-testid={`provider-${p.key}`}>
      <h3 id={`provider-${p.key}`}>{p.label}</h3>
      {hook ? (
        <>
          <p>
            URL: <code className="wrap">{hook.url}</code>
          </p>
          <p className="small muted">
            {p.key === 'ses' ? 'verified with the operator’s SNS certificates' : hook.verification.configured ? 'requests are verified' : 'requests are not verified yet: set the key below'}
            {' · '}last event {fmtDate(hook.last_received_at)}
          </p>
          {hook.subscribe_url && (
            <p className="panel panel-yellow small">
              SNS asks to confirm the subscription: open <a href={hook.subscribe_url}>{hook.subscribe_url}</a> once.
            </p>
          )}
        </>
      ) : (
        <p className="small muted">Not set up.</p>
      )}
      <FormError error={error} fields={names} place="subform" />
      {p.fields.length > 0 && (
        <div className="grid-2">
          {p.fields.map((f) => (
            <TextField
              key={f.name}
              label={f.label}
              type={'type' in f ? f.type : undefined}
              multiline={'multiline' in f ? f.multiline : undefined}
              rows={3}
              value={values[f.name] ?? ''}
              onChange={(v) => setValues({ ...values, [f.name]: v })}
              error={fieldError(error, f.name)}
            />
          ))}
        </div>
      )}
      <div className="form-actions">
        <ActionButton permission="settings:write" type="submit" onClick={() => undefined}>
          {hook ? `Save ${p.label}` : `Set up ${p.label}`}
        </ActionButton>
        {hook && (
          <ActionButton permission="settings:write" onClick={() => put({ rotate_token: true }, `${p.label}: new URL made; paste it into ${p.label}.`)}>
            New URL
          </ActionButton>
        )}
        {hook && (
          <ActionButton permission="settings:write" kind="danger" onClick={remove} label={`Remove the ${p.label} webhook`}>
            Remove
          </ActionButton>
        )}
      </div>
    </form>
  );
}
