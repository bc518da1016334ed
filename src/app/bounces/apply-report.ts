// Applies a classified report to its ledger row: the event (bounced / complained / auto_reply),
// messages.bounce_class, and the suppression the class calls for — hard: at once; soft: once the
// same address soft-bounced `softLimit` times within `softWindowDays` (counted from
// message_events, so it survives restarts); complaint: at once; sender_policy: never (the
// receiver refused us, not the address), a warning for the account instead.
//
// Only the recipient the message went to is touched. Via VERP (signed) a report naming one other
// address (an alias or forward) still counts for our recipient; via Message-ID the report must
// name the address itself, except complaints, whose recipients feedback loops usually redact.
// A report seen twice (same report Message-ID on the same ledger row) is applied once.
import type { BounceClass, ClassifiedRecipient, ClassifiedReport } from '../../core/bounces/classify-bounce.ts';
import type { EventType } from '../../store/schema-events.ts';
import type { AppDeps } from '../deps.ts';
import { recordEvents } from '../events/record-events.ts';
import { suppressComplaint, suppressHardBounces } from '../suppressions/suppress-automatically.ts';
import type { LedgerLink } from './link-report.ts';

export interface ApplyReportOptions {
  /** Soft bounces of one address within the window that suppress it (default 3). */
  softLimit?: number;
  softWindowDays?: number;
}

export interface AppliedRecipient {
  address: string;
  class: BounceClass;
  status: string | null;
  event: EventType | null;
  suppressed: boolean;
}

export interface ApplyReportResult {
  applied: AppliedRecipient[];
  /** Why nothing was applied, when nothing was. */
  ignored: string | null;
}

export const DEFAULT_SOFT_LIMIT = 3;
export const DEFAULT_SOFT_WINDOW_DAYS = 7;

/** Which bounce_class a later report may replace: a hard bounce is never downgraded. */
const CLASS_RANK: Record<string, number> = { unknown: 1, soft: 2, sender_policy: 3, hard: 4 };

function pickRecipient(link: LedgerLink, report: ClassifiedReport): ClassifiedRecipient | null {
  const address = link.address?.toLowerCase();
  if (!address) return null;
  const named = report.recipients.find((r) => r.address === address);
  if (named) return named;
  if (report.kind === 'complaint' && report.recipients.length <= 1) {
    const cls: BounceClass = report.recipients[0]?.class ?? 'complaint';
    return { address, status: null, class: cls, reason: report.recipients[0]?.reason ?? 'the recipient reported the message as spam', action: null, diagnostic: null, remoteMta: null };
  }
  if (link.via === 'verp' && report.recipients.length === 1) return { ...report.recipients[0], address };
  return null;
}

async function alreadyApplied(deps: AppDeps, link: LedgerLink, reportId: string | null): Promise<boolean> {
  if (!reportId) return false;
  const rows = await deps.store.db
    .selectFrom('message_events')
    .select('data')
    .where('account_id', '=', link.accountId)
    .where('message_id', '=', link.messageId)
    .where('type', 'in', ['bounced', 'complained', 'auto_reply'])
    .execute();
  return rows.some((r) => (JSON.parse(r.data) as { report_id?: string }).report_id === reportId);
}

async function setBounceClass(deps: AppDeps, link: LedgerLink, cls: BounceClass): Promise<void> {
  const row = await deps.store.db
    .selectFrom('messages')
    .select('bounce_class')
    .where('id', '=', link.messageId)
    .where('account_id', '=', link.accountId)
    .executeTakeFirst();
  if (!row || (CLASS_RANK[row.bounce_class ?? ''] ?? 0) >= (CLASS_RANK[cls] ?? 0)) return;
  await deps.store.db.updateTable('messages').set({ bounce_class: cls }).where('id', '=', link.messageId).where('account_id', '=', link.accountId).execute();
}

/** Soft bounces of this address in the account since `since`, this one included. */
async function countSoftBounces(deps: AppDeps, accountId: number, address: string, since: string): Promise<number> {
  const row = await deps.store.db
    .selectFrom('message_events as e')
    .innerJoin('messages as m', 'm.id', 'e.message_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('e.account_id', '=', accountId)
    .where('m.account_id', '=', accountId)
    .where('e.type', '=', 'bounced')
    .where('e.occurred_at', '>=', since)
    .where('e.data', 'like', '%"class":"soft"%')
    .where((eb) => eb.fn('lower', ['m.address']), '=', address)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function applyReport(deps: AppDeps, link: LedgerLink, report: ClassifiedReport, options: ApplyReportOptions = {}): Promise<ApplyReportResult> {
  const log = deps.log.child({ component: 'bounces', accountId: link.accountId, messageId: link.messageId });
  if (report.kind === 'not_a_report') return { applied: [], ignored: 'not a bounce, complaint or auto-reply' };
  const r = pickRecipient(link, report);
  if (!r) return { applied: [], ignored: `the report does not name the message's recipient (${link.address ?? 'none'})` };
  if (r.action === 'delivered' || r.action === 'relayed' || r.action === 'expanded') return { applied: [], ignored: `the report says the message was ${r.action}` };
  if (await alreadyApplied(deps, link, report.reportMessageId)) return { applied: [], ignored: 'this report was already applied' };

  const now = deps.clock.now();
  const occurredAt = now.toISOString();
  const common = { report_id: report.reportMessageId, via: link.via, source: 'smtp' };
  const address = r.address;

  if (r.class === 'complaint') {
    await recordEvents(deps, [
      { accountId: link.accountId, messageId: link.messageId, type: 'complained', occurredAt, data: { ...common, feedback_type: report.feedbackType, reason: r.reason } },
    ]);
    const { added } = await suppressComplaint(deps, link.accountId, { channel: link.channel, address, source: `fbl:${report.feedbackType ?? 'abuse'}` });
    return { applied: [{ address, class: r.class, status: null, event: 'complained', suppressed: added }], ignored: null };
  }
  if (r.class === 'auto_reply') {
    await recordEvents(deps, [{ accountId: link.accountId, messageId: link.messageId, type: 'auto_reply', occurredAt, data: { ...common, subject: r.diagnostic } }]);
    return { applied: [{ address, class: r.class, status: null, event: 'auto_reply', suppressed: false }], ignored: null };
  }

  const data: Record<string, unknown> = { ...common, class: r.class, status: r.status, diagnostic: r.diagnostic, reason: r.reason };
  if (r.class === 'sender_policy') {
    data.warning = `The receiver refused this message for policy reasons (${r.status ?? 'no status'}): check the sender's authentication (SPF, DKIM, DMARC), reputation and content. The recipient was not suppressed.`;
    log.warn({ address, status: r.status, diagnostic: r.diagnostic }, 'a receiver refused our mail for policy reasons');
  }
  await recordEvents(deps, [{ accountId: link.accountId, messageId: link.messageId, type: 'bounced', occurredAt, data }]);
  await setBounceClass(deps, link, r.class);

  const response = `${r.status ?? ''} ${r.diagnostic ?? r.reason}`.trim();
  let suppressed = false;
  if (r.class === 'hard') {
    suppressed = (await suppressHardBounces(deps, link.accountId, [{ channel: link.channel, address, response }])).added > 0;
  } else if (r.class === 'soft') {
    const limit = options.softLimit ?? DEFAULT_SOFT_LIMIT;
    const days = options.softWindowDays ?? DEFAULT_SOFT_WINDOW_DAYS;
    const since = new Date(now.getTime() - days * 86_400_000).toISOString();
    const count = await countSoftBounces(deps, link.accountId, address, since);
    if (count >= limit) {
      const why = `${count} soft bounces in ${days} days, last: ${response}`;
      suppressed = (await suppressHardBounces(deps, link.accountId, [{ channel: link.channel, address, response: why }])).added > 0;
    }
  }
  return { applied: [{ address, class: r.class, status: r.status, event: 'bounced', suppressed }], ignored: null };
}
