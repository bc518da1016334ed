// Shared by the tests of both SMTP clients: recipients a sink refuses, a message factory and a
// free port, so the two clients are tested against exactly the same cases.
import net from 'node:net';
import type { OutgoingEmail } from '../../src/transports/email/email-transport.ts';

export const REPLIES: Record<string, { code: number; message: string }> = {
  'gone@rcpt.example': { code: 550, message: '5.1.1 <gone@rcpt.example>: Recipient address rejected: User unknown in local recipient table' },
  'spam@rcpt.example': { code: 554, message: '5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org' },
  'grey@rcpt.example': { code: 451, message: '4.7.1 <grey@rcpt.example>: Recipient address rejected: Greylisted' },
  'busy@rcpt.example': { code: 421, message: '4.7.0 Try again later, closing connection' },
  'full@rcpt.example': { code: 452, message: '4.2.2 Mailbox full' },
};

/** A numbered test message; `prefix` keeps Message-IDs apart between test files. */
export function emailFactory(prefix: string): ((to: string, extra?: Partial<OutgoingEmail>) => OutgoingEmail) & { lastMessageId(): string } {
  let seq = 0;
  const make = (to: string, extra: Partial<OutgoingEmail> = {}): OutgoingEmail => {
    seq += 1;
    return {
      from: 'Acme News <news@acme.example>',
      to,
      subject: `Hello ${seq}`,
      html: `<p>Hello <b>${seq}</b></p>`,
      text: `Hello ${seq}`,
      messageId: `${prefix}${seq}.test@acme.example`,
      ...extra,
    };
  };
  return Object.assign(make, { lastMessageId: () => `${prefix}${seq}.test@acme.example` });
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
