// Reads a report that came back to the envelope sender — a delivery status notification (RFC
// 3464), a complaint (ARF, RFC 5965), an auto-reply (RFC 3834) or one of the many home-made
// non-delivery notices (qmail, Exim, Exchange, Yahoo …) — into one shape: its kind, the failed
// recipients with what the report says about each, and the original message's Message-ID (to
// find the ledger row when the return path does not say it).
//
// Order of belief: the machine-readable parts first (message/feedback-report,
// message/delivery-status, DSN fields quoted in the body), then the prose. Pure apart from
// postal-mime, which does the MIME decoding; any input, however broken, gives a result.
import PostalMime, { type Email } from 'postal-mime';
import { htmlToText } from '../html-to-text.ts';
import { addressIn, addressesIn, codesIn, type FieldBlock, messageIdIn, readFieldBlocks, readHeaderSection } from './report-fields.ts';
import { scanTextBounce } from './scan-text-bounce.ts';

export type ReportKind = 'dsn' | 'complaint' | 'auto_reply' | 'nonstandard_bounce' | 'not_a_report';

export interface ReportRecipient {
  /** The address the report is about (Final-Recipient, the complainant, the auto-replier), lowercased. */
  address: string;
  originalRecipient: string | null;
  /** DSN Action: failed, delayed, delivered, relayed, expanded; null when the report has none. */
  action: string | null;
  /** The report's own status code (DSN Status, SES status), as given. */
  status: string | null;
  /** Diagnostic-Code or the receiving server's words, "smtp;" prefix removed. */
  diagnostic: string | null;
  remoteMta: string | null;
}

export interface FeedbackInfo {
  /** abuse, fraud, virus, other, not-spam … (ARF Feedback-Type, or the provider's word). */
  feedbackType: string;
  userAgent: string | null;
  arrivalDate: string | null;
  sourceIp: string | null;
}

export interface ParsedReport {
  kind: ReportKind;
  subject: string | null;
  from: string | null;
  /** The report's own Message-ID (to recognise the same report delivered twice). */
  reportMessageId: string | null;
  /** Message-ID of the message the report is about, without angle brackets. */
  originalMessageId: string | null;
  /** To addresses of the original message, when it is quoted. */
  originalTo: string[];
  recipients: ReportRecipient[];
  feedback: FeedbackInfo | null;
  /** What the prose says about the whole report, for recipients without a code. */
  hint: 'permanent' | 'temporary' | null;
}

const STATUS_PARTS = new Set(['message/delivery-status', 'message/global-delivery-status']);
const FEEDBACK_PARTS = new Set(['message/feedback-report']);
const ORIGINAL_PARTS = new Set(['message/rfc822', 'text/rfc822-headers', 'message/rfc822-headers', 'message/global', 'message/global-headers', 'message/partial']);

function partText(content: Email['attachments'][number]['content']): string {
  if (typeof content === 'string') return content;
  return Buffer.from(content instanceof ArrayBuffer ? new Uint8Array(content) : content).toString('utf8');
}

function header(email: Email, name: string): string | null {
  return email.headers.find((h) => h.key === name)?.value ?? null;
}

function clean(value: string | undefined | null): string | null {
  if (!value) return null;
  const v = value.replace(/\s+/g, ' ').trim();
  return v === '' ? null : v;
}

/** "smtp; 550 5.1.1 …" → "550 5.1.1 …". */
function diagnosticText(value: string | undefined): string | null {
  return clean(value?.replace(/^\s*(smtp|x-[\w-]+|mail|x-unix|x-postfix)\s*;/i, ''));
}

function recipientFromBlock(b: FieldBlock): ReportRecipient | null {
  const final = addressIn(b.get('final-recipient')) ?? addressIn(b.get('x-actual-recipient'));
  const original = addressIn(b.get('original-recipient'));
  const address = final ?? original;
  if (!address) return null;
  const statusField = b.get('status');
  return {
    address,
    originalRecipient: original,
    action: clean(b.get('action')?.toLowerCase().split(/[\s(]/)[0]),
    status: statusField ? (codesIn(statusField).enhanced ?? clean(statusField)) : null,
    diagnostic: diagnosticText(b.get('diagnostic-code')),
    remoteMta: clean(b.get('remote-mta')?.replace(/^\s*dns\s*;/i, '')),
  };
}

const DSN_FIELD = /^(final-recipient|original-recipient|action|status|diagnostic-code|remote-mta|x-actual-recipient)\s*:/i;

/**
 * DSN per-recipient fields. In a message/delivery-status part they come in blank-line separated
 * blocks; some MTAs quote them in the body instead, among prose: there, only the DSN field lines
 * are read, and a Final-Recipient starts a new recipient.
 */
function dsnRecipients(text: string, strict: boolean): ReportRecipient[] {
  const blocks = strict ? readFieldBlocks(text) : readFieldBlocks(loosenDsnLines(text));
  const out: ReportRecipient[] = [];
  for (const b of blocks) {
    const r = recipientFromBlock(b);
    if (r) out.push(r);
  }
  return out;
}

/** Keeps only DSN field lines, with a blank line before each new recipient. */
function loosenDsnLines(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let seenFinal = false;
  let keeping = false;
  for (const line of lines) {
    if (DSN_FIELD.test(line)) {
      const isStart = /^(final-recipient|original-recipient)/i.test(line);
      if (isStart && /^final/i.test(line) && seenFinal) {
        out.push('');
        seenFinal = false;
      }
      if (/^final/i.test(line)) seenFinal = true;
      out.push(line);
      keeping = true;
    } else if (keeping && /^[ \t]+\S/.test(line)) out.push(line);
    else keeping = false;
  }
  return out.join('\n');
}

function feedbackFrom(b: FieldBlock, fallbackType: string): FeedbackInfo {
  return {
    feedbackType: clean(b.get('feedback-type'))?.toLowerCase() ?? fallbackType,
    userAgent: clean(b.get('user-agent')),
    arrivalDate: clean(b.get('arrival-date') ?? b.get('received-date')),
    sourceIp: clean(b.get('source-ip')),
  };
}

const BOUNCE_FROM = /mailer-daemon|post_?master|mail ?delivery|mdaemon|mailer|bounce|daemon|mail administrator|mail system/i;
const BOUNCE_SUBJECT =
  /undeliver|undelivered|delivery (status|failure|failed|notification|report|problem|incomplete)|returned mail|returned to sender|failure notice|mail delivery|could not be delivered|not delivered|non[- ]?delivery|nondeliverable|delivery has failed|rejected|bounce|warning: could not send|mail system error|failed mail|mail failure|delayed mail|message not sent|error sending|permanent error|delivery to the following|can't deliver|cannot deliver|unable to deliver|notice of failure|mail could not/i;
const AUTO_REPLY_SUBJECT =
  /^\s*(auto(matic)?[ _-]?(reply|response|answer|antwort)|out of (the )?office|vacation|away (from|until)|i am away|i'm away|on leave|abwesenheit|absence|autosvar|automatisk|r[ée]ponse automatique|risposta automatica|respuesta autom[aá]tica|自動)/i;

function looksLikeBounce(email: Email): boolean {
  if (header(email, 'x-failed-recipients')) return true;
  const from = header(email, 'from') ?? '';
  const subject = email.subject ?? '';
  return BOUNCE_FROM.test(from) || BOUNCE_SUBJECT.test(subject);
}

function looksLikeAutoReply(email: Email): boolean {
  const auto = (header(email, 'auto-submitted') ?? '').toLowerCase();
  if (auto.startsWith('auto-replied')) return true;
  if (header(email, 'x-autoreply') || header(email, 'x-autorespond') || header(email, 'x-autoresponder')) return true;
  if (/auto[_-]?reply/i.test(header(email, 'precedence') ?? '') || /^(auto-?reply|oof)/i.test(header(email, 'x-auto-response-suppress') ?? '')) {
    return true;
  }
  return AUTO_REPLY_SUBJECT.test(email.subject ?? '');
}

interface SesRecipient {
  emailAddress?: string;
  action?: string;
  status?: string;
  diagnosticCode?: string;
}
interface SesNotification {
  notificationType?: string;
  mail?: { headers?: Array<{ name: string; value: string }>; commonHeaders?: { messageId?: string } };
  bounce?: { bounceType?: string; bounceSubType?: string; reportingMTA?: string; bouncedRecipients?: SesRecipient[] };
  complaint?: { complaintFeedbackType?: string; complainedRecipients?: SesRecipient[] };
}

/** Amazon SES notifications (bounce or complaint) forwarded as mail: one JSON document in the body. */
function sesNotification(text: string): { kind: 'dsn' | 'complaint'; recipients: ReportRecipient[]; originalMessageId: string | null; feedbackType: string | null } | null {
  const start = text.indexOf('{"notificationType"');
  if (start < 0) return null;
  const end = text.lastIndexOf('}');
  let doc: SesNotification;
  try {
    // Line wraps inside the JSON ("!\n Content-…" in forwarded copies) are removed first.
    doc = JSON.parse(text.slice(start, end + 1).replace(/!?\r?\n ?/g, '')) as SesNotification;
  } catch {
    return null;
  }
  const mail = doc.mail ?? {};
  const headers = Array.isArray(mail.headers) ? mail.headers : [];
  const originalMessageId = messageIdIn(headers.find((h) => /^message-id$/i.test(h.name))?.value ?? mail.commonHeaders?.messageId ?? null);
  const bounce = doc.bounce;
  if (doc.notificationType === 'Bounce' && bounce) {
    const transient = bounce.bounceType === 'Transient';
    const recipients = (bounce.bouncedRecipients ?? []).flatMap((r): ReportRecipient[] => {
      const address = addressIn(r.emailAddress);
      if (!address) return [];
      return [
        {
          address,
          originalRecipient: null,
          action: clean(r.action) ?? (transient ? 'delayed' : 'failed'),
          status: clean(r.status),
          diagnostic: diagnosticText(r.diagnosticCode) ?? clean(`${bounce.bounceType ?? ''} ${bounce.bounceSubType ?? ''}`),
          remoteMta: clean(bounce.reportingMTA?.replace(/^dns;\s*/, '')),
        },
      ];
    });
    return { kind: 'dsn', recipients, originalMessageId, feedbackType: null };
  }
  if (doc.notificationType === 'Complaint' && doc.complaint) {
    const recipients = (doc.complaint.complainedRecipients ?? []).flatMap((r): ReportRecipient[] => {
      const address = addressIn(r.emailAddress);
      return address ? [{ address, originalRecipient: null, action: null, status: null, diagnostic: null, remoteMta: null }] : [];
    });
    return { kind: 'complaint', recipients, originalMessageId, feedbackType: clean(doc.complaint.complaintFeedbackType) ?? 'abuse' };
  }
  return null;
}

const HERALD_ID = /herald\.\d+\.\d+(?:\.[0-9a-f]{6,32})?@[A-Za-z0-9.-]+[A-Za-z0-9]/;

/** Parses a raw message; never throws (a message postal-mime cannot read is scanned as plain text). */
export async function parseReport(raw: string | Uint8Array): Promise<ParsedReport> {
  let email: Email;
  try {
    email = await new PostalMime({ attachmentEncoding: 'utf8', forceRfc822Attachments: true }).parse(raw);
  } catch {
    const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
    email = { headers: [], headerLines: [], attachments: [], text };
  }
  return readEmail(email, raw);
}

/** The raw body after the header section: the text to scan when the MIME structure is too broken to decode. */
function rawBody(raw: string | Uint8Array): string {
  const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  return end >= 0 ? text.slice(end).replace(/^\s+/, '') : '';
}

function readEmail(email: Email, raw: string | Uint8Array): ParsedReport {
  const statusTexts: string[] = [];
  const feedbackTexts: string[] = [];
  const originals: string[] = [];
  for (const a of email.attachments) {
    const type = a.mimeType.toLowerCase();
    if (STATUS_PARTS.has(type)) statusTexts.push(partText(a.content));
    else if (FEEDBACK_PARTS.has(type)) feedbackTexts.push(partText(a.content));
    else if (ORIGINAL_PARTS.has(type)) originals.push(partText(a.content));
  }
  // A multipart whose boundary is broken decodes to nothing at all: read the raw body instead.
  const decoded = email.text ?? (email.html ? htmlToText(email.html) : '');
  const body = decoded.trim() === '' && email.attachments.length === 0 ? rawBody(raw) : decoded;
  const fromAddress = addressIn(header(email, 'from'));
  const topType = (header(email, 'content-type') ?? '').toLowerCase();

  // The original message: its own part when there is one, else the first quoted header block.
  const originalHeaders = originals.length > 0 ? readHeaderSection(originals[0]) : new Map<string, string>();
  const allText = [body, ...statusTexts, ...feedbackTexts, ...originals].join('\n');
  const originalMessageId =
    HERALD_ID.exec(allText)?.[0] ??
    messageIdIn(originalHeaders.get('message-id')) ??
    messageIdIn(/^[ \t>]*Message-I[Dd][ \t]*:[ \t]*(\S.*)$/m.exec(body)?.[1]) ??
    messageIdIn(header(email, 'in-reply-to'));
  const originalTo = addressesIn(originalHeaders.get('to') ?? /^[ \t>]*To:[ \t]*(\S.*)$/m.exec(body.slice(Math.max(0, body.search(/^[ \t>]*Message-I[Dd]:/m))))?.[1] ?? '').map((a) => a.address);

  const base = {
    subject: clean(email.subject),
    from: fromAddress,
    reportMessageId: messageIdIn(email.messageId),
    originalMessageId,
    originalTo: [...new Set(originalTo)],
    feedback: null,
    hint: null,
  };

  // 1. Complaints: an ARF report, a provider's JSON, or Hotmail's "complaint about message" form.
  const ses = sesNotification(body);
  if (feedbackTexts.length > 0 || /report-type="?feedback-report/.test(topType) || ses?.kind === 'complaint' || isHotmailComplaint(email, originals)) {
    const fields = new Map<string, string>();
    for (const block of readFieldBlocks(feedbackTexts.join('\n\n'))) for (const [k, v] of block) if (!fields.has(k)) fields.set(k, v);
    const complainant =
      addressIn(fields.get('original-rcpt-to')) ??
      addressIn(fields.get('removal-recipient')) ??
      addressIn(originalHeaders.get('x-hmxmroriginalrecipient')) ??
      ses?.recipients[0]?.address ??
      originalTo[0] ??
      null;
    return {
      ...base,
      kind: 'complaint',
      originalMessageId: ses?.originalMessageId ?? base.originalMessageId,
      recipients: complainant ? [{ address: complainant, originalRecipient: null, action: null, status: null, diagnostic: null, remoteMta: null }] : [],
      feedback: feedbackFrom(fields, ses?.feedbackType ?? 'abuse'),
    };
  }

  // 2. Delivery status notifications, structured or quoted in the body, or SES's JSON.
  if (ses?.kind === 'dsn' && ses.recipients.length > 0) {
    return { ...base, kind: 'dsn', originalMessageId: ses.originalMessageId ?? base.originalMessageId, recipients: ses.recipients };
  }
  let recipients = statusTexts.flatMap((t) => dsnRecipients(t, true));
  if (recipients.length === 0 && /^\s*final-recipient\s*:/im.test(body)) recipients = dsnRecipients(body, false);
  const scanned = scanTextBounce(body, {
    failedRecipients: header(email, 'x-failed-recipients'),
    notRecipients: [fromAddress, ...addressesIn(header(email, 'to') ?? '').map((a) => a.address), addressIn(originalHeaders.get('from')), addressIn(originalHeaders.get('return-path'))],
    originalTo: base.originalTo,
  });
  if (recipients.length > 0) {
    // The prose often carries the receiving server's words the fields leave out.
    // The prose is believed only where it agrees with the fields (same class of status), since
    // its per-address split can run one recipient's words into the next one's.
    for (const r of recipients) {
      const said = scanned.recipients.find((s) => s.address === r.address)?.diagnostic;
      if (r.diagnostic || !said) continue;
      const codes = codesIn(said);
      const saidClass = codes.enhanced?.[0] ?? (codes.code !== null ? String(codes.code)[0] : null);
      if (recipients.length === 1 || !r.status || saidClass === r.status[0]) r.diagnostic = said;
    }
    return { ...base, kind: 'dsn', recipients, hint: scanned.hint };
  }
  if (statusTexts.length > 0 || /report-type="?delivery-status/.test(topType) || looksLikeBounce(email)) {
    return { ...base, kind: statusTexts.length > 0 ? 'dsn' : 'nonstandard_bounce', recipients: scanned.recipients, hint: scanned.hint };
  }

  // 3. Auto-replies: the replier is the recipient of our message.
  if (looksLikeAutoReply(email)) {
    return {
      ...base,
      kind: 'auto_reply',
      recipients: fromAddress ? [{ address: fromAddress, originalRecipient: null, action: null, status: null, diagnostic: clean(email.subject), remoteMta: null }] : [],
    };
  }

  // 4. Prose that names an address with an SMTP failure code, or says plainly that delivery
  // failed, is a bounce, whoever sent it.
  const withCodes = scanned.recipients.filter((r) => r.diagnostic && codesIn(r.diagnostic).code !== null);
  if (withCodes.length > 0) return { ...base, kind: 'nonstandard_bounce', recipients: withCodes, hint: scanned.hint };
  if (scanned.recipients.length > 0 && scanned.hint !== null) return { ...base, kind: 'nonstandard_bounce', recipients: scanned.recipients, hint: scanned.hint };
  return { ...base, kind: 'not_a_report', recipients: [] };
}

function isHotmailComplaint(email: Email, originals: string[]): boolean {
  if (/complaint about message/i.test(email.subject ?? '')) return true;
  return originals.some((o) => /^X-HmXmrOriginalRecipient:/im.test(o));
}
