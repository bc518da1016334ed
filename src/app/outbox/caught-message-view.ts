// How a caught message leaves the app: its envelope and summary (lists), and the parsed message
// (one message: headers, text, HTML, attachment names) with the raw source.
import PostalMime from 'postal-mime';
import type { CaughtMessageRow } from '../../store/schema.ts';

export interface CaughtMessageSummary {
  id: number;
  /** The ledger message this copy belongs to (null when its Message-ID matched none). */
  message_id: number | null;
  mail_from: string | null;
  rcpt_to: string[];
  subject: string | null;
  size: number;
  received_at: string;
}

export interface CaughtMessageDetail extends CaughtMessageSummary {
  headers: Array<{ name: string; value: string }>;
  text: string | null;
  html: string | null;
  attachments: Array<{ filename: string | null; mime_type: string; size: number }>;
  raw: string;
}

export type CaughtSummaryRow = Pick<CaughtMessageRow, 'id' | 'message_id' | 'mail_from' | 'rcpt_to' | 'subject' | 'size' | 'received_at'>;

export function toCaughtMessageSummary(row: CaughtSummaryRow): CaughtMessageSummary {
  return {
    id: row.id,
    message_id: row.message_id,
    mail_from: row.mail_from,
    rcpt_to: JSON.parse(row.rcpt_to) as string[],
    subject: row.subject,
    size: row.size,
    received_at: row.received_at,
  };
}

export async function toCaughtMessageDetail(row: CaughtMessageRow): Promise<CaughtMessageDetail> {
  const email = await PostalMime.parse(row.raw, { attachmentEncoding: 'arraybuffer' });
  return {
    ...toCaughtMessageSummary(row),
    headers: email.headers.map((h) => ({ name: h.originalKey, value: h.value })),
    text: email.text ?? null,
    html: email.html ?? null,
    attachments: email.attachments.map((a) => ({
      filename: a.filename,
      mime_type: a.mimeType,
      size: typeof a.content === 'string' ? a.content.length : a.content.byteLength,
    })),
    raw: row.raw,
  };
}
