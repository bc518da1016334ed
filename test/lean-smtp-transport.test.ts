// The lean SMTP transport against real SMTP servers on loopback (the smtp-server test sink, an
// smtp-server with STARTTLS/implicit TLS and AUTH, and Postfix's smtp-sink when installed): what
// arrives (parsed by postal-mime), what each kind of reply becomes (the same as the nodemailer
// transport), pipelining on the wire (seen through a byte-forwarding TCP relay), pool reuse, DKIM
// signatures that a verifier written from RFC 6376 accepts, and 1,000 messages exactly once.
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, } from 'node:crypto';
import fs from 'node:fs';
import { verifyDkim } from './support/dkim-verify.ts';
import { REPLIES, emailFactory, freePort } from './support/transport-fixtures.ts';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import PostalMime from 'postal-mime';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendOutcome } from '../src/transports/email/email-transport.ts';
import { createLeanSmtpTransport } from '../src/transports/email/lean-smtp-transport.ts';
import { createSmtpTransport } from '../src/transports/email/smtp-transport.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';

const email = emailFactory('lean');

/**
 * A TCP relay in front of a server: forwards bytes both ways untouched and records what the
 * client wrote, one entry per chunk read, and how many connections it opened.
 */
async function startRelay(port: number) {
  const chunks: string[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((client) => {
    connections += 1;
    const upstream = net.connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (c: Buffer) => {
      chunks.push(c.toString('latin1'));
      upstream.write(c);
    });
    upstream.on('data', (c: Buffer) => client.write(c));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const relayPort = (server.address() as net.AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${relayPort}`,
    chunks,
    connections: () => connections,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

interface Received {
  raw: string;
  from: string;
  to: string[];
  secure: boolean;
  user: string | null;
}

/** An smtp-server with the given options that keeps every message and the session's TLS/AUTH state. */
async function startServer(options: Partial<SMTPServerOptions>) {
  const received: Received[] = [];
  const server = new SMTPServer({
    disableReverseLookup: true,
    authOptional: true,
    closeTimeout: 50,
    logger: false,
    ...options,
    onData(stream: Readable, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          raw: Buffer.concat(chunks).toString('utf8'),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          user: (session.user as string | undefined) ?? null,
        });
        callback(null, `2.0.0 Ok: queued as T${received.length}`);
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as net.AddressInfo).port;
  return { port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('lean SMTP transport: what arrives', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink({ replyFor: (rcpt) => REPLIES[rcpt] ?? null, sizeLimit: 200_000 });
  });
  afterAll(async () => {
    await sink.close();
  });

  it('sends every field, multipart text and html, and keeps the accepting reply', async () => {
    const transport = createLeanSmtpTransport({ url: sink.url });
    const before = sink.count();
    const outcome = await transport.send(
      email('Ann Example <ann@rcpt.example>', {
        replyTo: 'help@acme.example',
        envelopeFrom: 'bounces+m1@acme.example',
        headers: {
          'X-Herald-Message': '42',
          'List-Unsubscribe': '<https://herald.example/u/abc>',
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
        subject: 'Grüße aus Köln — ein sehr langer Betreff, der über mehrere kodierte Wörter gefaltet werden muss',
        text: 'Hallo Ann,\nGrüße!\n.\n.leading dot\nEnd',
        html: '<p>Hello <b>Ann</b> — grüße</p>',
      }),
    );
    await transport.close();
    expect(outcome).toEqual({ kind: 'sent', response: `250 2.0.0 Ok: queued as S${before + 1}` });
    const got = sink.messages.at(-1)!;
    expect(got.from).toBe('bounces+m1@acme.example');
    expect(got.to).toEqual(['ann@rcpt.example']);
    expect(got.subject).toBe('Grüße aus Köln — ein sehr langer Betreff, der über mehrere kodierte Wörter gefaltet werden muss');
    expect(got.messageId).toBe(email.lastMessageId());
    expect(got.headers['from']).toBe('Acme News <news@acme.example>');
    expect(got.headers['to']).toBe('Ann Example <ann@rcpt.example>');
    expect(got.headers['reply-to']).toBe('help@acme.example');
    expect(got.headers['x-herald-message']).toBe('42');
    expect(got.headers['list-unsubscribe']).toBe('<https://herald.example/u/abc>');
    expect(got.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(got.headers['mime-version']).toBe('1.0');
    expect(got.headers['date']).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    const parsed = await PostalMime.parse(got.raw);
    // Dot-stuffing undone by the server: lines of only "." and starting with "." survive.
    expect(parsed.text).toBe('Hallo Ann,\nGrüße!\n.\n.leading dot\nEnd\n');
    expect(parsed.html).toBe('<p>Hello <b>Ann</b> — grüße</p>\n');
    expect(got.raw).toMatch(/Content-Type: multipart\/alternative; boundary=/);
    for (const line of got.raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
  });

  it('chooses 7bit, quoted-printable or base64 per part, all 7-bit clean with short lines', async () => {
    const transport = createLeanSmtpTransport({ url: sink.url });
    const longAscii = `${'word '.repeat(400)}end`; // one 2,003-character line
    const cyrillic = 'Привет, мир! Это письмо написано по-русски. '.repeat(20);
    const cases = [
      { text: 'plain ascii, short lines', html: '<p>plain</p>', encodings: ['7bit', '7bit'] },
      { text: longAscii, html: `<p>${longAscii}</p>`, encodings: ['quoted-printable', 'quoted-printable'] },
      { text: cyrillic, html: `<p>${cyrillic}</p>`, encodings: ['base64', 'base64'] },
      { text: 'Ünïcödé trailing space \nand = sign\ttab', html: '', encodings: ['quoted-printable'] },
    ];
    for (const c of cases) {
      const outcome = await transport.send(email('enc@rcpt.example', { text: c.text, html: c.html }));
      expect(outcome.kind).toBe('sent');
      const raw = sink.messages.at(-1)!.raw;
      expect([...raw.matchAll(/Content-Transfer-Encoding: (\S+)/g)].map((m) => m[1])).toEqual(c.encodings);
      expect(Buffer.from(raw, 'utf8').every((b) => b < 128)).toBe(true);
      for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
      const parsed = await PostalMime.parse(raw);
      expect(parsed.text?.replace(/\n$/, '')).toBe(c.text);
      if (c.html) expect(parsed.html?.replace(/\n$/, '')).toBe(c.html);
      else expect(parsed.html).toBeUndefined();
    }
    await transport.close();
  });

  it('cannot be made to add headers through contact data, and refuses what cannot be addressed', async () => {
    const transport = createLeanSmtpTransport({ url: sink.url });
    const sent = await transport.send(email('inj@rcpt.example', { subject: 'Hi\r\nBcc: victim@else.example\r\n\r\nbody', replyTo: '"Ann\r\nX-Evil: 1" <a@b.example>' }));
    expect(sent.kind).toBe('sent');
    const got = sink.messages.at(-1)!;
    expect(got.headers['bcc']).toBeUndefined();
    expect(got.headers['x-evil']).toBeUndefined();
    expect(got.subject).toBe('Hi Bcc: victim@else.example body');

    const before = sink.count();
    expect(await transport.send(email('not an address'))).toMatchObject({ kind: 'failed', code: null, failureClass: 'recipient' });
    expect(await transport.send(email('x@rcpt.example', { envelopeFrom: 'a@b>\r\nRCPT TO:<c@d>' }))).toMatchObject({
      kind: 'failed',
      failureClass: 'sender_policy',
    });
    expect(await transport.send(email('x@rcpt.example', { headers: { 'Bad Name': 'x' } }))).toMatchObject({ kind: 'failed', failureClass: 'message' });
    // IDN domains go out as their A-label.
    expect((await transport.send(email('ann@bücher.example'))).kind).toBe('sent');
    await transport.close();
    expect(sink.count()).toBe(before + 1);
    expect(sink.messages.at(-1)!.raw).toMatch(/^To: ann@xn--bcher-kva\.example\r$/m);
  });

  it('refuses a message over the server SIZE limit without sending it', async () => {
    const transport = createLeanSmtpTransport({ url: sink.url });
    const before = sink.count();
    const big = await transport.send(email('big@rcpt.example', { text: 'x'.repeat(300_000) }));
    const small = await transport.send(email('small@rcpt.example'));
    await transport.close();
    expect(big).toMatchObject({ kind: 'failed', code: null, failureClass: 'message' });
    expect(big.response).toMatch(/SIZE limit of 200000/);
    expect(small.kind).toBe('sent');
    expect(sink.count()).toBe(before + 1);
  });
});

describe('lean SMTP transport: outcomes', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink({ replyFor: (rcpt) => REPLIES[rcpt] ?? null });
  });
  afterAll(async () => {
    await sink.close();
  });

  it('classifies refusals exactly as the nodemailer transport does, and never throws', async () => {
    const recipients = ['gone@rcpt.example', 'spam@rcpt.example', 'grey@rcpt.example', 'full@rcpt.example', 'ok@rcpt.example'];
    const lean = createLeanSmtpTransport({ url: sink.url });
    const reference = createSmtpTransport({ url: sink.url });
    const leanOutcomes = await Promise.all(recipients.map((r) => lean.send(email(r))));
    const referenceOutcomes = await Promise.all(recipients.map((r) => reference.send(email(r))));
    await Promise.all([lean.close(), reference.close()]);
    const comparable = (o: SendOutcome) => (o.kind === 'sent' ? { kind: o.kind } : o);
    expect(leanOutcomes.map(comparable)).toEqual(referenceOutcomes.map(comparable));
    expect(leanOutcomes[0]).toMatchObject({ kind: 'failed', code: 550, failureClass: 'recipient' });
    expect(leanOutcomes[1]).toMatchObject({ kind: 'failed', code: 554, failureClass: 'sender_policy' });
    expect(leanOutcomes[2]).toEqual({ kind: 'deferred', code: 451, response: '451 4.7.1 <grey@rcpt.example>: Recipient address rejected: Greylisted' });
    expect(leanOutcomes[3]).toMatchObject({ kind: 'deferred', code: 452 });
    expect(leanOutcomes[4].kind).toBe('sent');
  });

  it('defers a 421 that closes the connection, and the pool carries on', async () => {
    const transport = createLeanSmtpTransport({ url: sink.url, pool: { maxConnections: 1 } });
    const busy = transport.send(email('busy@rcpt.example'));
    // Queued behind it on the same connection (pipelined after the 421): must not be lost.
    const queued = transport.send(email('queued-behind-busy@rcpt.example'));
    expect(await busy).toMatchObject({ kind: 'deferred', code: 421 });
    expect((await busy).response).toContain('Try again later');
    expect((await queued).kind).toBe('sent');
    const after = await transport.send(email('after-busy@rcpt.example'));
    await transport.close();
    expect(after.kind).toBe('sent');
  });

  it('defers when the server is down, saying so', async () => {
    const port = await freePort();
    const transport = createLeanSmtpTransport({ url: `smtp://127.0.0.1:${port}` });
    const outcomes = await Promise.all([transport.send(email('a@rcpt.example')), transport.send(email('b@rcpt.example'))]);
    await transport.close();
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ kind: 'deferred', code: null });
      expect(outcome.response).toMatch(/connection refused .*ECONNREFUSED/);
    }
  });

  it('defers when the server does not answer in time', async () => {
    const slow = await startSmtpSink({ delayMs: 600 });
    const transport = createLeanSmtpTransport({ url: slow.url, timeouts: { socketMs: 150 } });
    const outcome = await transport.send(email('ann@rcpt.example'));
    await transport.close();
    await slow.close();
    expect(outcome).toMatchObject({ kind: 'deferred', code: null });
    expect(outcome.response).toMatch(/timed out/);
  });

  it('defers when the connection drops after the message was sent, before the reply', async () => {
    // A server that answers everything, then hangs up at the end of DATA.
    const server = net.createServer((socket) => {
      socket.write('220 drop.example ESMTP\r\n');
      let inData = false;
      let buffer = '';
      socket.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('latin1');
        let i = buffer.indexOf('\r\n');
        while (i >= 0) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          if (inData) {
            if (line === '.') socket.destroy();
          } else if (/^EHLO/i.test(line)) socket.write('250-drop.example\r\n250 PIPELINING\r\n');
          else if (/^DATA/i.test(line)) {
            inData = true;
            socket.write('354 go ahead\r\n');
          } else socket.write('250 ok\r\n');
          i = buffer.indexOf('\r\n');
        }
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    const transport = createLeanSmtpTransport({ url: `smtp://127.0.0.1:${port}` });
    const outcome = await transport.send(email('ann@rcpt.example'));
    await transport.close();
    await new Promise<void>((r) => server.close(() => r()));
    expect(outcome).toMatchObject({ kind: 'deferred', code: null });
    expect(outcome.response).toMatch(/closed by 127\.0\.0\.1:\d+ after the message was sent, before the server's reply/);
  });
});

describe('lean SMTP transport: pipelining and the pool', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink({ replyFor: (rcpt) => REPLIES[rcpt] ?? null, keepMessages: false });
  });
  afterAll(async () => {
    await sink.close();
  });

  it('writes MAIL, RCPT and DATA together, and each message with the next envelope', async () => {
    const relay = await startRelay(sink.port);
    const transport = createLeanSmtpTransport({ url: relay.url, pool: { maxConnections: 1 } });
    const before = sink.count();
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => transport.send(email(i === 20 ? 'gone@rcpt.example' : `p${i}@rcpt.example`))));
    await transport.close();
    await relay.close();
    expect(outcomes.filter((o) => o.kind === 'sent')).toHaveLength(49);
    expect(outcomes[20]).toMatchObject({ kind: 'failed', failureClass: 'recipient' });
    expect(sink.count() - before).toBe(49);
    expect(relay.connections()).toBe(1);
    expect(relay.chunks.some((c) => /^MAIL FROM:<[^>]+> SIZE=\d+\r\nRCPT TO:<[^>]+>\r\nDATA\r\n$/.test(c))).toBe(true);
    // Message N, its ".", and N+1's envelope in one write.
    expect(relay.chunks.filter((c) => c.includes('\r\n.\r\nMAIL FROM:<')).length).toBeGreaterThanOrEqual(40);
    // After the refused recipient: RSET with the next envelope in one write.
    expect(relay.chunks.some((c) => c.startsWith('RSET\r\nMAIL FROM:<'))).toBe(true);
    // EHLO, the first envelope, one write per message, QUIT: nothing like 4 writes per message.
    expect(relay.chunks.length).toBeLessThanOrEqual(50 + 4);
  });

  it('talks command by command to a server without PIPELINING', async () => {
    const server = await startServer({
      hidePIPELINING: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onRcptTo(address, _session, callback) {
        const reply = REPLIES[address.address];
        if (!reply) return callback();
        callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
      },
    });
    const relay = await startRelay(server.port);
    const transport = createLeanSmtpTransport({ url: relay.url, pool: { maxConnections: 1 } });
    const recipients = ['np0@rcpt.example', 'gone@rcpt.example', 'np2@rcpt.example', 'grey@rcpt.example', 'np4@rcpt.example'];
    const outcomes = await Promise.all(recipients.map((r) => transport.send(email(r))));
    await transport.close();
    await relay.close();
    await server.close();
    expect(outcomes.map((o) => o.kind)).toEqual(['sent', 'failed', 'sent', 'deferred', 'sent']);
    expect(server.received.map((r) => r.to[0])).toEqual(['np0@rcpt.example', 'np2@rcpt.example', 'np4@rcpt.example']);
    expect(relay.chunks.some((c) => c.includes('MAIL FROM') && c.includes('RCPT TO'))).toBe(false);
    expect(relay.chunks.filter((c) => c.startsWith('RCPT TO:'))).toHaveLength(5);
    expect(relay.chunks.filter((c) => c === 'RSET\r\n')).toHaveLength(2);
  });

  it('quits a connection idle for socketMs, and opens a new one for the next message', async () => {
    const relay = await startRelay(sink.port);
    const transport = createLeanSmtpTransport({ url: relay.url, timeouts: { socketMs: 150 } });
    expect((await transport.send(email('idle1@rcpt.example'))).kind).toBe('sent');
    await new Promise((r) => setTimeout(r, 400));
    expect(relay.chunks.at(-1)).toBe('QUIT\r\n');
    expect((await transport.send(email('idle2@rcpt.example'))).kind).toBe('sent');
    await transport.close();
    await relay.close();
    expect(relay.connections()).toBe(2);
  });

  it('reuses its connections, and replaces one after maxMessages', async () => {
    const relay = await startRelay(sink.port);
    const transport = createLeanSmtpTransport({ url: relay.url, pool: { maxConnections: 2, maxMessages: 25 } });
    const outcomes = await Promise.all(Array.from({ length: 100 }, (_, i) => transport.send(email(`pool${i}@rcpt.example`))));
    await transport.close();
    await relay.close();
    expect(outcomes.every((o) => o.kind === 'sent')).toBe(true);
    // 100 messages at most 25 per connection: 4 connections, never more than 2 at a time.
    expect(relay.connections()).toBe(4);
  });

  it('delivers 1,000 messages with 100 in flight, each exactly once, and close waits for all', async () => {
    const transport = createLeanSmtpTransport({ url: sink.url });
    const before = sink.count();
    const total = 1000;
    let next = 0;
    const ids: string[] = [];
    const kinds: string[] = [];
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        while (next < total) {
          next += 1;
          const m = email(`loop${next}@rcpt.example`);
          ids.push(m.messageId);
          kinds.push((await transport.send(m)).kind);
        }
      }),
    );
    const late = [transport.send(email('late1@rcpt.example')), transport.send(email('late2@rcpt.example'))];
    await transport.close();
    expect((await Promise.all(late)).map((o) => o.kind)).toEqual(['sent', 'sent']);
    expect(kinds.filter((k) => k === 'sent')).toHaveLength(total);
    expect(sink.count() - before).toBe(total + 2);
    const received = sink.messageIds.slice(before);
    expect(new Set(received).size).toBe(total + 2);
    for (const id of ids) expect(received).toContain(id);
    expect(await transport.send(email('after-close@rcpt.example'))).toMatchObject({ kind: 'deferred', response: 'the SMTP transport is closed' });
  });
});

describe('lean SMTP transport: TLS and AUTH', () => {
  const users = { ann: 's3cret' } as Record<string, string>;
  const onAuth: SMTPServerOptions['onAuth'] = (auth, _session, callback) => {
    if (users[auth.username ?? ''] === auth.password) return callback(null, { user: auth.username });
    const err = new Error('5.7.8 Authentication credentials invalid') as Error & { responseCode: number };
    err.responseCode = 535;
    callback(err);
  };

  it('upgrades with STARTTLS and authenticates with AUTH PLAIN', async () => {
    const server = await startServer({ authMethods: ['PLAIN', 'LOGIN'], onAuth, authOptional: false });
    const transport = createLeanSmtpTransport({ url: `smtp://ann:s3cret@127.0.0.1:${server.port}?tls.rejectUnauthorized=false` });
    const outcome = await transport.send(email('tls@rcpt.example'));
    await transport.close();
    await server.close();
    expect(outcome.kind).toBe('sent');
    expect(server.received[0]).toMatchObject({ secure: true, user: 'ann', to: ['tls@rcpt.example'] });
  });

  it('authenticates with AUTH LOGIN when PLAIN is not offered, and classifies a refused login', async () => {
    const server = await startServer({ authMethods: ['LOGIN'], onAuth, authOptional: false });
    const good = createLeanSmtpTransport({ url: `smtp://ann:s3cret@127.0.0.1:${server.port}?tls.rejectUnauthorized=false` });
    const bad = createLeanSmtpTransport({ url: `smtp://ann:wrong@127.0.0.1:${server.port}?tls.rejectUnauthorized=false` });
    const [ok, refused] = await Promise.all([good.send(email('login@rcpt.example')), bad.send(email('login2@rcpt.example'))]);
    await Promise.all([good.close(), bad.close()]);
    await server.close();
    expect(ok.kind).toBe('sent');
    expect(server.received).toHaveLength(1);
    expect(refused).toMatchObject({ kind: 'failed', code: 535, failureClass: 'sender_policy' });
  });

  it('refuses an untrusted certificate by default (deferred), and ?tls=off stays in clear text', async () => {
    const server = await startServer({ disabledCommands: ['AUTH'] });
    const strict = createLeanSmtpTransport({ url: `smtp://127.0.0.1:${server.port}` });
    const untrusted = await strict.send(email('strict@rcpt.example'));
    await strict.close();
    expect(untrusted).toMatchObject({ kind: 'deferred', code: null });
    expect(untrusted.response).toMatch(/TLS negotiation failed/);
    const clear = createLeanSmtpTransport({ url: `smtp://127.0.0.1:${server.port}?tls=off` });
    expect((await clear.send(email('clear@rcpt.example'))).kind).toBe('sent');
    await clear.close();
    await server.close();
    expect(server.received).toHaveLength(1);
    expect(server.received[0].secure).toBe(false);
  });

  it('speaks TLS from the first byte for smtps://', async () => {
    const server = await startServer({ secure: true, disabledCommands: ['AUTH'] });
    const transport = createLeanSmtpTransport({ url: `smtps://127.0.0.1:${server.port}?tls.rejectUnauthorized=false` });
    const outcomes = await Promise.all([transport.send(email('s1@rcpt.example')), transport.send(email('s2@rcpt.example'))]);
    await transport.close();
    await server.close();
    expect(outcomes.map((o) => o.kind)).toEqual(['sent', 'sent']);
    expect(server.received.every((r) => r.secure)).toBe(true);
  });
});

// ---- Postfix's smtp-sink, a C server, when installed ----

const POSTFIX_SMTP_SINK = '/usr/sbin/smtp-sink';
const hasPostfixSink = fs.existsSync(POSTFIX_SMTP_SINK);

describe.skipIf(!hasPostfixSink)("lean SMTP transport against Postfix's smtp-sink", () => {
  let child: ChildProcess;
  let port: number;
  let dumpDir: string;
  beforeAll(async () => {
    port = await freePort();
    dumpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lean-smtp-sink-'));
    fs.chmodSync(dumpDir, 0o777);
    const args = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
    // -d: one file per transaction, so every message that arrived can be counted.
    child = spawn(POSTFIX_SMTP_SINK, [...args, '-d', `${dumpDir}/%M.`, `127.0.0.1:${port}`, '64'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        s.once('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.once('error', () => resolve(false));
      });
      if (ok) break;
      await new Promise((r) => setTimeout(r, 30));
    }
  });
  afterAll(() => {
    child.kill('SIGTERM');
    fs.rmSync(dumpDir, { recursive: true, force: true });
  });

  it('delivers 500 pipelined messages over 5 connections, each once', async () => {
    const transport = createLeanSmtpTransport({ url: `smtp://127.0.0.1:${port}` });
    const outcomes = await Promise.all(Array.from({ length: 500 }, (_, i) => transport.send(email(`pf${i}@rcpt.example`))));
    await transport.close();
    expect(outcomes.every((o) => o.kind === 'sent' && o.response.startsWith('250'))).toBe(true);
    const files = fs.readdirSync(dumpDir);
    const ids = files.map((f) => /^Message-ID: <([^>]+)>/m.exec(fs.readFileSync(path.join(dumpDir, f), 'latin1'))?.[1]);
    expect(new Set(ids).size).toBe(500);
  });
});

function dkimKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
  return { pem, record };
}

describe('lean SMTP transport: DKIM', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink.close();
  });

  it('signs so that the published record verifies it, and a changed body or header does not', async () => {
    const { pem, record } = dkimKeyPair();
    const other = dkimKeyPair();
    const key = { domainName: 'acme.example', keySelector: 'herald', privateKey: pem };
    const transport = createLeanSmtpTransport({ url: sink.url });
    const messages = [
      email('ann@rcpt.example', {
        subject: 'Signed  news,\tfolded',
        dkim: key,
        headers: { 'X-Campaign': '7', 'List-Unsubscribe': '<https://herald.example/u/abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      }),
      // Non-ASCII subject folded over encoded words, quoted-printable body with trailing spaces and dots.
      email('Bärbel <bea@rcpt.example>', {
        subject: 'Grüße aus Köln — ein sehr langer Betreff, der über mehrere kodierte Wörter gefaltet werden muss',
        text: `Grüße   \n.dot\n\n\n${'long '.repeat(300)}`,
        html: '<p>Hallo  <b>Bärbel</b></p>   ',
        dkim: key,
      }),
    ];
    for (const m of messages) expect((await transport.send(m)).kind).toBe('sent');
    // A key that cannot be parsed fails the message as the sender's problem, without sending.
    const before = sink.count();
    expect(await transport.send(email('x@rcpt.example', { dkim: { ...key, privateKey: 'not a key' } }))).toMatchObject({
      kind: 'failed',
      failureClass: 'sender_policy',
    });
    await transport.close();
    expect(sink.count()).toBe(before);

    for (const got of sink.messages.slice(-2)) {
      const { ok, tags } = verifyDkim(got.raw, record);
      expect(tags.d).toBe('acme.example');
      expect(tags.s).toBe('herald');
      expect(ok).toBe(true);
      const signed = tags.h.toLowerCase().split(':');
      expect(signed).toEqual(expect.arrayContaining(['from', 'to', 'subject', 'date', 'message-id', 'mime-version', 'content-type']));
      expect(verifyDkim(got.raw.replace(/^Subject: .*$/m, 'Subject: changed'), record).ok).toBe(false);
      expect(verifyDkim(got.raw, other.record).ok).toBe(false);
    }
    const first = sink.messages.at(-2)!.raw;
    expect(verifyDkim(first, record).tags.h.toLowerCase().split(':')).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post']));
    expect(verifyDkim(first.replace('List-Unsubscribe=One-Click', 'List-Unsubscribe=Other'), record).ok).toBe(false);
    expect(verifyDkim(first.replace('Hello <b>', 'Hallo <b>'), record).ok).toBe(false);
  });
});
