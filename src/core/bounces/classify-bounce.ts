// What a report means for each recipient: hard (the address is bad: suppress it), soft (a
// passing problem: count it, suppress only when it keeps happening), sender_policy (the receiver
// refused us — reputation, authentication, content: never the recipient's fault, warn the
// account), complaint, auto_reply, or unknown (nothing usable).
//
// RFC 3463 decides first: 4.x.x and Action: delayed are soft; 5.x.x is hard, except what
// smtp-reply.ts already settled for live SMTP replies — mailbox full (X.2.2 / "over quota") is
// soft, X.7.x and policy, spam or sender-address texts are sender_policy, content and size
// refusals (X.6.x, X.3.4, "message too big") are the sender's message, not the address. The same
// vocabulary serves both places so a bounce and a live refusal of one cause get one class.
import { classifySmtpReply, parseSmtpResponse } from '../smtp-reply.ts';
import type { ParsedReport, ReportKind, ReportRecipient } from './parse-report.ts';
import { codesIn } from './report-fields.ts';

export type BounceClass = 'hard' | 'soft' | 'sender_policy' | 'auto_reply' | 'complaint' | 'unknown';

export interface ClassifiedRecipient {
  address: string;
  /** RFC 3463 code, e.g. "5.1.1"; "5.0.0"/"4.0.0" when only the basic code or the prose told the class; null when nothing did. */
  status: string | null;
  class: BounceClass;
  /** One sentence for a person. */
  reason: string;
  action: string | null;
  diagnostic: string | null;
  remoteMta: string | null;
}

export interface ClassifiedReport {
  kind: ReportKind;
  originalMessageId: string | null;
  reportMessageId: string | null;
  feedbackType: string | null;
  recipients: ClassifiedRecipient[];
}

/** Prose of non-SMTP notices (Exchange, Notes, webmail) that names a bad address without a code. */
const HARD_TEXT =
  /recipient name is not recognized|not (a )?known user|address (is )?unknown|unknown (local[- ]?part|address|e-?mail)|host (or domain name )?(not found|unknown)|domain (does not exist|not found|name not found)|no such (domain|host)|unknown host|account (has been |is )?(expired|removed|deleted|terminated)|no longer (exists|accepts)|(address|recipient|mailbox) (is )?(not valid|invalid|not found|unavailable)|invalid recipient|does not have an? account|user unknown|no such user|unknown user/i;
const SOFT_TEXT = /envelope expired|message expired|in the queue too long|mailbox (is )?full|messages in (the )?recipient'?s mailbox exceeded|over ?quota|quota exceeded|exceeded (its |the )?(storage|quota)|insufficient storage|out of storage/i;
const AUTO_REPLY_REASON = 'an automatic reply (vacation or out-of-office): the message was delivered';

function stripType(diagnostic: string | null): string {
  return (diagnostic ?? '').replace(/^\s*[\w-]+\s*;\s*/, '');
}

/** Picks the most precise status: the Status field unless it is X.0.0 and the diagnostic has a sharper code of the same class. */
function chooseStatus(r: ReportRecipient, diagnosticEnhanced: string | null, basic: number | null): string | null {
  const field = r.status && /^[245]\.\d{1,3}\.\d{1,3}$/.test(r.status) ? r.status : null;
  // The receiver's own words naming a policy refusal win over the reporting MTA's guess: in doubt,
  // do not blame (and suppress) the recipient.
  if (field && diagnosticEnhanced && /^5\.7\./.test(diagnosticEnhanced) && field[0] === '5') return diagnosticEnhanced;
  if (field && !/\.0\.0$/.test(field)) return field;
  if (diagnosticEnhanced && (!field || diagnosticEnhanced[0] === field[0])) return diagnosticEnhanced;
  if (field) return field;
  if (basic !== null) return `${String(basic)[0]}.0.0`;
  return null;
}

export function classifyRecipient(r: ReportRecipient, hint: ParsedReport['hint']): Omit<ClassifiedRecipient, 'address' | 'action' | 'diagnostic' | 'remoteMta'> {
  const text = stripType(r.diagnostic);
  const parsed = parseSmtpResponse(text);
  const found = codesIn(text);
  const basic = parsed.code ?? found.code;
  const enhanced = parsed.enhanced ?? found.enhanced;
  const action = r.action?.toLowerCase() ?? null;
  if (action === 'delivered' || action === 'relayed' || action === 'expanded') {
    return { status: r.status, class: 'unknown', reason: `the report says the message was ${action}: not a failure` };
  }
  const status = chooseStatus(r, enhanced, basic);
  if (action === 'delayed') {
    return { status: status && status[0] === '4' ? status : (status ?? '4.0.0'), class: 'soft', reason: `delivery is delayed (${status ?? 'no status'}); the receiving side is still trying` };
  }
  if (status === null) {
    // No code anywhere: the prose alone, and the notice's general wording.
    if (SOFT_TEXT.test(text)) return { status: null, class: 'soft', reason: 'the mailbox is full (per the notice); it may be emptied, so this is not a bad address' };
    const byWords = text ? classifySmtpReply(550, null, text) : null;
    if (byWords?.failureClass === 'recipient' || HARD_TEXT.test(text)) return { status: null, class: 'hard', reason: 'the notice says the address does not exist or cannot receive mail' };
    if (byWords?.failureClass === 'sender_policy' || byWords?.failureClass === 'message') {
      return { status: null, class: 'sender_policy', reason: 'the notice says the receiver refused the sender or the message (policy, reputation or content), not the address' };
    }
    if (hint === 'temporary') return { status: null, class: 'soft', reason: 'the notice says delivery is delayed or the failure is temporary' };
    if (hint === 'permanent') return { status: null, class: 'hard', reason: 'the notice says delivery failed permanently, without naming a cause' };
    return { status: null, class: 'unknown', reason: 'the report names no status code and no recognisable cause' };
  }
  if (status[0] === '2') return { status, class: 'unknown', reason: `${status}: a success status, not a failure` };
  if (status[0] === '4') {
    const c = classifySmtpReply(basic && basic >= 400 && basic < 500 ? basic : 450, status, text);
    return { status, class: 'soft', reason: `${status}: a temporary failure${c.reason ? ` — ${c.reason.replace(/^[^:]*:\s*/, '')}` : ''}` };
  }
  const c = classifySmtpReply(basic && basic >= 500 && basic < 600 ? basic : 550, status, text);
  if (c.outcome === 'deferred') return { status, class: 'soft', reason: c.reason.replace(/; retried$/, '') };
  if (c.failureClass === 'recipient') return { status, class: 'hard', reason: c.reason };
  if (c.failureClass === 'sender_policy' || c.failureClass === 'message') return { status, class: 'sender_policy', reason: c.reason };
  // RFC 3463: a 5.x.x is permanent; with no recognisable cause the address is still refused for good.
  if (SOFT_TEXT.test(text)) return { status, class: 'soft', reason: `${status}: the mailbox is full (per the text); not a bad address` };
  return { status, class: 'hard', reason: `${status}: a permanent failure (RFC 3463) without a more specific cause` };
}

export function classifyReport(report: ParsedReport): ClassifiedReport {
  const base = {
    kind: report.kind,
    originalMessageId: report.originalMessageId,
    reportMessageId: report.reportMessageId,
    feedbackType: report.feedback?.feedbackType ?? null,
  };
  const keep = (r: ReportRecipient) => ({ address: r.address, action: r.action, diagnostic: r.diagnostic, remoteMta: r.remoteMta });
  if (report.kind === 'complaint') {
    const type = report.feedback?.feedbackType ?? 'abuse';
    // "not-spam" is the opposite of a complaint; it must never suppress anyone.
    const cls: BounceClass = type === 'not-spam' ? 'unknown' : 'complaint';
    const reason =
      cls === 'complaint'
        ? `the recipient reported the message as ${type === 'abuse' ? 'spam' : type}${report.feedback?.userAgent ? ` (${report.feedback.userAgent})` : ''}`
        : 'the recipient marked the message as not spam';
    return { ...base, recipients: report.recipients.map((r) => ({ ...keep(r), status: null, class: cls, reason })) };
  }
  if (report.kind === 'auto_reply') {
    return { ...base, recipients: report.recipients.map((r) => ({ ...keep(r), status: null, class: 'auto_reply' as const, reason: AUTO_REPLY_REASON })) };
  }
  return { ...base, recipients: report.recipients.map((r) => ({ ...keep(r), ...classifyRecipient(r, report.hint) })) };
}
