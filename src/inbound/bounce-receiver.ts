// The inbound SMTP server for asynchronous bounces, complaints and auto-replies: receivers send
// them to the envelope sender (the VERP address, see core/bounces/verp.ts) or to a feedback-loop
// address on the bounce domain. Each message is parsed, classified, linked to its ledger row and
// applied (app/bounces/receive-report.ts).
//
// Hostile input is the normal case here: anyone can connect. Recipients outside the bounce domain
// are refused (no relaying), messages over the size limit get 552, a message that cannot be
// understood is logged and accepted (a retry would not help, and a 5xx would make the sender
// bounce our bounce). Only a failing database gives 451, so the report is retried later.
import type { Readable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { listenSmtp, readAll } from './smtp-server-helpers.ts';
import { receiveReport } from '../app/bounces/receive-report.ts';
import type { ApplyReportOptions } from '../app/bounces/apply-report.ts';
import type { AppDeps } from '../app/deps.ts';

export interface BounceReceiverOptions extends ApplyReportOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Accept mail only for this domain (HERALD_BOUNCE_DOMAIN); null accepts any recipient domain. */
  domain?: string | null;
  /** Largest message accepted, bytes (default 10 MB). */
  sizeLimit?: number;
}

export interface RunningBounceReceiver {
  port: number;
  close(): Promise<void>;
}

type SmtpError = Error & { responseCode: number };

function smtpError(code: number, message: string): SmtpError {
  const err = new Error(message) as SmtpError;
  err.responseCode = code;
  return err;
}

export async function startBounceReceiver(deps: AppDeps, options: BounceReceiverOptions): Promise<RunningBounceReceiver> {
  const log = deps.log.child({ component: 'bounce-receiver' });
  const domain = options.domain ? options.domain.toLowerCase() : null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    size: options.sizeLimit ?? 10 * 1024 * 1024,
    banner: 'Herald bounce receiver',
    closeTimeout: 2000,
    onRcptTo(address, _session, callback) {
      const at = address.address.lastIndexOf('@');
      const rcptDomain = at > 0 ? address.address.slice(at + 1).toLowerCase() : '';
      if (domain && rcptDomain !== domain) return callback(smtpError(550, `5.7.1 <${address.address}>: this server only takes mail for ${domain}`));
      callback();
    },
    onData(stream, session, callback) {
      readAll(stream)
        .then(async (buf) => {
          if ((stream as Readable & { sizeExceeded?: boolean }).sizeExceeded) return callback(smtpError(552, '5.3.4 Message size exceeds the limit'));
          const rcptTo = session.envelope.rcptTo.map((r) => r.address);
          try {
            const { report, link, result } = await receiveReport(deps, rcptTo, buf, options);
            log.info({ kind: report?.kind ?? null, messageId: link?.messageId ?? null, applied: result.applied, ignored: result.ignored }, 'report received');
          } catch (err) {
            log.error({ err, rcptTo }, 'could not apply a report; the sender will retry');
            return callback(smtpError(451, '4.3.0 Cannot process the report right now; try again later'));
          }
          callback(null, '2.0.0 Ok: report received');
        })
        .catch((err: Error) => {
          log.warn({ err }, 'could not read an inbound message');
          callback(smtpError(451, '4.3.0 Could not read the message'));
        });
    },
  });
  server.on('error', (err: Error) => log.warn({ err }, 'bounce receiver connection error'));

  const port = await listenSmtp(server, 'bounce receiver', options.host, options.port);
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
