// What an SMTP reply means for one message: sent, try again later (deferred), or refused for good
// (failed) — and when refused, whose problem it is. The class decides what Herald does next:
// `recipient` suppresses the address, `sender_policy` and `message` never blame the recipient
// (the sender's reputation, authentication or content must change), `unknown` is recorded as is.
//
// Decisions (each one a real-world trap):
// - Any 4xx is deferred, whatever its text says (RFC 5321: transient). So are 421/450/451/452,
//   the greylisting and throttling replies, and 503 (bad sequence: a session problem, the same
//   message goes through on a new connection — nodemailer marks it non-permanent too).
// - A 5xx whose text plainly says the refusal is temporary ("try again later", "temporarily",
//   "rate limited", "too many messages", "sending limit exceeded") is deferred, not failed. Gmail
//   and others send 550 5.7.1 / 550 5.4.5 with such texts for volume limits; failing them would
//   end a good address's delivery for a sender-side pacing problem. The retry window (see
//   retry-schedule.ts) still ends it if the server never relents. The exception: an enhanced code
//   that names the address itself (X.1.x, X.2.1) is believed over the prose.
// - Mailbox full (X.2.2, "over quota") is deferred, not a recipient failure: RFC 3463 allows X.2.2
//   for "persistent transient" conditions, mailboxes get emptied, and suppressing a real, active
//   address for a full inbox is the classic ESP mistake. Retries end it if it stays full.
// - The RFC 3463 enhanced code is read first (it is precise and machine-meant), the diagnostic
//   text second, the basic code last. X.7.x (security/policy) is always `sender_policy`, even
//   when the text mentions the recipient: in doubt, do not blame (and suppress) the recipient.
// - No reply at all (connection refused, timeout, dropped) is deferred: nothing was decided.

export type SmtpOutcome = 'sent' | 'deferred' | 'failed';
export type SmtpFailureClass = 'recipient' | 'sender_policy' | 'message' | 'unknown';

export interface SmtpReplyClassification {
  outcome: SmtpOutcome;
  failureClass?: SmtpFailureClass;
  /** One sentence for a person: what the reply means and why it got this class. */
  reason: string;
}

export interface ParsedSmtpResponse {
  code: number | null;
  /** RFC 3463 enhanced status code, e.g. "5.1.1", or null when the reply has none. */
  enhanced: string | null;
  /** The diagnostic text without the codes; continuation lines joined by a space. */
  text: string;
}

const ENHANCED_AT_START = /^([245]\.\d{1,3}\.\d{1,3})(?=\s|$|[,;:.])/;
// qmail and some appliances put the enhanced code at the end: "… by that name. (#5.1.1)"
const ENHANCED_QMAIL = /\(#([245]\.\d{1,3}\.\d{1,3})\)/;
const REPLY_LINE = /^(\d{3})([ -]|$)(.*)$/;

/**
 * Splits a server reply as nodemailer reports it (`response` of an error or of an accepted
 * message) into its basic code, enhanced code and text. Multi-line replies ("550-5.1.1 …\n
 * 550 5.1.1 …") are joined, with the repeated codes removed. Text without a reply code (a
 * connection error message) gives code null.
 */
export function parseSmtpResponse(response: string): ParsedSmtpResponse {
  const lines = response.split(/\r?\n/).filter((l) => l.trim() !== '');
  let code: number | null = null;
  let enhanced: string | null = null;
  const parts: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    const m = REPLY_LINE.exec(line);
    if (!m) {
      parts.push(line);
      continue;
    }
    code ??= Number(m[1]);
    let rest = m[3].trim();
    const e = ENHANCED_AT_START.exec(rest);
    if (e) {
      enhanced ??= e[1];
      rest = rest.slice(e[1].length).trim();
    }
    if (rest) parts.push(rest);
  }
  let text = parts.join(' ').replace(/\s+/g, ' ').trim();
  if (!enhanced) {
    const q = ENHANCED_QMAIL.exec(text);
    if (q) {
      enhanced = q[1];
      text = text.replace(q[0], '').trim();
    }
  }
  return { code, enhanced, text };
}

// --- the diagnostic-text vocabulary, from real replies (see test/smtp-reply.test.ts) ---

const TEMPORARY =
  /try (again )?later|later time|temporar(il)?y|rate[- ]?limit|throttl|too many (messages|mails|emails|connections|recipients|concurrent)|(sending|daily|hourly) (user )?(sending )?(limit|quota) (exceeded|reached)|receiving mail (at a rate|too quickly)|greylist|graylist/i;

/** Our own envelope sender was refused (sender verification, unknown sender domain). */
const SENDER_ADDRESS_REFUSED = /sender verify failed|sender address rejected|sender (domain|address) (not found|unknown|does not exist|invalid)|bad sender/i;

/** Says plainly that the address does not exist or cannot receive mail. */
const NO_SUCH_RECIPIENT =
  /user unknown|unknown user|unknown recipient|recipient unknown|no such (user|mailbox|recipient|address|account)|(user|mailbox|account|address|recipient) (does not|doesn'?t) exist|does not exist|doesn'?t have an? .*account|not a valid (mailbox|recipient|user)|invalid (recipient|mailbox)|user not found|mailbox not found|recipient not found|address not found|no mailbox|unrouteable address|unroutable address|addressee unknown|bad destination mailbox|undeliverable address|(mailbox|account) (is )?(disabled|inactive|deactivated|suspended|closed)|account has been disabled|inactive (email )?address|no longer (available|active|valid)|user (is )?inactive|recipient address rejected: (user unknown|undeliverable|access denied)/i;

const MAILBOX_FULL = /mailbox (is )?full|over ?quota|quota exceeded|exceeded (its )?(storage|quota)|insufficient (storage|system storage)|out of storage|mailbox size limit/i;

/** Spam filtering, blocklists and sender authentication: the sender's reputation or setup. */
const SPAM_OR_AUTHENTICATION =
  /spam|junk|unsolicited|black ?list|block ?list|blocked|listed (at|on|in|by)|spamhaus|barracuda|spamcop|sorbs|\brbl\b|\bdnsbl\b|reputation|dmarc|\bspf\b|dkim|unauthenticated|spoof/i;

const MESSAGE_PROBLEM =
  /message (is )?too (large|big)|too (large|big)|size (exceeds|limit)|exceeds (the )?(maximum|message|size)|message size|line too long|virus|malware|infected|attachment|content (rejected|not accepted)|message content|invalid mime|malformed|hop count|mail loop/i;

/** Generic policy wording: the receiver's rules refused us, nothing says the address is bad. */
const POLICY =
  /policy|abuse|complaint|not authori[sz]ed|authentication (required|failed)|relay|rejected (for|due to)|denied|prohibit|refused|not allowed|reverse dns|ptr record|\bhelo\b/i;

/** Weaker recipient signs: generic wording that mostly, but not always, means a bad address. */
const MAILBOX_UNAVAILABLE = /mailbox unavailable|recipient (address )?rejected|address rejected|unknown or illegal alias|mailbox name not allowed|invalid address/i;

function sent(reason: string): SmtpReplyClassification {
  return { outcome: 'sent', reason };
}
function deferred(reason: string): SmtpReplyClassification {
  return { outcome: 'deferred', reason };
}
function failed(failureClass: SmtpFailureClass, reason: string): SmtpReplyClassification {
  return { outcome: 'failed', failureClass, reason };
}

/** 5xx classification by the enhanced code's subject (second number) and detail (third). */
function byEnhanced(enhanced: string, text: string): SmtpReplyClassification | null {
  const [, subjectStr, detailStr] = enhanced.split('.');
  const subject = Number(subjectStr);
  const detail = Number(detailStr);
  switch (subject) {
    case 1: // addressing status
      if (detail === 7 || detail === 8) return failed('sender_policy', `${enhanced}: the server refused the sender address, not the recipient`);
      if (detail === 0 && /sender|from/i.test(text) && !/recipient|rcpt/i.test(text)) {
        return failed('sender_policy', `${enhanced}: the server refused the sender address`);
      }
      return failed('recipient', `${enhanced}: the recipient's address is bad (${ADDRESS_DETAIL[detail] ?? 'addressing problem'})`);
    case 2: // mailbox status
      if (detail === 2) return deferred(`${enhanced}: the mailbox is full; it may be emptied, so this is retried, not treated as a bad address`);
      if (detail === 3) return failed('message', `${enhanced}: the message is longer than the mailbox accepts`);
      if (detail === 1) return failed('recipient', `${enhanced}: the mailbox is disabled and does not accept messages`);
      if (MAILBOX_FULL.test(text)) return deferred(`${enhanced}: the mailbox is full (per the server's text); retried`);
      return failed('recipient', `${enhanced}: the recipient's mailbox cannot take messages`);
    case 3: // mail system status
      if (detail === 4) return failed('message', `${enhanced}: the message is too big for the receiving system`);
      return null; // system-wide trouble at the receiver: let the text decide, else unknown
    case 4: // network and routing
      if (detail === 4) return failed('recipient', `${enhanced}: the recipient's domain cannot be routed to (no mail server)`);
      return null; // e.g. Outlook's 5.4.1 "Recipient address rejected: Access denied": the text tells
    case 5: // protocol
      return null;
    case 6: // message content or media
      return failed('message', `${enhanced}: the receiving server refused the message content or format`);
    case 7: // security or policy
      return failed('sender_policy', `${enhanced}: refused by the receiver's security or policy rules (sender reputation, authentication or content), not the recipient's fault`);
    default:
      return null;
  }
}

const ADDRESS_DETAIL: Record<number, string> = {
  0: 'address rejected',
  1: 'the mailbox does not exist',
  2: 'the domain does not exist or accepts no mail',
  3: 'the address syntax is invalid',
  4: 'the address is ambiguous',
  6: 'the mailbox has moved',
  10: 'the domain accepts no mail (null MX)',
};

/** 5xx classification by the diagnostic text, when the enhanced code did not decide. */
function byText(text: string, code: number): SmtpReplyClassification | null {
  if (SENDER_ADDRESS_REFUSED.test(text)) return failed('sender_policy', `${code}: the server refused our sender address, not the recipient`);
  if (NO_SUCH_RECIPIENT.test(text)) return failed('recipient', `${code}: the server says the recipient address does not exist or cannot receive mail`);
  if (MAILBOX_FULL.test(text)) return deferred(`${code}: the mailbox is full; it may be emptied, so this is retried`);
  if (SPAM_OR_AUTHENTICATION.test(text)) {
    return failed('sender_policy', `${code}: refused by spam filtering, a blocklist or sender authentication, not the recipient's fault`);
  }
  if (MESSAGE_PROBLEM.test(text)) return failed('message', `${code}: the server refused the message itself (size or content)`);
  if (POLICY.test(text)) return failed('sender_policy', `${code}: refused by the receiver's policy, not the recipient's fault`);
  if (MAILBOX_UNAVAILABLE.test(text)) return failed('recipient', `${code}: the server refused the recipient address`);
  return null;
}

/** 5xx classification by the basic code alone (RFC 5321 §4.2.3 meanings). */
function byBasicCode(code: number): SmtpReplyClassification {
  switch (code) {
    case 551:
      return failed('recipient', '551: the user is not local to the server (the address is wrong)');
    case 553:
      return failed('recipient', '553: the mailbox name is not allowed (bad address syntax)');
    case 552:
      return failed('message', '552: exceeded storage allocation (in practice, the message is too big)');
    default:
      return failed('unknown', `${code}: refused without a recognisable cause`);
  }
}

/**
 * Classifies a server's reply to one message. `code` null means there was no SMTP reply
 * (connection refused, timeout, dropped connection). See the decisions at the top of this file.
 */
export function classifySmtpReply(code: number | null, enhanced: string | null, text: string): SmtpReplyClassification {
  const replyClass = code !== null ? Math.floor(code / 100) : enhanced ? Number(enhanced[0]) : null;
  if (replyClass === null) return deferred(`no reply from the server (${text || 'connection failed'}); retried`);
  const basic = code ?? replyClass * 100;
  if (replyClass === 2) return sent(`${basic}: accepted by the receiving server`);
  if (replyClass === 4) {
    if (basic === 421) return deferred('421: the server is not taking mail from us right now (throttling or shutting down); retried');
    if (basic === 452 || enhanced === '4.2.2') return deferred(`${basic}: the server or mailbox is out of space or over a limit for now; retried`);
    if (basic === 450 || basic === 451) return deferred(`${basic}: a temporary refusal (greylisting, throttling or a local error); retried`);
    return deferred(`${basic}: a temporary failure; retried`);
  }
  if (replyClass !== 5) return deferred(`${basic}: an unexpected reply at this point of the dialogue; retried`);
  if (basic === 503) return deferred('503: bad sequence of commands, a session problem rather than a refusal of the message; retried');

  const addressSpecific = enhanced !== null && /^5\.(1\.\d+|2\.1)$/.test(enhanced);
  if (!addressSpecific && TEMPORARY.test(text)) {
    return deferred(`${basic}${enhanced ? ` ${enhanced}` : ''}: the server says the refusal is temporary (rate limit or "try again later"); retried`);
  }
  if (enhanced) {
    const decided = byEnhanced(enhanced, text);
    if (decided) return decided;
  }
  return byText(text, basic) ?? byBasicCode(basic);
}
