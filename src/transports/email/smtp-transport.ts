// The SMTP relay transport: one pooled nodemailer transport (a few long-lived connections, many
// messages each), turning every hand-off into a SendOutcome. It never throws for what the server
// or the network did: a refusal is classified (src/core/smtp-reply.ts), and a connection error or
// timeout is `deferred` with a response that says what happened, so the dispatcher can record it.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import nodemailer, { type NodemailerError, type SendMailOptions } from 'nodemailer';
import type { Logger } from 'pino';
import { classifySmtpReply, parseSmtpResponse } from '../../core/smtp-reply.ts';
import { DKIM_SIGNED_HEADER_NAMES } from './dkim-signer.ts';
import type { DkimKey, EmailTransport, OutgoingEmail, SendOutcome } from './email-transport.ts';

export interface SmtpTransportOptions {
  /** smtp://[user:pass@]host:port or smtps://… */
  url: string;
  pool?: {
    /** Parallel connections (default 5). The dispatcher's in-flight messages queue behind them. */
    maxConnections?: number;
    /** Messages per connection before it is replaced (default 1000; nodemailer's 100 reconnects too often for bulk). */
    maxMessages?: number;
  };
  timeouts?: {
    /** TCP connect (default 30 s). */
    connectMs?: number;
    /** Waiting for the 220 greeting (default 30 s). */
    greetingMs?: number;
    /**
     * Inactivity on the socket, which includes waiting for the reply after DATA (default 60 s;
     * nodemailer's 10 minutes would hold a message far past the dispatcher's lease).
     */
    socketMs?: number;
  };
  log?: Logger;
}

// The headers DKIM signs: nodemailer's RFC 4871 §5.5 list plus List-Unsubscribe-Post, because
// RFC 8058 requires the one-click header pair to be covered by the signature (a mailbox provider
// ignores an unsigned List-Unsubscribe-Post).
export const DKIM_SIGNED_HEADERS = DKIM_SIGNED_HEADER_NAMES.join(':');

// Parsing a PEM key costs more than signing with a parsed one; a sender uses a handful of keys.
const MAX_CACHED_KEYS = 100;

function describeConnectionError(err: NodemailerError, target: string): string {
  const code = err.originalCode ?? err.code;
  const what = err.timeoutType
    ? `timed out (${err.timeoutType.toLowerCase().replace(/_/g, ' ')})`
    : code === 'ECONNREFUSED'
      ? 'connection refused'
      : code === 'ECONNRESET'
        ? 'connection reset'
        : 'connection failed';
  return `${what} talking to ${target}: ${err.message}${code ? ` (${code})` : ''}`;
}

/** Turns a nodemailer error into an outcome. */
function outcomeOfError(err: NodemailerError, target: string): SendOutcome {
  // When every recipient was refused, the per-recipient error carries the precise RCPT reply.
  const detail = err.rejectedErrors?.[0];
  const response = detail?.response ?? err.response;
  const responseCode = detail?.responseCode ?? err.responseCode;
  if (typeof responseCode === 'number' && response) {
    const parsed = parseSmtpResponse(response);
    const code = parsed.code ?? responseCode;
    const verdict = classifySmtpReply(code, parsed.enhanced, parsed.text);
    if (verdict.outcome === 'failed') {
      return { kind: 'failed', response, code, failureClass: verdict.failureClass ?? 'unknown' };
    }
    // A 4xx, or a 2xx/3xx where another reply was due: a later try may succeed.
    return { kind: 'deferred', response, code };
  }
  // nodemailer refused the message before the server saw it: retrying cannot help.
  if (err.code === 'EENVELOPE') {
    const failureClass = /sender/i.test(err.message) ? 'sender_policy' : 'recipient';
    return { kind: 'failed', response: `not sent: ${err.message}`, code: null, failureClass };
  }
  if (err.code === 'EMESSAGE') return { kind: 'failed', response: `not sent: ${err.message}`, code: null, failureClass: 'message' };
  return { kind: 'deferred', response: describeConnectionError(err, target), code: null };
}

export function createSmtpTransport(options: SmtpTransportOptions): EmailTransport {
  const target = new URL(options.url).host;
  const transporter = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: options.pool?.maxConnections ?? 5,
    maxMessages: options.pool?.maxMessages ?? 1000,
    connectionTimeout: options.timeouts?.connectMs ?? 30_000,
    greetingTimeout: options.timeouts?.greetingMs ?? 30_000,
    socketTimeout: options.timeouts?.socketMs ?? 60_000,
    // Message content comes from templates and contact data: never let it read files or URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const log = options.log;
  transporter.on('error', (err: Error) => log?.warn({ err, target }, 'SMTP pool error'));

  const keyCache = new Map<string, KeyObject>();
  function dkimOption(dkim: DkimKey): SendMailOptions['dkim'] {
    let key = keyCache.get(dkim.privateKey);
    if (!key) {
      key = createPrivateKey(dkim.privateKey);
      if (keyCache.size >= MAX_CACHED_KEYS) keyCache.delete(keyCache.keys().next().value!);
      keyCache.set(dkim.privateKey, key);
    }
    return { domainName: dkim.domainName, keySelector: dkim.keySelector, privateKey: key, headerFieldNames: DKIM_SIGNED_HEADERS };
  }

  const inFlight = new Set<Promise<SendOutcome>>();
  let closed = false;

  async function deliver(message: OutgoingEmail): Promise<SendOutcome> {
    const mail: SendMailOptions = {
      from: message.from,
      to: message.to,
      subject: message.subject,
      html: message.html,
      text: message.text,
      messageId: `<${message.messageId}>`,
    };
    if (message.replyTo) mail.replyTo = message.replyTo;
    if (message.headers) mail.headers = message.headers;
    if (message.envelopeFrom) mail.envelope = { from: message.envelopeFrom, to: message.to };
    try {
      if (message.dkim) mail.dkim = dkimOption(message.dkim);
    } catch (err) {
      const response = `not sent: the DKIM key of ${message.dkim?.domainName} cannot be used (${(err as Error).message})`;
      return { kind: 'failed', response, code: null, failureClass: 'sender_policy' };
    }
    try {
      const info = await transporter.sendMail(mail);
      // A pool with one recipient per message: a refused recipient is an error, not a partial success.
      return { kind: 'sent', response: info.response };
    } catch (err) {
      const outcome = outcomeOfError(err as NodemailerError, target);
      log?.debug({ messageId: message.messageId, outcome }, 'SMTP hand-off not accepted');
      return outcome;
    }
  }

  return {
    name: `smtp:${target}`,
    send(message) {
      if (closed) return Promise.resolve({ kind: 'deferred', response: 'the SMTP transport is closed', code: null });
      const p = deliver(message);
      inFlight.add(p);
      p.finally(() => inFlight.delete(p));
      return p;
    },
    async close() {
      closed = true;
      // Let every accepted hand-off finish (its outcome is what the ledger records), then QUIT.
      await Promise.allSettled([...inFlight]);
      transporter.close();
    },
  };
}
