// A delivery is completed when none of its rows needs work any more.
import { REASONS } from '../../core/reasons.ts';
import { hasOpenMessages } from '../../store/queries/ledger.ts';
import type { AppDeps } from '../deps.ts';
import { moveDelivery } from './delivery-status.ts';
import { notifyDeliveryFailed } from './notify-delivery-problem.ts';

export async function completeIfDone(deps: AppDeps, deliveryId: number): Promise<boolean> {
  if (await hasOpenMessages(deps.store.db, deliveryId)) return false;
  const moved = await moveDelivery(deps, { deliveryId, from: ['sending'], to: 'completed', stamp: 'finished_at' });
  // F2.3: a delivery that ends having sent nothing because every hand-off failed (e.g. the template
  // was changed after the launch and renders for nobody) is a failed mailing: say so, once (the
  // move above is won by one process).
  if (moved) await notifyIfNothingSent(deps, deliveryId);
  return moved;
}

async function notifyIfNothingSent(deps: AppDeps, deliveryId: number): Promise<void> {
  const rows = await deps.store.db
    .selectFrom('messages')
    .select(['status', 'reason', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('response').as('response')])
    .where('delivery_id', '=', deliveryId)
    .where('status', 'in', ['sent', 'failed'])
    .groupBy(['status', 'reason'])
    .execute();
  if (rows.length === 0 || rows.some((r) => r.status === 'sent')) return;
  // A receiving server refusing its own address (550 no such user) is about that address — the
  // bounce handling suppresses it — not a failed mailing: a one-contact trigger run or message
  // refused that way is not an alarm.
  if (rows.every((r) => r.reason === 'rejected_recipient')) return;
  const failed = rows.map((r) => ({ reason: r.reason ?? 'failed', n: Number(r.n), response: r.response })).sort((a, b) => b.n - a.n);
  const total = failed.reduce((sum, r) => sum + r.n, 0);
  const top = failed[0];
  const meaning = (REASONS as Record<string, string>)[top.reason];
  await notifyDeliveryFailed(
    deps,
    deliveryId,
    `it ended without sending anything: ${failed.map((r) => `${r.n} ${r.reason}`).join(', ')}${meaning ? ` — ${meaning}` : ''}${top.response ? ` For example: ${top.response}` : ''}`,
    { title: `sent nothing: ${total} failed`, completed: true },
  );
}
