// One request to /hooks/<provider>/<token>: find the account by the token, verify the request the
// provider's way, read its events and apply them to that account. Refusals are AppErrors:
// not_found (unknown token), unauthorized (signature or credentials), invalid_input (the payload);
// the HTTP edge turns them into 404/401/400.
import fs from 'node:fs/promises';
import { mailgunTimestampProblem, parseMailgunEvent, readMailgunSignature, verifyMailgunSignature } from '../../core/webhooks/mailgun-events.ts';
import { parsePostmarkEvent, verifyPostmarkBasicAuth } from '../../core/webhooks/postmark-events.ts';
import { PROVIDERS, type ParsedPayload, type Provider } from '../../core/webhooks/provider-event.ts';
import { parseSendGridEvents, verifySendGridSignature } from '../../core/webhooks/sendgrid-events.ts';
import { parseSesNotification } from '../../core/webhooks/ses-events.ts';
import { readSnsMessage, readSnsVerificationKeys, snsSignatureProblem } from '../../core/webhooks/sns-message.ts';
import type { ProviderWebhookRow } from '../../store/schema-webhooks.ts';
import type { AppDeps } from '../deps.ts';
import { AppError, invalid, notFound } from '../errors.ts';
import { type AppliedEvents, applyProviderEvents } from './apply-provider-events.ts';
import { readProviderSettings } from './provider-webhook-settings.ts';
import { webhookConfigOf } from './webhook-config.ts';

export interface ProviderRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

export interface ReceiveResult extends AppliedEvents {
  ignored: string[];
  /** SES via SNS: a subscription waits for the operator to open this URL. */
  subscribe_url?: string;
}

const unauthorized = (message: string) => new AppError('unauthorized', message, 'signature');
const header = (r: ProviderRequest, name: string) => {
  const v = r.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw invalid('body', 'the body is not JSON');
  }
}

async function verifyAndParse(deps: AppDeps, row: ProviderWebhookRow, req: ProviderRequest): Promise<ParsedPayload | { subscription: { url: string; topicArn: string } } | { unsubscribed: true }> {
  const settings = readProviderSettings(row);
  const provider = row.provider as Provider;
  switch (provider) {
    case 'sendgrid': {
      if (!settings.public_key) throw unauthorized('no SendGrid verification key is configured for this webhook');
      const signature = header(req, 'x-twilio-email-event-webhook-signature');
      const timestamp = header(req, 'x-twilio-email-event-webhook-timestamp');
      if (!signature || !timestamp) throw unauthorized('X-Twilio-Email-Event-Webhook-Signature and -Timestamp are required');
      if (!verifySendGridSignature(settings.public_key, req.rawBody, signature, timestamp)) throw unauthorized('the SendGrid signature does not match');
      return parseSendGridEvents(parseJson(req.rawBody));
    }
    case 'postmark': {
      if (!settings.username || !settings.password) throw unauthorized('no Postmark credentials are configured for this webhook');
      if (!verifyPostmarkBasicAuth(header(req, 'authorization'), settings.username, settings.password)) throw unauthorized('the basic-auth credentials do not match');
      return parsePostmarkEvent(parseJson(req.rawBody));
    }
    case 'mailgun': {
      if (!settings.signing_key) throw unauthorized('no Mailgun signing key is configured for this webhook');
      const body = parseJson(req.rawBody);
      const signature = readMailgunSignature(body);
      if (!signature) throw unauthorized('signature {timestamp, token, signature} is missing');
      if (!verifyMailgunSignature(settings.signing_key, signature)) throw unauthorized('the Mailgun signature does not match');
      const stale = mailgunTimestampProblem(signature, deps.clock.now().getTime());
      if (stale) throw unauthorized(stale);
      await rememberNonce(deps, row.account_id, signature.token);
      return parseMailgunEvent(body);
    }
    case 'ses': {
      const read = readSnsMessage(parseJson(req.rawBody));
      if (!read.ok) throw invalid('body', read.problem);
      const path = webhookConfigOf(deps).snsCertificatesPath;
      const pem = path ? await fs.readFile(path, 'utf8').catch(() => '') : '';
      const problem = snsSignatureProblem(read.message, readSnsVerificationKeys(pem));
      if (problem) throw unauthorized(problem);
      const m = read.message;
      if (m.Type === 'SubscriptionConfirmation') return { subscription: { url: m.SubscribeURL!, topicArn: m.TopicArn } };
      if (m.Type === 'UnsubscribeConfirmation') return { unsubscribed: true };
      return parseSesNotification(m.Message);
    }
  }
}

/** Mailgun tokens are single use: a replayed request (same token) is refused. */
async function rememberNonce(deps: AppDeps, accountId: number, token: string): Promise<void> {
  const now = deps.clock.now();
  const db = deps.store.db;
  // Older tokens are refused by their timestamp anyway; keep only the window's worth.
  const cutoff = new Date(now.getTime() - 15 * 60_000).toISOString();
  await db.deleteFrom('provider_webhook_nonces').where('account_id', '=', accountId).where('received_at', '<', cutoff).execute();
  const inserted = await db
    .insertInto('provider_webhook_nonces')
    .values({ account_id: accountId, provider: 'mailgun', nonce: token.slice(0, 200), received_at: now.toISOString() })
    .onConflict((oc) => oc.doNothing())
    .returning('nonce')
    .executeTakeFirst();
  if (!inserted) throw unauthorized('this signature token was already used (replayed request)');
}

export async function receiveProviderWebhook(deps: AppDeps, providerName: string, token: string, req: ProviderRequest): Promise<ReceiveResult> {
  if (!(PROVIDERS as readonly string[]).includes(providerName)) throw notFound('webhook provider', providerName, 'provider');
  const row = await deps.store.db.selectFrom('provider_webhooks').selectAll().where('provider', '=', providerName).where('token', '=', token).executeTakeFirst();
  if (!row) throw notFound('webhook', `/hooks/${providerName}/…`, 'token');
  const log = deps.log.child({ component: 'provider-webhook', provider: providerName, accountId: row.account_id });
  const now = deps.clock.now().toISOString();

  const outcome = await verifyAndParse(deps, row, req);
  if ('subscription' in outcome) {
    // Herald makes no outbound calls here: the operator (or the account) opens the URL.
    log.warn({ subscribeUrl: outcome.subscription.url, topicArn: outcome.subscription.topicArn }, 'SNS subscription waits for confirmation: open the SubscribeURL');
    await deps.store.db
      .updateTable('provider_webhooks')
      .set({ subscribe_url: outcome.subscription.url, topic_arn: outcome.subscription.topicArn, last_received_at: now, updated_at: now })
      .where('id', '=', row.id)
      .where('account_id', '=', row.account_id)
      .execute();
    return { recorded: 0, linked: 0, suppressed: 0, ignored: [], subscribe_url: outcome.subscription.url };
  }
  if ('unsubscribed' in outcome) {
    log.warn('SNS reports the subscription was removed');
    return { recorded: 0, linked: 0, suppressed: 0, ignored: ['UnsubscribeConfirmation'] };
  }
  if (!outcome.ok) throw invalid('body', outcome.problem);
  const applied = await applyProviderEvents(deps, row.account_id, row.provider as Provider, outcome.events);
  await deps.store.db.updateTable('provider_webhooks').set({ last_received_at: now }).where('id', '=', row.id).where('account_id', '=', row.account_id).execute();
  log.debug({ ...applied, ignored: outcome.ignored }, 'provider events applied');
  return { ...applied, ignored: outcome.ignored };
}
