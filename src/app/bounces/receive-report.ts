// One inbound report, end to end: parse, classify, find the ledger row, apply. Reports that match
// no ledger row are logged and dropped: without a row there is no account, and a report must
// never reach an account by what it claims about itself.
import { classifyReport, type ClassifiedReport } from '../../core/bounces/classify-bounce.ts';
import { parseReport } from '../../core/bounces/parse-report.ts';
import type { AppDeps } from '../deps.ts';
import { type ApplyReportOptions, type ApplyReportResult, applyReport } from './apply-report.ts';
import { type LedgerLink, linkReport } from './link-report.ts';

export interface ReceivedReport {
  /** null when the message could not be read at all (logged, dropped). */
  report: ClassifiedReport | null;
  link: LedgerLink | null;
  result: ApplyReportResult;
}

export async function receiveReport(deps: AppDeps, envelopeRecipients: readonly string[], raw: string | Uint8Array, options: ApplyReportOptions = {}): Promise<ReceivedReport> {
  const log = deps.log.child({ component: 'bounces' });
  let report: ClassifiedReport;
  try {
    report = classifyReport(await parseReport(raw));
  } catch (err) {
    // Garbage in must never stop the receiver; the database errors below, unlike this, are retried.
    log.warn({ err }, 'could not read an inbound report; dropped');
    return { report: null, link: null, result: { applied: [], ignored: 'the message could not be read' } };
  }
  const link = await linkReport(deps, envelopeRecipients, report.originalMessageId);
  if (!link) {
    log.info({ kind: report.kind, originalMessageId: report.originalMessageId, rcptTo: envelopeRecipients }, 'report matches no sent message; dropped');
    return { report, link, result: { applied: [], ignored: 'no sent message matches this report' } };
  }
  const result = await applyReport(deps, link, report, options);
  if (result.ignored) log.info({ messageId: link.messageId, kind: report.kind, why: result.ignored }, 'report not applied');
  return { report, link, result };
}
