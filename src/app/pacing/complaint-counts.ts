// The 7-day counts behind the complaint-adaptive limit. Complaints are not recorded yet (the
// feedback work adds them): until then complaints7d is 0 and only sent7d comes from the ledger.
// The feedback work replaces this one function.
import type { Channel } from '../../core/channels.ts';
import type { ComplaintCounts } from '../../core/pacing/daily-limit.ts';
import type { AppDeps } from '../deps.ts';

export async function loadComplaintCounts(deps: AppDeps, accountId: number, channel: Channel, now: Date): Promise<ComplaintCounts> {
  const since = new Date(now.getTime() - 7 * 86_400_000).toISOString();
  const row = await deps.store.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('channel', '=', channel)
    .where('sent_at', '>=', since)
    .executeTakeFirst();
  return { sent7d: Number(row?.n ?? 0), complaints7d: 0 };
}
