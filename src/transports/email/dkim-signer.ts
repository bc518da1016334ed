// DKIM signatures (RFC 6376, rsa-sha256, relaxed/relaxed) for the lean SMTP transport, computed
// over the header fields and body the MIME builder produced, before dot-stuffing.
import { createHash, createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { domainToASCII } from 'node:url';
import type { DkimKey } from './email-transport.ts';

// The headers DKIM signs: nodemailer's RFC 4871 §5.5 list plus List-Unsubscribe-Post, because
// RFC 8058 requires the one-click header pair to be covered by the signature. The same list as
// smtp-transport.ts's DKIM_SIGNED_HEADERS, kept here so the lean path never loads nodemailer.
export const DKIM_SIGNED_HEADER_NAMES = [
  'From', 'Sender', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'To', 'Cc', 'MIME-Version', 'Content-Type',
  'Content-Transfer-Encoding', 'Content-ID', 'Content-Description', 'Resent-Date', 'Resent-From', 'Resent-Sender',
  'Resent-To', 'Resent-Cc', 'Resent-Message-ID', 'In-Reply-To', 'References', 'List-Id', 'List-Help',
  'List-Unsubscribe', 'List-Unsubscribe-Post', 'List-Subscribe', 'List-Post', 'List-Owner', 'List-Archive',
];

// Parsing a PEM key costs more than signing with a parsed one; a sender uses a handful of keys.
const MAX_CACHED_KEYS = 100;

export interface DkimKeyCache {
  /** The parsed key; throws when the PEM cannot be used. */
  keyFor(dkim: DkimKey): KeyObject;
}

export function createDkimKeyCache(): DkimKeyCache {
  const keys = new Map<string, KeyObject>();
  return {
    keyFor(dkim) {
      let key = keys.get(dkim.privateKey);
      if (!key) {
        key = createPrivateKey(dkim.privateKey);
        if (keys.size >= MAX_CACHED_KEYS) keys.delete(keys.keys().next().value!);
        keys.set(dkim.privateKey, key);
      }
      return key;
    },
  };
}

/** RFC 6376 §3.4.2: lower-case name, unfolded value with runs of whitespace as one space, trimmed. */
export function relaxedHeader(field: string): string {
  const colon = field.indexOf(':');
  const name = field.slice(0, colon).trim().toLowerCase();
  const value = field
    .slice(colon + 1)
    .replace(/\r\n(?=[ \t])/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}`;
}

/** RFC 6376 §3.4.4: whitespace runs as one space, none at line ends, no trailing empty lines. */
export function relaxedBody(body: string): string {
  let canonical = body.replace(/[ \t]+/g, ' ').replace(/ \r\n/g, '\r\n');
  if (canonical.endsWith(' ')) canonical = canonical.slice(0, -1);
  let end = canonical.length;
  while (end >= 2 && canonical.charCodeAt(end - 2) === 13 && canonical.charCodeAt(end - 1) === 10) end -= 2;
  canonical = canonical.slice(0, end);
  return canonical === '' ? '' : `${canonical}\r\n`;
}

/**
 * The DKIM-Signature header field for a message, folded, without a final CRLF. Signs each listed
 * header present in the message (once per occurrence, bottom-up as RFC 6376 §5.4.2 reads them).
 */
export function dkimSignatureField(headerFields: string[], body: string, dkim: DkimKey, key: KeyObject): string {
  const byName = new Map<string, string[]>();
  for (const field of headerFields) {
    const name = field.slice(0, field.indexOf(':')).trim().toLowerCase();
    const list = byName.get(name);
    if (list) list.push(field);
    else byName.set(name, [field]);
  }
  const signedNames: string[] = [];
  let data = '';
  for (const name of DKIM_SIGNED_HEADER_NAMES) {
    const present = byName.get(name.toLowerCase());
    if (!present) continue;
    for (let i = present.length - 1; i >= 0; i--) {
      signedNames.push(name);
      data += `${relaxedHeader(present[i])}\r\n`;
    }
  }
  const bodyHash = createHash('sha256').update(relaxedBody(body), 'latin1').digest('base64');
  const domain = domainToASCII(dkim.domainName) || dkim.domainName;
  const unsigned =
    `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${domain}; q=dns/txt;\r\n` +
    ` s=${dkim.keySelector}; bh=${bodyHash};\r\n h=${signedNames.join(':')};\r\n b=`;
  data += relaxedHeader(unsigned);
  const signature = sign('sha256', Buffer.from(data, 'latin1'), key).toString('base64');
  // Fold the signature value; a verifier strips all whitespace from b= before decoding it.
  let folded = '';
  for (let i = 0; i < signature.length; i += 72) folded += (i === 0 ? '' : '\r\n ') + signature.slice(i, i + 72);
  return unsigned + folded;
}
