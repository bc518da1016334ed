// DKIM verification for tests (RFC 6376, relaxed/relaxed, rsa-sha256), written from the RFC and
// independent of both signers (nodemailer's and src/transports/email/dkim-signer.ts).
import { createHash, createPublicKey, verify } from 'node:crypto';

function splitMessage(raw: string): { headerLines: string[]; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, end);
  const body = raw.slice(end + 4);
  const headerLines: string[] = [];
  for (const line of head.split('\r\n')) {
    if (/^[ \t]/.test(line) && headerLines.length > 0) headerLines[headerLines.length - 1] += `\r\n${line}`;
    else headerLines.push(line);
  }
  return { headerLines, body };
}

function canonicalHeader(field: string): string {
  const colon = field.indexOf(':');
  const name = field.slice(0, colon).trim().toLowerCase();
  const value = field
    .slice(colon + 1)
    .replace(/\r\n(?=[ \t])/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}`;
}

function canonicalBody(body: string): string {
  const lines = body.split('\r\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`;
}

export function verifyDkim(raw: string, dnsRecord: string): { ok: boolean; tags: Record<string, string> } {
  const { headerLines, body } = splitMessage(raw);
  const sigField = headerLines.find((l) => /^dkim-signature:/i.test(l));
  if (!sigField) throw new Error('no DKIM-Signature header');
  const tags: Record<string, string> = {};
  for (const part of canonicalHeader(sigField).slice('dkim-signature:'.length).split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) tags[part.slice(0, eq).trim()] = part.slice(eq + 1).replace(/\s+/g, '');
  }
  if (tags.a !== 'rsa-sha256' || tags.c !== 'relaxed/relaxed') throw new Error(`unexpected a=${tags.a} c=${tags.c}`);
  const bodyHash = createHash('sha256').update(canonicalBody(body)).digest('base64');
  if (bodyHash !== tags.bh) return { ok: false, tags };
  const used = new Set<number>();
  let data = '';
  for (const name of tags.h.split(':')) {
    for (let i = headerLines.length - 1; i >= 0; i--) {
      if (used.has(i) || headerLines[i].slice(0, headerLines[i].indexOf(':')).trim().toLowerCase() !== name.toLowerCase()) continue;
      used.add(i);
      data += `${canonicalHeader(headerLines[i])}\r\n`;
      break;
    }
  }
  data += canonicalHeader(sigField).replace(/([;:\s]b=)[^;]*/, '$1');
  const p = /(?:^|;)\s*p=([^;]+)/.exec(dnsRecord)![1].trim();
  const publicKey = createPublicKey({ key: Buffer.from(p, 'base64'), format: 'der', type: 'spki' });
  return { ok: verify('sha256', Buffer.from(data, 'binary'), publicKey, Buffer.from(tags.b, 'base64')), tags };
}

