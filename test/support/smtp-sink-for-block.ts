// Most delivery tests want the same pair for a describe block: a real SMTP sink on loopback and
// Herald's SMTP transport pointed at it, started before the block's tests and closed after them.
// One pair per block, not per test: the tests tell their mail apart by address or by count.
import { afterAll, beforeAll } from 'vitest';
import type { EmailTransport } from '../../src/transports/email/email-transport.ts';
import { createSmtpTransport } from '../../src/transports/email/smtp-transport.ts';
import { type SinkOptions, type SmtpSink, startSmtpSink } from './smtp-sink.ts';

export interface SinkAndTransport {
  readonly sink: SmtpSink;
  readonly transport: EmailTransport;
}

/**
 * Call inside a describe: registers the beforeAll that starts the pair and the afterAll that closes
 * it. Read `.sink` and `.transport` in tests and later hooks; before beforeAll they throw.
 */
export function smtpSinkForBlock(options: SinkOptions = {}): SinkAndTransport {
  let sink: SmtpSink | undefined;
  let transport: EmailTransport | undefined;
  beforeAll(async () => {
    sink = await startSmtpSink(options);
    transport = createSmtpTransport({ url: sink.url });
  });
  afterAll(async () => {
    await transport?.close();
    await sink?.close();
  });
  return {
    get sink() {
      if (!sink) throw new Error('the SMTP sink starts in beforeAll');
      return sink;
    },
    get transport() {
      if (!transport) throw new Error('the SMTP transport starts in beforeAll');
      return transport;
    },
  };
}
