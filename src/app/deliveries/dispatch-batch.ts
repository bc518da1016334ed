// Dispatch: claim a batch of due ledger rows of one delivery, decide again for each (the world
// may have changed since the preparation), hand them to the transport in chunks, and write what
// happened. The write order is the crash-safety contract (E3):
//   claimed (lease)  → a crash here loses nothing: the rows go back to the queue;
//   sending (marker) → written BEFORE the chunk is handed off; a crash here makes the chunk
//                      "uncertain" and the campaign's policy decides (default: send again, flagged);
//   outcome          → written AFTER the hand-off returned.
import { verpAddress } from '../../core/bounces/verp.ts';
import { decideMessage } from '../../core/decide-message.ts';
import type { Reason } from '../../core/reasons.ts';
import { nextRetryAt } from '../../core/retry-schedule.ts';
import { audienceRecheckQuery } from '../../store/queries/audience.ts';
import {
  type ClaimedMessage,
  type MessageOutcome,
  claimDueMessages,
  markSending,
  releaseClaimed,
  writeOutcomes,
} from '../../store/queries/ledger.ts';
import type { ContactRow } from '../../store/schema.ts';
import type { EmailTransport, FailureClass, SendOutcome } from '../../transports/email/email-transport.ts';
import type { AppDeps } from '../deps.ts';
import { heraldMessageId } from '../links/message-id.ts';
import { signToken } from '../links/signed-token.ts';
import { type EventInput, recordEvents } from '../events/record-events.ts';
import { suppressHardBounces } from '../suppressions/suppress-automatically.ts';
import { personalLinkSigner } from '../templates/personal-link-filter.ts';
import { renderContextFor } from '../templates/render-context.ts';
import { trackMessageHtml } from '../tracking/track-message-html.ts';
import { factsFor, loadBatchFacts } from './audience-facts.ts';
import { gatePacing } from './pacing-gate.ts';
import type { DeliveryContext } from './delivery-context.ts';

export interface DispatchOptions {
  owner: string;
  batchSize: number;
  /** Messages handed to the transport at once (and so, at most, uncertain after a crash). */
  concurrency: number;
  leaseSeconds: number;
  transport: EmailTransport;
}

export interface DispatchCounts {
  claimed: number;
  sent: number;
  deferred: number;
  failed: number;
  skipped: number;
  released: number;
}

const FAILURE_REASON: Record<FailureClass, Reason> = {
  recipient: 'rejected_recipient',
  sender_policy: 'rejected_sender_policy',
  message: 'rejected_message',
  unknown: 'rejected_unknown',
};

function outcomeRow(
  m: ClaimedMessage,
  result: SendOutcome,
  now: Date,
  jitter: number,
): MessageOutcome {
  const base = { id: m.id, response: result.response, failureClass: null, nextAttemptAt: null, sentAt: null, reason: null };
  if (result.kind === 'sent') return { ...base, status: 'sent', sentAt: now.toISOString() };
  if (result.kind === 'deferred') {
    // attempts was incremented by markSending; the first attempt is approximated by the row's birth.
    const next = nextRetryAt(now, m.attempts + 1, new Date(m.created_at), jitter);
    if (next) return { ...base, status: 'deferred', nextAttemptAt: next.toISOString() };
    return { ...base, status: 'failed', reason: 'retries_exhausted', failureClass: 'unknown' };
  }
  return { ...base, status: 'failed', reason: FAILURE_REASON[result.failureClass], failureClass: result.failureClass };
}

async function deliveryIsSending(deps: AppDeps, deliveryId: number): Promise<boolean> {
  const d = await deps.store.db.selectFrom('deliveries').select('status').where('id', '=', deliveryId).executeTakeFirst();
  return d?.status === 'sending';
}

const LANES = 4;

/** The event a hand-off outcome becomes: a 5xx for the recipient is a (synchronous) hard bounce. */
function handOffEvent(accountId: number, r: MessageOutcome, now: string, ledger: EventInput['ledger']): EventInput {
  const at = r.sentAt ?? now;
  const data = { response: r.response, reason: r.reason, source: 'smtp-session' };
  const base = { accountId, messageId: r.id, occurredAt: at, ledger };
  if (r.status === 'sent') return { ...base, type: 'sent', data: { response: r.response } };
  if (r.status === 'deferred') return { ...base, type: 'deferred', data: { ...data, next_attempt_at: r.nextAttemptAt } };
  if (r.failureClass === 'recipient') return { ...base, type: 'bounced', data: { ...data, class: 'hard' } };
  return { ...base, type: 'failed', data };
}

function skipOutcome(id: number, reason: Reason, response: string | null): MessageOutcome {
  return { id, status: 'skipped', reason, response, failureClass: null, nextAttemptAt: null, sentAt: null };
}

/** Not now: the row waits in `deferred` until `until`, then is decided again. No hand-off happened. */
function deferOutcome(id: number, reason: Reason, until: Date, detail: string): MessageOutcome {
  return { id, status: 'deferred', reason, response: detail, failureClass: null, nextAttemptAt: until.toISOString(), sentAt: null };
}

type Sendable = { m: ClaimedMessage; contact: ContactRow };

/** Marks one group `sending` (before the hand-off), renders and sends it, and returns the outcomes. */
async function handOff(
  deps: AppDeps,
  ctx: DeliveryContext,
  opts: DispatchOptions,
  group: Sendable[],
  lease: () => string,
): Promise<MessageOutcome[]> {
  const headers = new Map(group.map((s) => [s.m.id, heraldMessageId(deps.config.secret, s.m.id, ctx.deliveryId, ctx.messageIdDomain)]));
  const personalLinks = personalLinkSigner(deps.config.secret, ctx.accountId, deps.clock.now());
  const marked = new Set(
    await markSending(deps.store.db, deps.store.caps, { headers, owner: opts.owner, now: deps.clock.now().toISOString(), leaseUntil: lease() }),
  );
  return Promise.all(
    group
      .filter((s) => marked.has(s.m.id))
      .map(async ({ m, contact }): Promise<MessageOutcome> => {
        const unsubscribeUrl = `${deps.config.publicUrl}/u/${signToken(deps.config.secret, 'unsubscribe', m.id)}`;
        let rendered: Awaited<ReturnType<typeof ctx.template.render>>;
        try {
          rendered = await ctx.template.render(
            renderContextFor(contact, {
              campaign: { id: ctx.campaignId, name: ctx.campaignName },
              account: { id: ctx.accountId, name: ctx.accountName },
              unsubscribeUrl,
              run: ctx.runContext,
              personalLinks,
            }),
          );
        } catch (err) {
          return {
            id: m.id,
            status: 'failed',
            reason: 'render_failed',
            response: (err as Error).message.slice(0, 500),
            failureClass: 'message',
            nextAttemptAt: null,
            sentAt: null,
          };
        }
        const result = await opts.transport.send({
          from: ctx.from,
          to: m.address!,
          replyTo: ctx.replyTo,
          subject: rendered.subject,
          html: ctx.tracking ? trackMessageHtml(deps.config, m.id, rendered.html, unsubscribeUrl) : rendered.html,
          text: rendered.text,
          messageId: headers.get(m.id)!,
          // VERP: bounces come back to an address that names (and signs) this message.
          envelopeFrom: verpAddress(deps.config.secret, m.id, deps.config.bounceDomain ?? ctx.messageIdDomain),
          // A transactional message (a receipt, a login link) is not list mail: RFC 8058's
          // one-click header would let a mailbox provider "unsubscribe" someone from their receipts.
          headers:
            ctx.scope.kind === 'marketing'
              ? { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
              : {},
          dkim: ctx.dkim,
        });
        return outcomeRow(m, result, deps.clock.now(), Math.random());
      }),
  );
}

export async function dispatchBatch(deps: AppDeps, ctx: DeliveryContext, opts: DispatchOptions): Promise<DispatchCounts> {
  const { db, caps } = deps.store;
  const counts: DispatchCounts = { claimed: 0, sent: 0, deferred: 0, failed: 0, skipped: 0, released: 0 };
  const lease = () => new Date(deps.clock.now().getTime() + opts.leaseSeconds * 1000).toISOString();

  const claimed = await claimDueMessages(db, caps, {
    deliveryId: ctx.deliveryId,
    now: deps.clock.now().toISOString(),
    limit: opts.batchSize,
    owner: opts.owner,
    leaseUntil: lease(),
  });
  counts.claimed = claimed.length;
  if (claimed.length === 0) return counts;

  // Decide again with the contacts as they are now.
  const { rows: current } = await db.executeQuery(
    audienceRecheckQuery(caps, {
      accountId: ctx.accountId,
      // An explicit audience (trigger, one-off message) has no lists: its contacts count as subscribed.
      include: ctx.audience.contact_ids ? [] : ctx.audience.list_ids,
      exclude: ctx.audience.exclude_list_ids,
      contactIds: [...new Set(claimed.map((m) => m.contact_id))],
      segments: ctx.scope.segments,
    }),
  );
  const byContact = new Map(current.map((c) => [c.contact_id, c]));
  const now = deps.clock.now();
  const scope = ctx.scope;
  const batch = await loadBatchFacts(deps, scope, current, now);
  const notNow: MessageOutcome[] = [];
  const candidates: Array<Sendable & { address: string }> = [];
  for (const m of claimed) {
    const c = byContact.get(m.contact_id);
    if (!c) {
      notNow.push(skipOutcome(m.id, 'no_address_for_channel', 'the contact was deleted after the delivery was prepared'));
      continue;
    }
    const decision = decideMessage(factsFor(scope, c, batch, false), { now, quiet_until: null, limited: null });
    if (decision.kind === 'skip') notNow.push(skipOutcome(m.id, decision.reason, null));
    else if (decision.kind === 'defer') notNow.push(deferOutcome(m.id, decision.reason, decision.until, decision.why.detail));
    // The address may have changed since the preparation; send to the current one.
    else candidates.push({ m: { ...m, address: decision.address }, contact: c, address: decision.address });
  }
  // Pacing (quiet hours in the recipient's zone, daily limits, domain throttles) decides last,
  // for the messages that would otherwise go now.
  const gate = await gatePacing(deps, ctx, candidates, now);
  const sendable: Sendable[] = [];
  for (const c of candidates) {
    const held = gate.held.get(c.m.id);
    if (held) notNow.push(deferOutcome(c.m.id, held.reason, held.until, held.detail));
    else sendable.push(c);
  }
  if (notNow.length) {
    await writeOutcomes(db, caps, { outcomes: notNow, owner: opts.owner, now: now.toISOString(), fromStatus: 'claimed' });
    for (const o of notNow) {
      if (o.status === 'skipped') counts.skipped++;
      else counts.deferred++;
    }
  }

  // Hand-offs run in LANES parallel groups, so the transport stays busy while a group's marker
  // and outcome are written; at most `concurrency` messages are in flight (and so, after a crash,
  // at most that many are uncertain).
  const lanes = Math.min(LANES, opts.concurrency);
  const groupSize = Math.floor(opts.concurrency / lanes);
  const groups: Sendable[][] = [];
  for (let i = 0; i < sendable.length; i += groupSize) groups.push(sendable.slice(i, i + groupSize));
  let next = 0;
  let stopped = false;
  let checkedAt = 0;
  // Pause and cancel take effect between groups; the state is read at most every 200 ms.
  const stillSending = async () => {
    const now = deps.clock.now().getTime();
    if (now - checkedAt < 200) return !stopped;
    checkedAt = now;
    if (!(await deliveryIsSending(deps, ctx.deliveryId))) stopped = true;
    return !stopped;
  };
  const lane = async () => {
    while (next < groups.length && (await stillSending())) {
      const group = groups[next++];
      const results = await handOff(deps, ctx, opts, group, lease);
      await writeOutcomes(db, caps, { outcomes: results, owner: opts.owner, now: deps.clock.now().toISOString() });
      handedOff.push(...results);
      // A hard bounce at the hand-off (5xx, the recipient's fault) suppresses the address for
      // every later send on this channel.
      const bounced = results.filter((r) => r.status === 'failed' && r.failureClass === 'recipient');
      if (bounced.length) {
        const addressOf = new Map(group.map((g) => [g.m.id, g.m.address!]));
        await suppressHardBounces(
          deps,
          ctx.accountId,
          bounced.map((r) => ({ channel: ctx.channel, address: addressOf.get(r.id)!, response: r.response ?? '' })),
        );
      }
      for (const r of results) {
        if (r.status === 'sent') counts.sent++;
        else if (r.status === 'deferred') counts.deferred++;
        else counts.failed++;
      }
    }
  };
  const handedOff: MessageOutcome[] = [];
  await Promise.all(Array.from({ length: Math.min(lanes, groups.length) }, lane));
  // The contact's timeline and outgoing webhooks see every hand-off: one batch of events per
  // dispatch batch (after the outcomes are in the ledger, so an event never runs ahead of it).
  const at = deps.clock.now().toISOString();
  // The rows were claimed for this delivery, so their ledger ids are known (no lookup).
  const contactOf = new Map(claimed.map((m) => [m.id, m.contact_id]));
  await recordEvents(
    deps,
    handedOff.map((r) =>
      handOffEvent(ctx.accountId, r, at, { campaignId: ctx.campaignId, deliveryId: ctx.deliveryId, contactId: contactOf.get(r.id)! }),
    ),
  );
  if (next < groups.length) {
    const rest = groups.slice(next).flat().map((g) => g.m.id);
    await releaseClaimed(db, { ids: rest, owner: opts.owner, now: deps.clock.now().toISOString() });
    await gate.release(rest);
    counts.released += rest.length;
  }
  return counts;
}
