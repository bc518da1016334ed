// Notifications from pacing (F2.1): a daily limit held messages back (once per account, channel
// and day), and the complaint rate lowered or stopped the limit (once per account and day). Both
// conditions are seen on every batch; the dedupe key makes them one notification each.
import type { Channel } from '../../core/channels.ts';
import type { AppDeps } from '../deps.ts';
import { notify } from '../notifications/notify.ts';

export async function notifyLimitReached(
  deps: AppDeps,
  n: { accountId: number; channel: Channel; day: string; limit: number | null; held: number; until: Date; detail: string },
): Promise<void> {
  try {
    await notify(deps, {
      accountId: n.accountId,
      kind: 'limit_reached',
      title: `The ${n.channel} daily limit${n.limit === null ? '' : ` of ${n.limit.toLocaleString('en')}`} is reached for ${n.day}`,
      body: `${n.detail}.\nThe messages held back go from ${n.until.toISOString()}; nothing is lost. Raise the limit with \`herald policy\` if today's volume is expected.`,
      data: { channel: n.channel, day: n.day, limit: n.limit, held_in_batch: n.held, until: n.until.toISOString() },
      subject: { type: 'account', id: n.accountId },
      dedupeKey: `limit_reached:${n.channel}:${n.day}`,
    });
  } catch (err) {
    deps.log.error({ err, accountId: n.accountId }, 'could not write the limit_reached notification');
  }
}

export async function notifyComplaintRateHigh(
  deps: AppDeps,
  n: { accountId: number; channel: Channel; day: string; state: 'shrink' | 'stop'; factor: number; limit: number | null; explanation: string[] },
): Promise<void> {
  try {
    await notify(deps, {
      accountId: n.accountId,
      kind: 'complaint_rate_high',
      title: n.state === 'stop' ? `Sending stopped: too many spam complaints (${n.channel})` : `Too many spam complaints: the ${n.channel} daily limit was lowered`,
      body: `${n.explanation.join('; ')}.\nLook at who gets what (lists without consent, unexpected content, frequency) — the limit grows back as the complaint rate falls.`,
      data: { channel: n.channel, day: n.day, state: n.state, factor: n.factor, limit: n.limit },
      subject: { type: 'account', id: n.accountId },
      dedupeKey: `complaint_rate_high:${n.day}`,
    });
  } catch (err) {
    deps.log.error({ err, accountId: n.accountId }, 'could not write the complaint_rate_high notification');
  }
}
