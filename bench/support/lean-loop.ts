// The lean SMTP transport (src/transports/email/lean-smtp-transport.ts) in the same loop as the
// nodemailer pool reference (nodemailer-pool-loop.ts): the same newsletter, the same connections
// and in-flight messages, the same sink, its own process — so the two measure only the SMTP path.
//
//   node bench/support/lean-loop.ts <smtp-url> <messages> <connections> <in-flight>
// prints one JSON line: {"sent":…,"failed":…,"seconds":…,"peakRssMb":…}
import type { OutgoingEmail } from '../../src/transports/email/email-transport.ts';
import { createLeanSmtpTransport } from '../../src/transports/email/lean-smtp-transport.ts';
import { referenceMail } from './reference-message.ts';

function referenceEmail(i: number): OutgoingEmail {
  const m = referenceMail(i);
  return {
    from: String(m.from),
    to: String(m.to),
    subject: String(m.subject),
    html: String(m.html),
    text: String(m.text),
    messageId: String(m.messageId).replace(/^<|>$/g, ''),
    headers: m.headers as Record<string, string>,
  };
}

async function main() {
  const [url, messagesArg, connectionsArg, inFlightArg] = process.argv.slice(2);
  const messages = Number(messagesArg);
  const connections = Number(connectionsArg);
  const inFlight = Number(inFlightArg);
  if (!url || !(messages > 0) || !(connections > 0) || !(inFlight > 0)) {
    throw new Error('usage: lean-loop.ts <smtp-url> <messages> <connections> <in-flight>');
  }
  const transport = createLeanSmtpTransport({ url, pool: { maxConnections: connections, maxMessages: 1000 } });
  let next = 1;
  let sent = 0;
  let failed = 0;
  const lane = async () => {
    while (next <= messages) {
      const outcome = await transport.send(referenceEmail(next++));
      if (outcome.kind === 'sent') sent++;
      else failed++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, lane));
  const seconds = (performance.now() - t0) / 1000;
  await transport.close();
  // maxRSS is the kernel's peak resident set of this process, in kilobytes.
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 102.4) / 10;
  process.stdout.write(`${JSON.stringify({ sent, failed, seconds, peakRssMb })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
