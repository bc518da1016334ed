// The 7-day counts behind the complaint-adaptive limit: messages of the account and channel sent
// in the last 7 days, and how many of those were marked as spam (messages.complained_at, written
// by the feedback loop: ARF reports and provider webhooks). Complaints arrive after the send, so
// counting them on the messages of the window keeps the rate a share of the same messages.
import type { Channel } from '../../core/channels.ts';
import type { ComplaintCounts } from '../../core/pacing/daily-limit.ts';
import type { AppDeps } from '../deps.ts';

export async function loadComplaintCounts(deps: AppDeps, accountId: number, channel: Channel, now: Date): Promise<ComplaintCounts> {
  const since = new Date(now.getTime() - 7 * 86_400_000).toISOString();
  const row = await deps.store.db
    .selectFrom('messages')
    .select([
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.sum<number>(eb.case().when('complained_at', 'is not', null).then(1).else(0).end()).as('complaints'),
    ])
    .where('account_id', '=', accountId)
    .where('channel', '=', channel)
    .where('sent_at', '>=', since)
    .executeTakeFirst();
  return { sent7d: Number(row?.n ?? 0), complaints7d: Number(row?.complaints ?? 0) };
}
