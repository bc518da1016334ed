// Notifications about a delivery (F2.3): it reached 0 recipients (with the audience funnel and
// the one-sentence diagnosis), it cannot be sent at all, or Herald paused it. Called right after
// the delivery moved, by whoever moved it (the move is conditional, so of many workers exactly
// one reports it). A failure to notify is logged and never undoes or blocks the delivery's move.
import type { NotificationKind } from '../../core/notification-kinds.ts';
import { REASONS } from '../../core/reasons.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { diagnoseCampaign } from '../explain/diagnose-campaign.ts';
import { notify } from '../notifications/notify.ts';

async function deliveryFacts(deps: AppDeps, deliveryId: number) {
  return deps.store.db
    .selectFrom('deliveries')
    .innerJoin('campaigns', 'campaigns.id', 'deliveries.campaign_id')
    .select(['deliveries.id', 'deliveries.account_id', 'deliveries.campaign_id', 'deliveries.run_key', 'campaigns.name', 'campaigns.kind'])
    .where('deliveries.id', '=', deliveryId)
    .executeTakeFirstOrThrow();
}

async function safely(deps: AppDeps, kind: NotificationKind, deliveryId: number, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    deps.log.error({ err, deliveryId, kind }, 'could not write the notification');
  }
}

/** "0 recipients: lists L (1,200) hold 1,200; …, and none consented — 1,200 consent_pending: …" */
export async function notifyZeroRecipients(deps: AppDeps, deliveryId: number): Promise<void> {
  await safely(deps, 'delivery_zero_recipients', deliveryId, async () => {
    const d = await deliveryFacts(deps, deliveryId);
    // A one-off message (F0.8) has no lists to correct: say what became of that one message.
    const message = await deps.store.db
      .selectFrom('one_off_messages')
      .innerJoin('messages', 'messages.delivery_id', 'one_off_messages.delivery_id')
      .leftJoin('contacts', 'contacts.id', 'one_off_messages.contact_id')
      .select(['one_off_messages.id', 'messages.reason', 'messages.address', 'contacts.email', 'contacts.phone'])
      .where('one_off_messages.delivery_id', '=', d.id)
      .executeTakeFirst();
    if (message) {
      const reason = message.reason ?? 'not_sent';
      const meaning = (REASONS as Record<string, string>)[reason] ?? '';
      const to = message.address ?? message.email ?? message.phone ?? `contact of message ${message.id}`;
      await notify(deps, {
        accountId: d.account_id,
        kind: 'delivery_zero_recipients',
        title: `Message to ${to} was not sent: ${reason}`,
        body: `${reason}${meaning ? ` — ${meaning}` : ''}\nIts fate and why: GET /api/v1/messages/${message.id} (herald messages show ${message.id}).`,
        data: { campaign_id: d.campaign_id, delivery_id: d.id, message_id: message.id, reason, address: to },
        subject: { type: 'campaign', id: d.campaign_id },
        dedupeKey: `delivery_zero_recipients:${d.id}`,
      });
      return;
    }
    // Herald itself asks: the diagnosis is the one a person gets from `herald campaigns diagnose`.
    const system: Actor = { accountId: d.account_id, role: 'owner', label: 'system' };
    const diagnosis = await diagnoseCampaign(deps, system, d.campaign_id);
    await notify(deps, {
      accountId: d.account_id,
      kind: 'delivery_zero_recipients',
      title: `Campaign "${d.name}" reached 0 recipients`,
      // F2.3: the fix is a corrected re-send; a recurring run's fix is a corrected audience before the next run.
      body: `${diagnosis.summary}\nNothing was sent. ${
        d.kind === 'recurring'
          ? `Correct the audience (lists, segment, exclusions) before the next run (this was ${d.run_key ?? 'a run'})`
          : 'Correct the audience (lists, segment, exclusions) and send the campaign again'
      }; \`herald campaigns diagnose ${d.campaign_id}\` shows the whole funnel.`,
      data: { campaign_id: d.campaign_id, delivery_id: d.id, summary: diagnosis.summary, lists: diagnosis.lists, exclude_lists: diagnosis.exclude_lists, funnel: diagnosis.funnel },
      subject: { type: 'campaign', id: d.campaign_id },
      // Preparation is run again after a crash: one report per delivery.
      dedupeKey: `delivery_zero_recipients:${d.id}`,
    });
  });
}

/** The delivery cannot be sent at all (its template no longer renders, no sender) and was paused. */
export async function notifyDeliveryFailed(
  deps: AppDeps,
  deliveryId: number,
  reason: string,
  ended?: { title: string; completed: true },
): Promise<void> {
  await safely(deps, 'delivery_failed', deliveryId, async () => {
    const d = await deliveryFacts(deps, deliveryId);
    await notify(deps, {
      accountId: d.account_id,
      kind: 'delivery_failed',
      title: ended ? `Campaign "${d.name}" ${ended.title}` : `Campaign "${d.name}" cannot be sent`,
      body: ended
        ? `Delivery ${d.id} is completed, and ${reason}\nFix the cause and send a corrected campaign; \`herald campaigns messages ${d.campaign_id} --status failed\` lists every recipient with the reply.`
        : `Delivery ${d.id} was paused because it cannot be sent at all: ${reason}\nFix the cause, then resume the campaign (herald campaigns resume ${d.campaign_id}).`,
      data: { campaign_id: d.campaign_id, delivery_id: d.id, reason },
      subject: { type: 'campaign', id: d.campaign_id },
    });
  });
}

/** Herald paused the delivery because the sender keeps being refused (F1.10). */
export async function notifyDeliveryPaused(deps: AppDeps, deliveryId: number, detail: string): Promise<void> {
  await safely(deps, 'delivery_paused', deliveryId, async () => {
    const d = await deliveryFacts(deps, deliveryId);
    await notify(deps, {
      accountId: d.account_id,
      kind: 'delivery_paused',
      title: `Campaign "${d.name}" was paused: the sender is being refused`,
      body: `Herald paused delivery ${d.id} so that the sender's reputation is not burnt further: ${detail}\nCheck the sender (DNS, blocklists, content), then resume the campaign (herald campaigns resume ${d.campaign_id}).`,
      data: { campaign_id: d.campaign_id, delivery_id: d.id, reason: 'sender_failing', detail },
      subject: { type: 'campaign', id: d.campaign_id },
    });
  });
}
