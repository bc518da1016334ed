// Builds one outgoing e-mail as RFC 5322 / MIME text in a single pass, for the lean SMTP
// transport: header fields (kept apart so DKIM can sign them) and a body, both 7-bit clean with
// CRLF line endings and no line longer than 998 octets.
//
// Decisions:
// - Every body is 7-bit: a part is sent as 7bit when it is printable ASCII with short-enough lines
//   (the common newsletter: no encoding work at all), else quoted-printable, or base64 when more
//   than a sixth of its bytes are non-ASCII (Cyrillic, CJK: QP would triple them). RFC 6376 §5.3
//   asks signers to convert to 7-bit before signing, because a relay that downgrades 8-bit mail
//   for a next hop without 8BITMIME re-encodes the body and breaks the DKIM body hash. So the
//   transport never needs BODY=8BITMIME.
// - Non-ASCII in Subject, display names and extra unstructured headers is RFC 2047 B-encoded in
//   words of at most 75 characters, folded onto continuation lines.
// - Internationalized mailboxes (non-ASCII before the @) would need SMTPUTF8 and are refused here,
//   as the contact importer refuses them; a non-ASCII domain is sent as its punycode A-label.
// - CR and LF inside a header value become spaces: contact data must never be able to add a
//   header or end the header block.
import { domainToASCII } from 'node:url';
import type { FailureClass, OutgoingEmail } from './email-transport.ts';

export interface Mailbox {
  name: string;
  address: string;
}

export interface BuiltMessage {
  /** Header fields in order, each "Name: value", folded with CRLF + space, without a final CRLF. */
  headerFields: string[];
  /** Everything after the blank line, CRLF line endings, ending with CRLF. */
  body: string;
  envelopeFrom: string;
  envelopeTo: string;
}

export type BuildResult = { ok: true; message: BuiltMessage } | { ok: false; problem: string; failureClass: FailureClass };

export interface BuildContext {
  date: Date;
  /** Unique per message; must not contain "=_" prefixes other than its own (see boundaryFor). */
  boundary: string;
}

const MAX_LINE = 998;
const FOLD_AT = 78;
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const UNSTRUCTURED_ASCII = /^[\t\x20-\x7e]*$/;
// 7bit content: printable ASCII, tabs and line breaks only (no NUL, no other controls).
const NOT_7BIT = /[^\t\r\n\x20-\x7e]/;
const ATEXT_PHRASE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]*$/;
const NEWLINES = /\r\n|\r|\n/g;
// Headers the builder writes itself; an extra header of the same name replaces the generated one,
// except the structural ones, which would corrupt the message.
const STRUCTURAL = new Set(['mime-version', 'content-type', 'content-transfer-encoding']);
/** Marks every boundary; "=_" cannot occur in quoted-printable or base64 output. */
export const BOUNDARY_MARK = '=_herald';

/** "Name <addr>", "\"Name, Inc.\" <addr>" or a bare address. */
export function parseMailbox(raw: string): Mailbox {
  const s = raw.replace(/[\r\n]+/g, ' ').trim();
  const m = /^(.*?)\s*<([^<>]*)>$/.exec(s);
  if (!m) return { name: '', address: s };
  let name = m[1].trim();
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  return { name, address: m[2].trim() };
}

/** The address as it goes on the wire (envelope and header), or why it cannot. */
function wireAddress(address: string): { ok: true; value: string } | { ok: false; problem: string } {
  if (address === '') return { ok: true, value: '' };
  if (/[\s<>()\\,;"]/.test(address)) return { ok: false, problem: `the address "${address}" has characters an SMTP address cannot carry` };
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return { ok: false, problem: `"${address}" is not an e-mail address` };
  const local = address.slice(0, at);
  if (!PRINTABLE_ASCII.test(local)) {
    return { ok: false, problem: `the address "${address}" has non-ASCII characters before the @ (needs SMTPUTF8, not supported)` };
  }
  const domain = address.slice(at + 1);
  if (PRINTABLE_ASCII.test(domain)) return { ok: true, value: address };
  const ascii = domainToASCII(domain);
  if (!ascii) return { ok: false, problem: `the domain of "${address}" is not a valid domain name` };
  return { ok: true, value: `${local}@${ascii}` };
}

/** RFC 2047 B-encoded words of at most 75 characters, never splitting a character. */
function encodedWords(value: string): string[] {
  const words: string[] = [];
  // "=?UTF-8?B?" + base64 + "?=" is 12 characters; 45 bytes give 60 base64 characters.
  let chunk = '';
  let bytes = 0;
  for (const ch of value) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > 45) {
      words.push(`=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`);
      chunk = '';
      bytes = 0;
    }
    chunk += ch;
    bytes += n;
  }
  if (chunk !== '' || words.length === 0) words.push(`=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`);
  return words;
}

/**
 * "Name: value" folded at spaces so lines stay near 78 characters where the value allows.
 * Returns null when a line still exceeds 998 octets (a single word that long).
 */
function foldField(name: string, value: string): string | null {
  const field = `${name}: ${value}`;
  if (field.length <= FOLD_AT) return field;
  const words = field.split(' ');
  let out = words[0];
  let lineLength = out.length;
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    // Never fold before an empty word: a continuation line of only whitespace is not allowed.
    // …nor right after the field name: the value starts on the name's line.
    if (word !== '' && i > 1 && lineLength + 1 + word.length > FOLD_AT) {
      out += `\r\n ${word}`;
      lineLength = word.length + 1;
    } else {
      out += ` ${word}`;
      lineLength += word.length + 1;
    }
    if (lineLength > MAX_LINE) return null;
  }
  return words[0].length > MAX_LINE ? null : out;
}

/** An unstructured header value: as is when printable ASCII, else encoded words. */
function unstructured(value: string): string {
  const clean = value.replace(/[\r\n]+/g, ' ');
  return UNSTRUCTURED_ASCII.test(clean) ? clean : encodedWords(clean).join(' ');
}

function formatMailbox(mailbox: Mailbox, address: string): string {
  const name = mailbox.name.replace(/[\r\n]+/g, ' ').trim();
  if (name === '') return address;
  if (ATEXT_PHRASE.test(name)) return `${name} <${address}>`;
  if (PRINTABLE_ASCII.test(name)) return `"${name.replace(/(["\\])/g, '\\$1')}" <${address}>`;
  return `${encodedWords(name).join(' ')} <${address}>`;
}

/** RFC 5322 date-time in UTC: "Tue, 03 Mar 2026 10:00:00 +0000". */
export function formatDate(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

const HEX = '0123456789ABCDEF';

/** RFC 2045 quoted-printable of CRLF-normalized text, lines of at most 76 characters. */
export function encodeQuotedPrintable(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(bytes.length * 3 + Math.ceil(bytes.length / 24) * 3 + 3);
  let o = 0;
  let lineLength = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 13 && bytes[i + 1] === 10) {
      out[o++] = 13;
      out[o++] = 10;
      lineLength = 0;
      i++;
      continue;
    }
    const atLineEnd = i + 1 === n || bytes[i + 1] === 13;
    const encode = b === 61 || b > 126 || (b < 32 && b !== 9) || ((b === 32 || b === 9) && atLineEnd);
    const width = encode ? 3 : 1;
    if (lineLength + width > 75) {
      out[o++] = 61; // soft line break
      out[o++] = 13;
      out[o++] = 10;
      lineLength = 0;
    }
    if (encode) {
      out[o++] = 61;
      out[o++] = HEX.charCodeAt(b >> 4);
      out[o++] = HEX.charCodeAt(b & 15);
    } else {
      out[o++] = b;
    }
    lineLength += width;
  }
  return out.toString('latin1', 0, o);
}

function encodeBase64Lines(text: string): string {
  const b64 = Buffer.from(text, 'utf8').toString('base64');
  let out = '';
  for (let i = 0; i < b64.length; i += 76) out += `${b64.slice(i, i + 76)}\r\n`;
  return out;
}

interface EncodedPart {
  transferEncoding: '7bit' | 'quoted-printable' | 'base64';
  /** Ends with CRLF. */
  content: string;
}

/** A line over 998 octets (text is CRLF-normalized). A linear scan: a regex like /[^\n]{999}/ backtracks. */
function hasLongLine(text: string): boolean {
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    const lineEnd = end < 0 ? text.length : end > 0 && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (lineEnd - start > MAX_LINE) return true;
    if (end < 0) return false;
    start = end + 1;
  }
}

function encodePart(raw: string): EncodedPart {
  const text = raw.includes('\n') || raw.includes('\r') ? raw.replace(NEWLINES, '\r\n') : raw;
  const withEnd = text.endsWith('\r\n') ? text : `${text}\r\n`;
  if (!NOT_7BIT.test(text) && !hasLongLine(text) && !text.includes(BOUNDARY_MARK)) {
    return { transferEncoding: '7bit', content: withEnd };
  }
  let high = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) high++;
  // Each non-ASCII character is 2–4 bytes, each byte 3 characters in QP but 4/3 in base64.
  if (high * 6 > text.length) return { transferEncoding: 'base64', content: encodeBase64Lines(text) };
  const qp = encodeQuotedPrintable(text);
  return { transferEncoding: 'quoted-printable', content: qp.endsWith('\r\n') ? qp : `${qp}\r\n` };
}

function partHeaders(mediaType: string, part: EncodedPart): string {
  return `Content-Type: ${mediaType}; charset=utf-8\r\nContent-Transfer-Encoding: ${part.transferEncoding}\r\n`;
}

export function buildMimeMessage(message: OutgoingEmail, context: BuildContext): BuildResult {
  const from = parseMailbox(message.from);
  const to = parseMailbox(message.to);
  const fromAddress = wireAddress(from.address);
  if (!fromAddress.ok || fromAddress.value === '') {
    return { ok: false, problem: `not sent: From ${fromAddress.ok ? 'has no address' : fromAddress.problem}`, failureClass: 'sender_policy' };
  }
  const toAddress = wireAddress(to.address);
  if (!toAddress.ok || toAddress.value === '') {
    return { ok: false, problem: `not sent: To ${toAddress.ok ? 'has no address' : toAddress.problem}`, failureClass: 'recipient' };
  }
  let envelopeFrom = fromAddress.value;
  if (message.envelopeFrom !== undefined) {
    const envelope = wireAddress(message.envelopeFrom);
    if (!envelope.ok) return { ok: false, problem: `not sent: the envelope sender ${envelope.problem}`, failureClass: 'sender_policy' };
    envelopeFrom = envelope.value;
  }
  if (/[\s<>]/.test(message.messageId) || message.messageId === '') {
    return { ok: false, problem: `not sent: the Message-ID "${message.messageId}" is not a valid id`, failureClass: 'message' };
  }

  // Generated headers by lower-case name, in the order they are written.
  const fields = new Map<string, [string, string]>();
  fields.set('from', ['From', formatMailbox(from, fromAddress.value)]);
  fields.set('to', ['To', formatMailbox(to, toAddress.value)]);
  if (message.replyTo) {
    const replyTo = parseMailbox(message.replyTo);
    const replyToAddress = wireAddress(replyTo.address);
    if (!replyToAddress.ok) return { ok: false, problem: `not sent: Reply-To ${replyToAddress.problem}`, failureClass: 'message' };
    fields.set('reply-to', ['Reply-To', formatMailbox(replyTo, replyToAddress.value)]);
  }
  fields.set('subject', ['Subject', unstructured(message.subject)]);
  fields.set('date', ['Date', formatDate(context.date)]);
  fields.set('message-id', ['Message-ID', `<${message.messageId}>`]);
  if (message.headers) {
    for (const [name, value] of Object.entries(message.headers)) {
      if (!HEADER_NAME.test(name)) return { ok: false, problem: `not sent: "${name}" is not a valid header name`, failureClass: 'message' };
      const key = name.toLowerCase();
      if (STRUCTURAL.has(key)) continue;
      fields.set(key, [name, unstructured(String(value))]);
    }
  }

  const hasHtml = message.html !== '';
  const hasText = message.text !== '' || !hasHtml;
  let body: string;
  let contentType: string;
  let transferEncoding: string | null = null;
  if (hasHtml && hasText) {
    const b = context.boundary;
    contentType = `multipart/alternative; boundary="${b}"`;
    const text = encodePart(message.text);
    const html = encodePart(message.html);
    body =
      `--${b}\r\n${partHeaders('text/plain', text)}\r\n${text.content}` +
      `--${b}\r\n${partHeaders('text/html', html)}\r\n${html.content}` +
      `--${b}--\r\n`;
  } else {
    const part = encodePart(hasHtml ? message.html : message.text);
    contentType = `${hasHtml ? 'text/html' : 'text/plain'}; charset=utf-8`;
    transferEncoding = part.transferEncoding;
    body = part.content;
  }

  const headerFields: string[] = [];
  for (const [name, value] of fields.values()) {
    const folded = foldField(name, value);
    if (folded === null) return { ok: false, problem: `not sent: the ${name} header has a word longer than ${MAX_LINE} characters`, failureClass: 'message' };
    headerFields.push(folded);
  }
  headerFields.push('MIME-Version: 1.0');
  headerFields.push(`Content-Type: ${contentType}`);
  if (transferEncoding) headerFields.push(`Content-Transfer-Encoding: ${transferEncoding}`);
  return { ok: true, message: { headerFields, body, envelopeFrom, envelopeTo: toAddress.value } };
}

/**
 * The message as DATA content in one Buffer: header block, blank line, body, dot-stuffed
 * (RFC 5321 §4.5.2), with the terminating "." line. Everything is ASCII, so latin1 is exact.
 */
export function toDataBuffer(headerFields: string[], body: string): Buffer {
  // Header lines never start with a dot (names are letters, continuations start with a space).
  const stuffed = body.charCodeAt(0) === 46 ? `.${body}` : body;
  const text = `${headerFields.join('\r\n')}\r\n\r\n${stuffed.replace(/\r\n\./g, '\r\n..')}.\r\n`;
  return Buffer.from(text, 'latin1');
}
