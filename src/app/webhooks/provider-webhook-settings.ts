// Provider webhooks of an account: one secret URL per provider (/hooks/<provider>/<token>) and
// the material each provider's requests are verified with. Secrets (Postmark password, Mailgun
// signing key) are written, never shown again; the URL token is shown, it is what the account
// pastes into the provider's console.
import { randomBytes } from 'node:crypto';
import { readSendGridPublicKey } from '../../core/webhooks/sendgrid-events.ts';
import { PROVIDERS, type Provider } from '../../core/webhooks/provider-event.ts';
import type { ProviderWebhookRow } from '../../store/schema-webhooks.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { invalid, notFound } from '../errors.ts';

export interface ProviderSettings {
  public_key?: string;
  username?: string;
  password?: string;
  signing_key?: string;
}

export interface ProviderWebhookInput extends ProviderSettings {
  rotate_token?: boolean;
}

export interface ProviderWebhookView {
  provider: string;
  url: string;
  /** Whether requests can be verified: the provider's key or credentials are set (SES: the operator's certificate file). */
  verification: { configured: boolean; public_key?: string | null; username?: string | null };
  subscribe_url: string | null;
  topic_arn: string | null;
  last_received_at: string | null;
  created_at: string;
  updated_at: string;
}

export function parseProvider(value: string): Provider {
  if (!(PROVIDERS as readonly string[]).includes(value)) throw invalid('provider', `must be one of ${PROVIDERS.join(', ')}, got "${value}"`);
  return value as Provider;
}

export function readProviderSettings(row: Pick<ProviderWebhookRow, 'settings'>): ProviderSettings {
  try {
    return JSON.parse(row.settings) as ProviderSettings;
  } catch {
    return {};
  }
}

function toView(deps: AppDeps, row: ProviderWebhookRow): ProviderWebhookView {
  const s = readProviderSettings(row);
  const provider = row.provider as Provider;
  const verification: ProviderWebhookView['verification'] =
    provider === 'sendgrid'
      ? { configured: Boolean(s.public_key), public_key: s.public_key ?? null }
      : provider === 'postmark'
        ? { configured: Boolean(s.username && s.password), username: s.username ?? null }
        : provider === 'mailgun'
          ? { configured: Boolean(s.signing_key) }
          : { configured: true };
  return {
    provider,
    url: `${deps.config.publicUrl}/hooks/${provider}/${row.token}`,
    verification,
    subscribe_url: row.subscribe_url,
    topic_arn: row.topic_arn,
    last_received_at: row.last_received_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function checkSettings(provider: Provider, input: ProviderSettings): ProviderSettings {
  const given = Object.entries(input).filter(([, v]) => v !== undefined);
  const allowed: Record<Provider, string[]> = { sendgrid: ['public_key'], postmark: ['username', 'password'], mailgun: ['signing_key'], ses: [] };
  for (const [k] of given) {
    if (!allowed[provider].includes(k)) {
      throw invalid(k, provider === 'ses' ? 'SES webhooks are verified with the operator’s SNS certificate file (HERALD_SNS_CERTIFICATES), not per account' : `${provider} takes ${allowed[provider].join(', ')}`);
    }
  }
  if (input.public_key !== undefined) {
    const key = readSendGridPublicKey(input.public_key);
    if (key?.asymmetricKeyType !== 'ec') throw invalid('public_key', 'must be the SendGrid verification key: base64 of an EC public key (as shown in Mail Settings) or a PEM public key');
  }
  if (input.username !== undefined && (input.username === '' || input.username.includes(':'))) throw invalid('username', 'must be non-empty and contain no ":"');
  if (input.password !== undefined && input.password.length < 8) throw invalid('password', 'must have at least 8 characters');
  if (input.signing_key !== undefined && input.signing_key.trim() === '') throw invalid('signing_key', 'must not be empty');
  return Object.fromEntries(given) as ProviderSettings;
}

const newToken = () => randomBytes(24).toString('base64url');

export async function listProviderWebhooks(deps: AppDeps, actor: Actor): Promise<{ items: ProviderWebhookView[] }> {
  const rows = await deps.store.db.selectFrom('provider_webhooks').selectAll().where('account_id', '=', actor.accountId).orderBy('provider').execute();
  return { items: rows.map((r) => toView(deps, r)) };
}

export async function getProviderWebhook(deps: AppDeps, actor: Actor, providerName: string): Promise<ProviderWebhookView> {
  const provider = parseProvider(providerName);
  const row = await deps.store.db.selectFrom('provider_webhooks').selectAll().where('account_id', '=', actor.accountId).where('provider', '=', provider).executeTakeFirst();
  if (!row) throw notFound('provider webhook', provider, 'provider');
  return toView(deps, row);
}

/** Creates the provider's webhook URL if missing, merges the given verification settings, rotates the token on request. */
export async function configureProviderWebhook(deps: AppDeps, actor: Actor, providerName: string, input: ProviderWebhookInput): Promise<ProviderWebhookView> {
  const provider = parseProvider(providerName);
  const { rotate_token, ...settingsInput } = input;
  const settings = checkSettings(provider, settingsInput);
  if ((settings.username === undefined) !== (settings.password === undefined)) throw invalid(settings.username === undefined ? 'username' : 'password', 'set username and password together');
  const now = deps.clock.now().toISOString();
  const db = deps.store.db;
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('provider_webhooks').selectAll().where('account_id', '=', actor.accountId).where('provider', '=', provider).executeTakeFirst();
    if (!row) {
      await trx
        .insertInto('provider_webhooks')
        .values({ account_id: actor.accountId, provider, token: newToken(), settings: JSON.stringify(settings), subscribe_url: null, topic_arn: null, last_received_at: null, created_at: now, updated_at: now })
        .execute();
      return;
    }
    await trx
      .updateTable('provider_webhooks')
      .set({ settings: JSON.stringify({ ...readProviderSettings(row), ...settings }), updated_at: now, ...(rotate_token ? { token: newToken() } : {}) })
      .where('id', '=', row.id)
      .where('account_id', '=', actor.accountId)
      .execute();
  });
  return getProviderWebhook(deps, actor, provider);
}

export async function deleteProviderWebhook(deps: AppDeps, actor: Actor, providerName: string): Promise<{ deleted: true }> {
  const provider = parseProvider(providerName);
  const r = await deps.store.db.deleteFrom('provider_webhooks').where('account_id', '=', actor.accountId).where('provider', '=', provider).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw notFound('provider webhook', provider, 'provider');
  return { deleted: true };
}
