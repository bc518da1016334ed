// Worker step: sends the one confirmation email of each pending request. Each request is claimed
// by setting sent_at before the hand-off (UPDATE … WHERE sent_at IS NULL), so two workers never
// send the same question. A deferred hand-off hands the claim back with a retry time; a refused
// one is not retried before the request expires (the same address would refuse again); either
// way the reply is kept in last_response. A crash between claim and hand-off leaves the request
// claimed: a confirmation is sent at most once, never twice.
import { renderConsentEmail } from '../../core/consent-email.ts';
import { consentSettings } from '../../core/consent-settings.ts';
import { nextRetryAt } from '../../core/retry-schedule.ts';
import type { EmailTransport, OutgoingEmail, SendOutcome } from '../../transports/email/email-transport.ts';
import { formatAddress } from '../deliveries/delivery-context.ts';
import type { AppDeps } from '../deps.ts';
import { dkimKeyFor } from '../sender-domains/dkim-key-for.ts';
import { consentUrl } from './consent-token.ts';

/** Hand-offs in flight at once (the transport's pool queues behind this). */
const PARALLEL = 10;

interface Due {
  id: number;
  account_id: number;
  email: string | null;
  list_name: string;
  account_name: string;
  settings: string;
  requested_at: string;
  expires_at: string;
  send_attempts: number;
}

async function sendOne(deps: AppDeps, transport: EmailTransport, r: Due, now: Date): Promise<boolean> {
  const { db } = deps.store;
  const at = now.toISOString();
  const claimed = await db
    .updateTable('consent_requests')
    .set((eb) => ({ sent_at: at, send_attempts: eb('send_attempts', '+', 1) }))
    .where('id', '=', r.id)
    .where('status', '=', 'pending')
    .where('sent_at', 'is', null)
    .returning('send_attempts')
    .executeTakeFirst();
  if (!claimed) return false;

  let outcome: SendOutcome;
  if (!r.email) {
    outcome = { kind: 'failed', response: 'not sent: the contact has no email address', code: null, failureClass: 'recipient' };
  } else {
    const settings = consentSettings(r.settings);
    const host = new URL(deps.config.publicUrl).hostname;
    const fromAddress = settings.default_from_email ?? `no-reply@${host}`;
    const content = renderConsentEmail({ accountName: r.account_name, listName: r.list_name, confirmUrl: consentUrl(deps.config, r.id), expiresAt: r.expires_at });
    const message: OutgoingEmail = {
      from: formatAddress(r.account_name, fromAddress),
      to: r.email,
      subject: content.subject,
      html: content.html,
      text: content.text,
      messageId: `herald.consent.${r.id}.${claimed.send_attempts}@${fromAddress.split('@')[1] || host}`,
      dkim: await dkimKeyFor(deps, r.account_id, fromAddress),
    };
    outcome = await transport.send(message);
  }

  if (outcome.kind === 'sent') {
    await db.updateTable('consent_requests').set({ last_response: outcome.response }).where('id', '=', r.id).execute();
    return true;
  }
  // Hand the claim back: a deferral retries on the delivery retry schedule, a refusal waits for
  // the expiry (i.e. gives up) unless someone asks again.
  const retryAt = outcome.kind === 'deferred' ? nextRetryAt(now, Number(claimed.send_attempts), new Date(r.requested_at), Math.random())?.toISOString() : undefined;
  // ISO strings sort as time: the earlier of the retry time and the expiry.
  const sendAfter = retryAt && retryAt < r.expires_at ? retryAt : r.expires_at;
  await db
    .updateTable('consent_requests')
    .set({ sent_at: null, send_after: sendAfter, last_response: `${outcome.kind}: ${outcome.response}` })
    .where('id', '=', r.id)
    .where('sent_at', '=', at)
    .execute();
  deps.log.warn({ consentRequestId: r.id, outcome }, 'confirmation email not accepted');
  return false;
}

/** Sends up to `limit` due confirmation emails; returns how many the transport accepted. */
export async function sendPendingConfirmations(deps: AppDeps, transport: EmailTransport, now: Date, limit = 200): Promise<number> {
  const at = now.toISOString();
  const due = await deps.store.db
    .selectFrom('consent_requests as r')
    .innerJoin('contacts as c', 'c.id', 'r.contact_id')
    .innerJoin('lists as l', 'l.id', 'r.list_id')
    .innerJoin('accounts as a', 'a.id', 'r.account_id')
    .select(['r.id', 'r.account_id', 'c.email', 'l.name as list_name', 'a.name as account_name', 'a.settings', 'r.requested_at', 'r.expires_at', 'r.send_attempts'])
    .where('r.status', '=', 'pending')
    .where('r.sent_at', 'is', null)
    .where('r.expires_at', '>', at)
    .where((eb) => eb.or([eb('r.send_after', 'is', null), eb('r.send_after', '<=', at)]))
    .orderBy('r.id')
    .limit(limit)
    .execute();
  let sent = 0;
  for (let i = 0; i < due.length; i += PARALLEL) {
    const results = await Promise.all(due.slice(i, i + PARALLEL).map((r) => sendOne(deps, transport, { ...r, id: Number(r.id), account_id: Number(r.account_id), send_attempts: Number(r.send_attempts) }, now)));
    sent += results.filter(Boolean).length;
  }
  return sent;
}
