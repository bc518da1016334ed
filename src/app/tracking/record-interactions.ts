// Writes a buffered batch of opens and clicks: reads the ledger rows they name (account, hand-off
// time) in one query, takes the message's clicks of the last seconds from memory (recent-clicks.ts),
// classifies each request
// (person or machine, and why), and records the events through recordEvents.
//
// The hand-off time comes from messages.sent_at at this point rather than from the token: the
// token stays shorter and cannot be replayed with a stale time, and the row has to be read
// anyway for the account the event belongs to. The account is the message's own: the signed
// token names the message, so no request can point an event at another account.
import { classifyInteractions, type Interaction, type PastClick } from '../../core/tracking/classify-interaction.ts';
import type { IpRangeSet } from '../../core/tracking/ip-ranges.ts';
import type { AppDeps } from '../deps.ts';
import { type EventInput, recordEvents } from '../events/record-events.ts';
import type { RecentClicks } from './recent-clicks.ts';

const CHUNK = 5000;

export async function recordInteractions(
  deps: AppDeps,
  batch: readonly Interaction[],
  proxyRanges: IpRangeSet,
  recentClicks: RecentClicks,
): Promise<number> {
  if (batch.length === 0) return 0;
  const { db } = deps.store;
  const ids = [...new Set(batch.map((i) => i.messageId))];
  const ledger = new Map<number, { account_id: number; sent_at: string | null }>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.selectFrom('messages').select(['id', 'account_id', 'sent_at']).where('id', 'in', ids.slice(i, i + CHUNK)).execute();
    for (const r of rows) ledger.set(r.id, r);
  }

  // Earlier clicks of the last seconds only matter for messages with several links.
  const multiLink = batch.filter((i) => i.kind === 'click' && (i.linkCount ?? 0) >= 2 && ledger.has(i.messageId));
  if (multiLink.length > 0) {
    let earliest = multiLink[0].at;
    for (const i of multiLink) if (i.at < earliest) earliest = i.at;
    recentClicks.prune(earliest);
  }
  const pastClicks = new Map<number, readonly PastClick[]>();
  for (const i of multiLink) {
    const past = recentClicks.get(i.messageId);
    if (past) pastClicks.set(i.messageId, past);
  }

  const sentAt = new Map([...ledger].map(([id, r]) => [id, r.sent_at]));
  const verdicts = classifyInteractions(batch, { sentAt, pastClicks, proxyRanges });
  // Remembered only now, so that a click is never its own "earlier" click.
  for (const i of multiLink) recentClicks.add(i.messageId, { url: i.url!, at: i.at });
  const events: EventInput[] = [];
  let unknown = 0;
  batch.forEach((i, n) => {
    const row = ledger.get(i.messageId);
    // A validly signed token of a message that no longer exists (account deleted): nothing to record.
    if (!row) {
      unknown++;
      return;
    }
    events.push({
      accountId: row.account_id,
      messageId: i.messageId,
      type: i.kind === 'open' ? 'opened' : 'clicked',
      occurredAt: i.at,
      machine: verdicts[n].machine,
      data: {
        ...(i.url !== undefined ? { url: i.url } : {}),
        ...(i.method === 'HEAD' ? { method: 'HEAD' } : {}),
        user_agent: i.userAgent.slice(0, 400),
        ip: i.ip,
        why: verdicts[n].why,
      },
    });
  });
  if (unknown > 0) deps.log.warn({ unknown }, 'tracking requests for messages that are not on the ledger were not recorded');
  return recordEvents(deps, events);
}
