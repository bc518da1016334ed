// Non-standard bounces: the prose of qmail, Exim, Exchange, Yahoo, Notes … notices. The report
// part (before the quoted original) is searched for recipient addresses, and each address gets
// the words that follow it up to the next one — where these MTAs put the receiving server's reply.
import type { ReportRecipient } from './parse-report.ts';
import { addressIn, addressesIn, codesIn } from './report-fields.ts';

export interface TextBounceScan {
  recipients: ReportRecipient[];
  hint: 'permanent' | 'temporary' | null;
}

export interface TextBounceContext {
  /** The X-Failed-Recipients header (Exim, Gmail): the recipients, when present. */
  failedRecipients: string | null;
  /** Addresses that are never the failed recipient: the report's From and To, the original sender. */
  notRecipients: Array<string | null>;
  /** To of the quoted original: the recipient when the prose names no address. */
  originalTo: string[];
}

/** Where the copy of the original message starts in the prose. */
const ORIGINAL_SEPARATOR =
  /^[\s>]*[-=_*#]*\s*(.*(original message|copy of (the|your) message|returned message|below this line|original mail|headers? of (the )?original|undelivered message|unsent message|message headers? follow|original text|returned mail|the message you sent|a copy of the original)|content-type: message\/rfc822)/i;
const HEADER_START = /^(Return-Path|Received|DKIM-Signature|X-Received|ARC-Seal|Message-I[dD]|Delivered-To|Authentication-Results|X-Google-Smtp-Source|MIME-Version)\s*:/;
const NOT_A_RECIPIENT_LOCAL = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon|bounces?(\+.*)?|no-?reply|abuse|root)$/i;

const TEMPORARY_HINT =
  /temporary (error|failure|problem)|will (continue|keep) (trying|to try|attempting)|will be retried|retry (until|for)|delivery (has been|is) delayed|message (is|has been) delayed|not yet been delivered|still (trying|undelivered)|warning: (message|could not)|delayed mail|deferred/i;
const PERMANENT_HINT =
  /permanent(ly)? (delivery )?(errors?|failures?|fatal)|failed permanently|permanently failed|fatal error|could not be delivered|couldn't be delivered|unable to deliver|undeliverable|delivery (has )?failed|did not reach|wasn't able to deliver|was not delivered|delivery to the following recipient(s)? failed|(user|recipient|mailbox|address) unknown|no such (user|mailbox)|could not be delivered to|mailbox is full|as their mailbox/i;

function reportPart(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (ORIGINAL_SEPARATOR.test(lines[i]) && i > 0) return lines.slice(0, i).join('\n');
    // A header block: two header lines in a row (a lone "Received:" could be prose).
    if (HEADER_START.test(lines[i]) && /^([\w-]+:\s|[ \t]+\S)/.test(lines[i + 1] ?? '') && i > 0) return lines.slice(0, i).join('\n');
  }
  return text;
}

function diagnosticFrom(segment: string, address: string): string | null {
  let s = segment.replace(/\s+/g, ' ').trim();
  // Start at the receiving server's reply when there is one; the text before is the MTA's preamble.
  const { code, enhanced } = codesIn(s);
  const at = code !== null ? s.search(new RegExp(`(?<![\\w.])${code}(?![\\d.])`)) : enhanced ? s.indexOf(enhanced) : -1;
  if (at > 0) s = s.slice(at);
  else s = s.replace(new RegExp(`^[<\\s]*${address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[>:\\s]*`, 'i'), '');
  s = s.trim();
  return s === '' ? null : s.slice(0, 500);
}

export function scanTextBounce(text: string, ctx: TextBounceContext): TextBounceScan {
  const report = reportPart(text);
  const hint = TEMPORARY_HINT.test(report) ? 'temporary' : PERMANENT_HINT.test(report) ? 'permanent' : null;
  const excluded = new Set(ctx.notRecipients.filter((a): a is string => a !== null));

  const failed = (ctx.failedRecipients ?? '')
    .split(',')
    .map((v) => addressIn(v))
    .filter((a): a is string => a !== null);
  const found = addressesIn(report).filter((a) => {
    if (excluded.has(a.address) || NOT_A_RECIPIENT_LOCAL.test(a.address.split('@')[0])) return false;
    // The sender's address as the MTA quotes it ("MAIL FROM:<…>", "from <…>") is not a recipient.
    const before = report.slice(Math.max(0, a.index - 16), a.index).toLowerCase();
    return !/(mail from:?|from:?|sender:?|envelope-from|return-path:?|reply-to:?)\s*<?$/.test(before);
  });
  // Recipients usually open a line ("<a@b>: host … said", "  a@b", "a@b [User unknown]"); an
  // address inside a sentence ("please contact <support@isp>") is mostly the MTA's own. When some
  // addresses open lines, only those are taken.
  const opensLine = found.filter((a) => /(^|\n)[ \t>*"'(<-]*$/.test(report.slice(Math.max(0, a.index - 12), a.index)));
  const candidates = opensLine.length > 0 ? opensLine : found;
  const order: string[] = [];
  for (const a of failed.length > 0 ? [...failed.map((address) => ({ address })), ...found] : candidates) {
    if (!order.includes(a.address) && (failed.length === 0 || failed.includes(a.address))) order.push(a.address);
  }
  if (order.length === 0 && ctx.originalTo.length === 1 && !excluded.has(ctx.originalTo[0])) order.push(ctx.originalTo[0]);

  // Each address's words: from its first mention to the next address's first mention.
  const firstAt = order.map((address) => ({ address, index: found.find((f) => f.address === address)?.index ?? -1 }));
  const mentioned = firstAt.filter((f) => f.index >= 0).sort((a, b) => a.index - b.index);
  const recipients = order.map((address): ReportRecipient => {
    const k = mentioned.findIndex((m) => m.address === address);
    let segment = k >= 0 ? report.slice(mentioned[k].index, k + 1 < mentioned.length ? mentioned[k + 1].index : undefined) : '';
    // One recipient, or no words after the address: the whole notice is about it.
    if (order.length === 1 && codesIn(segment).code === null && codesIn(segment).enhanced === null) segment = report;
    return { address, originalRecipient: null, action: null, status: null, diagnostic: diagnosticFrom(segment, address), remoteMta: null };
  });
  return { recipients, hint };
}
