// A real SMTP server on 127.0.0.1 for tests: it accepts (or, per recipient, refuses) what a
// transport sends and keeps what arrived. No TLS, no AUTH, so a pooled client gets going at once.
//
//   const sink = await startSmtpSink({ replyFor: (rcpt) => rcpt.startsWith('gone@') ? { code: 550, message: '5.1.1 User unknown' } : null });
//   … send to sink.url …
//   await sink.waitForCount(10); expect(sink.messages[0].subject).toBe('Hi');
import type { Readable } from 'node:stream';
import PostalMime from 'postal-mime';
import { readAll } from '../../src/inbound/smtp-server-helpers.ts';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface SinkReply {
  code: number;
  /** The reply text, with the enhanced code if wanted: "5.1.1 <x@y>: Recipient address rejected". */
  message: string;
}

export interface SinkMessage {
  from: string;
  to: string[];
  raw: string;
  /** Message-ID without angle brackets ('' when the message had none). */
  messageId: string;
  subject: string;
  /** Lower-case header name → first value (unfolded). */
  headers: Record<string, string>;
  /** The reply the sink gave, e.g. "250 2.0.0 Ok: queued as S1". */
  response: string;
}

export interface SinkOptions {
  /** Refuse a recipient at RCPT TO with this reply (e.g. 550 5.1.1, 451 4.7.1, 421 closes the connection). */
  replyFor?: (rcpt: string) => SinkReply | null;
  /** Wait this long before answering the end of DATA (a slow server). */
  delayMs?: number;
  /**
   * Keep and parse every message (default true). Benchmarks that push 100,000 messages set false:
   * then only `count()` and `messageIds` are kept.
   */
  keepMessages?: boolean;
  /** Largest message accepted, bytes (default 10 MB). */
  sizeLimit?: number;
}

export interface SmtpSink {
  port: number;
  url: string;
  messages: SinkMessage[];
  /** Message-IDs of every accepted message, in arrival order (kept even when keepMessages is false). */
  messageIds: string[];
  count(): number;
  /** Resolves once `n` messages were accepted; rejects after timeoutMs. */
  waitForCount(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function headerMessageId(raw: string): string {
  const end = raw.indexOf('\r\n\r\n');
  const head = end >= 0 ? raw.slice(0, end) : raw;
  const m = /^message-id:\s*<?([^>\r\n]*)>?/im.exec(head);
  return m ? m[1].trim() : '';
}

export async function startSmtpSink(options: SinkOptions = {}): Promise<SmtpSink> {
  const keep = options.keepMessages ?? true;
  const messages: SinkMessage[] = [];
  const messageIds: string[] = [];
  let accepted = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    size: options.sizeLimit ?? 10 * 1024 * 1024,
    closeTimeout: 50,
    banner: 'herald test sink',
    onRcptTo(address, _session: SMTPServerSession, callback) {
      const reply = options.replyFor?.(address.address) ?? null;
      if (!reply) return callback();
      const err = new Error(reply.message) as Error & { responseCode: number };
      err.responseCode = reply.code;
      callback(err);
    },
    onData(stream, session, callback) {
      readAll(stream)
        .then(async (buf) => {
          if ((stream as Readable & { sizeExceeded?: boolean }).sizeExceeded) {
            const err = new Error('5.3.4 Message size exceeds fixed limit') as Error & { responseCode: number };
            err.responseCode = 552;
            return callback(err);
          }
          accepted += 1;
          const queueId = `S${accepted}`;
          const response = `250 2.0.0 Ok: queued as ${queueId}`;
          const raw = buf.toString('utf8');
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const to = session.envelope.rcptTo.map((r) => r.address);
          if (keep) {
            const parsed = await PostalMime.parse(raw);
            const headers: Record<string, string> = {};
            for (const h of parsed.headers) if (!(h.key in headers)) headers[h.key] = h.value;
            const messageId = (parsed.messageId ?? '').replace(/^<|>$/g, '');
            messages.push({ from, to, raw, messageId, subject: parsed.subject ?? '', headers, response });
            messageIds.push(messageId);
          } else {
            messageIds.push(headerMessageId(raw));
          }
          for (let i = waiters.length - 1; i >= 0; i--) {
            if (accepted >= waiters[i].n) waiters.splice(i, 1)[0].resolve();
          }
          if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
          callback(null, `2.0.0 Ok: queued as ${queueId}`);
        })
        .catch((err: Error) => callback(err));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Errors on client sockets (a client that vanished) must not crash the test process.
  server.on('error', () => {});
  const port = (server.server.address() as { port: number }).port;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    messageIds,
    count: () => accepted,
    waitForCount(n, timeoutMs = 5000) {
      if (accepted >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const waiter = { n, resolve };
        waiters.push(waiter);
        setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i < 0) return;
          waiters.splice(i, 1);
          reject(new Error(`the sink got ${accepted} of ${n} messages within ${timeoutMs} ms`));
        }, timeoutMs).unref();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
