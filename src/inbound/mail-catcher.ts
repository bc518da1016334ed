// The built-in mail catcher: an SMTP server on loopback that accepts every message and keeps it
// in `caught_messages`, so `npm start` sends real SMTP without a relay and the outbox shows what
// went out. Each message is linked to its account and ledger row through its Message-ID header.
//
// Throughput: a pooled sender pushes thousands of messages a second, so messages are acknowledged
// at once and written in batches (every 50 ms or 200 messages, one lookup and one insert per
// batch; while one batch is written the next gathers). The cost is that a crash (kill -9) can lose the last ≤ 50 ms of caught copies; the
// ledger, not the catcher, is the record of what was sent. A clean close flushes everything.
// If the database falls behind, acknowledgements wait (back-pressure) instead of memory growing;
// if it fails, copies are kept and retried every second, and once 5,000 wait, new messages get a
// 451 (the sender retries them later) rather than a 250 for a copy that cannot be kept.
//
// Retention: the newest `keep` messages (all accounts together) are kept; older ones are deleted
// in one statement every `keep / 10` (at most 1,000) inserts and on close, never per message.
import { decodeWords } from 'postal-mime';
import type { Readable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { listenSmtp, readAll } from './smtp-server-helpers.ts';
import type { AppDeps } from '../app/deps.ts';

export interface MailCatcherOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** How many caught messages to keep (newest first), default 10,000. */
  keep?: number;
  /** Largest message accepted, bytes (default 25 MB). */
  sizeLimit?: number;
  /** Batch timing, for tests; defaults 50 ms / 200 messages. */
  flushIntervalMs?: number;
  flushSize?: number;
  /** Copies waiting for the database beyond which a failing database makes new messages get 451 (default 5,000). */
  maxBuffered?: number;
  /** Wait between tries while the database fails (default 1 s). */
  retryMs?: number;
}

export interface RunningMailCatcher {
  port: number;
  /** Stores what is buffered now (tests call it to see the newest messages at once). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_CATCHER_KEEP = 10_000;
/** Copies per transaction: short transactions, and a slow batch never holds thousands of replies. */
const MAX_BATCH = 1000;

interface CaughtCopy {
  mailFrom: string | null;
  rcptTo: string[];
  subject: string | null;
  messageIdHeader: string | null;
  size: number;
  raw: string;
  receivedAt: string;
}

/** Subject and Message-ID from the header section only: a full MIME parse per message is not needed here. */
export function readCatcherHeaders(raw: string): { subject: string | null; messageId: string | null } {
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end >= 0 ? raw.slice(0, end) : raw).replace(/\r?\n[ \t]+/g, ' ');
  let subject: string | null = null;
  let messageId: string | null = null;
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === 'subject' && subject === null) subject = decodeWords(line.slice(colon + 1).trim());
    else if (name === 'message-id' && messageId === null) {
      const value = line.slice(colon + 1).trim();
      messageId = (/<([^>]+)>/.exec(value)?.[1] ?? value).trim() || null;
    }
  }
  return { subject, messageId };
}

export async function startMailCatcher(deps: AppDeps, options: MailCatcherOptions): Promise<RunningMailCatcher> {
  const keep = Math.max(1, options.keep ?? DEFAULT_CATCHER_KEEP);
  const pruneEvery = Math.max(1, Math.min(1000, Math.ceil(keep / 10)));
  const flushIntervalMs = options.flushIntervalMs ?? 50;
  const flushSize = options.flushSize ?? 200;
  const maxBuffered = options.maxBuffered ?? 5_000;
  const retryMs = options.retryMs ?? 1000;
  const log = deps.log.child({ component: 'mail-catcher' });
  const { db } = deps.store;
  // Each row binds 8 values; stay far below the dialect's parameter limit.
  const insertChunk = Math.max(1, Math.min(500, Math.floor(deps.store.caps.maxParameters / 8)));

  let buffered: CaughtCopy[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  let insertedSincePrune = 0;
  let failing = false;

  async function prune(): Promise<void> {
    insertedSincePrune = 0;
    const boundary = await db.selectFrom('caught_messages').select('id').orderBy('id', 'desc').offset(keep).limit(1).executeTakeFirst();
    if (boundary) await db.deleteFrom('caught_messages').where('id', '<=', boundary.id).execute();
  }

  async function write(batch: CaughtCopy[]): Promise<void> {
    const ids = [...new Set(batch.map((c) => c.messageIdHeader).filter((id): id is string => id !== null))];
    const ledger = new Map<string, { id: number; account_id: number }>();
    for (let i = 0; i < ids.length; i += insertChunk) {
      const rows = await db
        .selectFrom('messages')
        .select(['id', 'account_id', 'message_id_header'])
        .where('message_id_header', 'in', ids.slice(i, i + insertChunk))
        .execute();
      for (const r of rows) if (r.message_id_header && !ledger.has(r.message_id_header)) ledger.set(r.message_id_header, r);
    }
    // Herald's own notification emails (app/notifications/send-notification-emails.ts) are not in
    // the ledger; their Message-ID names the notification, whose account then sees them in its outbox.
    const notificationIds = new Map<string, number>();
    for (const id of ids) {
      const m = /^herald\.notification\.(\d+)\./.exec(id);
      if (m && !ledger.has(id)) notificationIds.set(id, Number(m[1]));
    }
    const notificationAccount = new Map<number, number>();
    const wanted = [...new Set(notificationIds.values())];
    for (let i = 0; i < wanted.length; i += insertChunk) {
      const rows = await db.selectFrom('notifications').select(['id', 'account_id']).where('id', 'in', wanted.slice(i, i + insertChunk)).execute();
      for (const r of rows) notificationAccount.set(r.id, r.account_id);
    }
    const rows = batch.map((c) => {
      const linked = c.messageIdHeader ? ledger.get(c.messageIdHeader) : undefined;
      const notificationId = c.messageIdHeader ? notificationIds.get(c.messageIdHeader) : undefined;
      return {
        account_id: linked?.account_id ?? (notificationId !== undefined ? (notificationAccount.get(notificationId) ?? null) : null),
        message_id: linked?.id ?? null,
        mail_from: c.mailFrom,
        rcpt_to: JSON.stringify(c.rcptTo),
        subject: c.subject,
        size: c.size,
        raw: c.raw,
        received_at: c.receivedAt,
      };
    });
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += insertChunk) await trx.insertInto('caught_messages').values(rows.slice(i, i + insertChunk)).execute();
    });
    insertedSincePrune += rows.length;
    // The copies are stored; a failed prune only delays retention to the next one.
    if (insertedSincePrune >= pruneEvery) await prune().catch((err: Error) => log.warn({ err }, 'could not prune caught messages'));
  }

  /** Copies taken by the writer and not yet stored. */
  let writingCount = 0;
  let writerRunning = false;

  /** One writer at a time; while it writes a batch, new copies gather for the next one. */
  async function runWriter(): Promise<void> {
    writerRunning = true;
    try {
      while (buffered.length > 0) {
        const batch = buffered.splice(0, MAX_BATCH);
        writingCount = batch.length;
        try {
          await write(batch);
          failing = false;
        } catch (err) {
          // Keep the copies and try again later rather than dropping them or hammering a database
          // that is down; meanwhile new messages are refused with a 451 once too many wait.
          if (!failing) log.error({ err, count: batch.length }, 'could not store caught messages; retrying');
          failing = true;
          buffered = batch.concat(buffered);
          return;
        } finally {
          writingCount = 0;
        }
      }
    } finally {
      writerRunning = false;
      schedule();
    }
  }

  /** Resolves once everything buffered now is stored (or the database failed again). */
  function flush(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (!writerRunning && buffered.length > 0) writing = runWriter();
    return writing;
  }

  function schedule(): void {
    if (writerRunning || buffered.length === 0) return;
    if (!failing && buffered.length >= flushSize) void flush();
    else if (!timer) {
      timer = setTimeout(() => void flush(), failing ? retryMs : flushIntervalMs);
      timer.unref();
    }
  }

  const waiting = () => buffered.length + writingCount;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    size: options.sizeLimit ?? 25 * 1024 * 1024,
    banner: 'Herald mail catcher (messages are kept, not delivered)',
    closeTimeout: 2000,
    onData(stream, session, callback) {
      readAll(stream)
        .then(async (buf) => {
          if ((stream as Readable & { sizeExceeded?: boolean }).sizeExceeded) {
            const err = new Error('5.3.4 Message size exceeds the catcher limit') as Error & { responseCode: number };
            err.responseCode = 552;
            return callback(err);
          }
          if (failing && waiting() >= maxBuffered) {
            // The sender keeps the message and retries (4xx): nothing is accepted that cannot be kept.
            const err = new Error('4.3.0 The mail catcher cannot store messages right now; try again later') as Error & { responseCode: number };
            err.responseCode = 451;
            return callback(err);
          }
          const raw = buf.toString('utf8');
          const headers = readCatcherHeaders(raw);
          buffered.push({
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address || null : null,
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            subject: headers.subject,
            messageIdHeader: headers.messageId,
            size: buf.length,
            raw,
            receivedAt: deps.clock.now().toISOString(),
          });
          schedule();
          // Back-pressure: when the database falls behind, hold this reply until it caught up.
          if (waiting() >= maxBuffered) await flush();
          callback(null, '2.0.0 Ok: caught');
        })
        .catch((err: Error) => callback(err));
    },
  });
  server.on('error', (err: Error) => log.warn({ err }, 'mail catcher connection error'));

  const port = await listenSmtp(server, 'mail catcher', options.host, options.port);

  return {
    port,
    flush,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await flush();
      if (timer) clearTimeout(timer);
      timer = null;
      if (buffered.length > 0) log.error({ count: buffered.length }, 'closing with caught messages the database would not take; they are lost');
      await prune().catch((err: Error) => log.warn({ err }, 'could not prune caught messages'));
    },
  };
}
