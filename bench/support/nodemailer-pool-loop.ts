// The plain reference for the send benchmark, run as its own process (like Herald's worker, so
// both are measured alone and the parent can read its memory): one pooled nodemailer transport
// with the same connection count and the same messages in flight as the worker, sending the same
// newsletter to the same sink — no database, no Liquid, no ledger. What Herald adds on top of
// nodemailer is the difference between the two.
//
//   node bench/support/nodemailer-pool-loop.ts <smtp-url> <messages> <connections> <in-flight>
// prints one JSON line: {"sent":…,"failed":…,"seconds":…,"peakRssMb":…}
import nodemailer from 'nodemailer';
import { referenceMail } from './reference-message.ts';

async function main() {
  const [url, messagesArg, connectionsArg, inFlightArg] = process.argv.slice(2);
  const messages = Number(messagesArg);
  const connections = Number(connectionsArg);
  const inFlight = Number(inFlightArg);
  if (!url || !(messages > 0) || !(connections > 0) || !(inFlight > 0)) {
    throw new Error('usage: nodemailer-pool-loop.ts <smtp-url> <messages> <connections> <in-flight>');
  }
  // The same pool settings as src/transports/email/smtp-transport.ts.
  const transporter = nodemailer.createTransport({ url, pool: true, maxConnections: connections, maxMessages: 1000 });
  let next = 1;
  let sent = 0;
  let failed = 0;
  const lane = async () => {
    while (next <= messages) {
      const i = next++;
      try {
        await transporter.sendMail(referenceMail(i));
        sent++;
      } catch {
        failed++;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, lane));
  const seconds = (performance.now() - t0) / 1000;
  transporter.close();
  // maxRSS is the kernel's peak resident set of this process, in kilobytes.
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 102.4) / 10;
  process.stdout.write(`${JSON.stringify({ sent, failed, seconds, peakRssMb })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
