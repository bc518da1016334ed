
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/app/accounts/bootstrap.ts';
import { addSenderDomain } from '../src/app/sender-domains/add-sender-domain.ts';
import { dkimKeyFor } from '../src/app/sender-domains/dkim-key-for.ts';
import { createSmtpTransport } from '../src/transports/email/smtp-transport.ts';
import { verifyDkim } from './support/dkim-verify.ts';
import { REPLIES, emailFactory, freePort } from './support/transport-fixtures.ts';
import { describeEachDialect } from './support/dialects.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';

const email = emailFactory('m');

describe('SMTP transport', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink({ replyFor: (rcpt) => REPLIES[rcpt] ?? null });
  });
  afterAll(async () => {
    await sink.close();
  });

  it('sends every field and keeps the accepting reply', async () => {
    const transport = createSmtpTransport({ url: sink.url });
    const before = sink.count();
    const outcome = await transport.send(
      email('ann@rcpt.example', {
        replyTo: 'help@acme.example',
        envelopeFrom: 'bounces+m1@acme.example',
        headers: { 'X-Herald-Message': '42', 'List-Unsubscribe': '<https://herald.example/u/abc>' },
        subject: 'Grüße aus Köln',
      }),
    );
    await transport.close();
    expect(outcome).toEqual({ kind: 'sent', response: `250 2.0.0 Ok: queued as S${before + 1}` });
    const got = sink.messages.at(-1)!;
    expect(got.from).toBe('bounces+m1@acme.example');
    expect(got.to).toEqual(['ann@rcpt.example']);
    expect(got.subject).toBe('Grüße aus Köln');
    expect(got.messageId).toBe(email.lastMessageId());
    expect(got.headers['from']).toBe('Acme News <news@acme.example>');
    expect(got.headers['reply-to']).toBe('help@acme.example');
    expect(got.headers['x-herald-message']).toBe('42');
    expect(got.headers['list-unsubscribe']).toBe('<https://herald.example/u/abc>');
    expect(got.raw).toContain('<p>Hello <b>');
    expect(got.raw).toMatch(/text\/plain/);
  });

  it('classifies refusals and never throws for them', async () => {
    const transport = createSmtpTransport({ url: sink.url });
    const [gone, spam, grey, full] = await Promise.all([
      transport.send(email('gone@rcpt.example')),
      transport.send(email('spam@rcpt.example')),
      transport.send(email('grey@rcpt.example')),
      transport.send(email('full@rcpt.example')),
    ]);
    expect(gone).toMatchObject({ kind: 'failed', code: 550, failureClass: 'recipient' });
    expect(gone.response).toContain('5.1.1');
    expect(spam).toMatchObject({ kind: 'failed', code: 554, failureClass: 'sender_policy' });
    expect(grey).toEqual({ kind: 'deferred', code: 451, response: '451 4.7.1 <grey@rcpt.example>: Recipient address rejected: Greylisted' });
    expect(full).toMatchObject({ kind: 'deferred', code: 452 });
    await transport.close();
  });

  it('defers a 421 that closes the connection, and the pool carries on', async () => {
    const transport = createSmtpTransport({ url: sink.url, pool: { maxConnections: 1 } });
    const busy = await transport.send(email('busy@rcpt.example'));
    const after = await transport.send(email('after-busy@rcpt.example'));
    await transport.close();
    expect(busy).toMatchObject({ kind: 'deferred', code: 421 });
    expect(busy.response).toContain('Try again later');
    expect(after.kind).toBe('sent');
  });

  it('defers when the server is down, saying so', async () => {
    const port = await freePort();
    const transport = createSmtpTransport({ url: `smtp://127.0.0.1:${port}` });
    const outcome = await transport.send(email('ann@rcpt.example'));
    await transport.close();
    expect(outcome.kind).toBe('deferred');
    expect(outcome).toMatchObject({ code: null });
    expect(outcome.response).toMatch(/connection refused .*ECONNREFUSED/);
  });

  it('defers when the server does not answer in time', async () => {
    const slow = await startSmtpSink({ delayMs: 600 });
    const transport = createSmtpTransport({ url: slow.url, timeouts: { socketMs: 150 } });
    const outcome = await transport.send(email('ann@rcpt.example'));
    await transport.close();
    await slow.close();
    expect(outcome).toMatchObject({ kind: 'deferred', code: null });
    expect(outcome.response).toMatch(/timed out/);
  });

  it('delivers a burst with 20 in flight, each message exactly once, and close waits for all', async () => {
    const transport = createSmtpTransport({ url: sink.url });
    const before = sink.count();
    const total = 400;
    let next = 0;
    const outcomes: string[] = [];
    const ids: string[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < total) {
          next += 1;
          const m = email(`burst${next}@rcpt.example`);
          ids.push(m.messageId);
          outcomes.push((await transport.send(m)).kind);
        }
      }),
    );
    // A last few handed over without waiting: close() must let them finish.
    const late = [transport.send(email('late1@rcpt.example')), transport.send(email('late2@rcpt.example'))];
    await transport.close();
    expect((await Promise.all(late)).map((o) => o.kind)).toEqual(['sent', 'sent']);
    expect(outcomes.filter((k) => k === 'sent')).toHaveLength(total);
    expect(sink.count() - before).toBe(total + 2);
    const received = new Set(sink.messageIds.slice(before));
    expect(received.size).toBe(total + 2);
    for (const id of ids) expect(received.has(id)).toBe(true);
    // After close, a send is refused as deferred rather than lost or thrown.
    expect(await transport.send(email('after-close@rcpt.example'))).toMatchObject({ kind: 'deferred' });
  });
});

// ---- DKIM verification (RFC 6376, relaxed/relaxed, rsa-sha256), independent of nodemailer ----

describeEachDialect('DKIM signing through the SMTP transport', (get) => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink.close();
  });

  it('signs with the sender domain key so that the published record verifies it', async () => {
    const { deps } = get();
    const accountId = await createAccount(deps, { name: 'Acme' });
    const actor = { accountId, role: 'owner', label: 'test' };
    const domain = await addSenderDomain(deps, actor, { domain: 'Acme.example', generate_dkim: true });
    const key = await dkimKeyFor(deps, accountId, 'NEWS@ACME.EXAMPLE');
    expect(key).toMatchObject({ domainName: 'acme.example', keySelector: 'herald' });

    const transport = createSmtpTransport({ url: sink.url });
    const outcome = await transport.send(
      email('ann@rcpt.example', {
        subject: 'Signed  news,\tfolded',
        dkim: key,
        headers: { 'X-Campaign': '7', 'List-Unsubscribe': '<https://herald.example/u/abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      }),
    );
    await transport.close();
    expect(outcome.kind).toBe('sent');
    const got = sink.messages.at(-1)!;
    expect(got.headers['dkim-signature']).toBeDefined();
    const { ok, tags } = verifyDkim(got.raw, domain.dkim_dns_record!.value);
    expect(tags.d).toBe('acme.example');
    expect(tags.s).toBe('herald');
    expect(tags.h.toLowerCase()).toContain('from');
    // RFC 8058: the one-click pair must be covered by the signature.
    expect(tags.h.toLowerCase().split(':')).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post']));
    expect(ok).toBe(true);
    expect(verifyDkim(got.raw.replace('List-Unsubscribe=One-Click', 'List-Unsubscribe=Other'), domain.dkim_dns_record!.value).ok).toBe(false);

    // The verifier can fail: a changed body or a changed signed header breaks it.
    expect(verifyDkim(got.raw.replace('Hello <b>', 'Hallo <b>'), domain.dkim_dns_record!.value).ok).toBe(false);
    expect(verifyDkim(got.raw.replace(/^Subject: .*$/m, 'Subject: changed'), domain.dkim_dns_record!.value).ok).toBe(false);
    // …and another key's record does not verify it.
    const other = await addSenderDomain(deps, actor, { domain: 'other.example', generate_dkim: true });
    expect(verifyDkim(got.raw, other.dkim_dns_record!.value).ok).toBe(false);
  });

  it('picks the From domain, else its nearest parent, and only within the account', async () => {
    const { deps } = get();
    const a = await createAccount(deps, { name: 'A' });
    const b = await createAccount(deps, { name: 'B' });
    const actorA = { accountId: a, role: 'owner', label: 'test' };
    await addSenderDomain(deps, actorA, { domain: 'shop.example', generate_dkim: true, dkim_selector: 'root' });
    await addSenderDomain(deps, actorA, { domain: 'mail.shop.example', generate_dkim: true, dkim_selector: 'sub' });
    await addSenderDomain(deps, actorA, { domain: 'nokey.example' });
    expect(await dkimKeyFor(deps, a, 'x@mail.shop.example')).toMatchObject({ domainName: 'mail.shop.example', keySelector: 'sub' });
    expect(await dkimKeyFor(deps, a, 'x@news.shop.example')).toMatchObject({ domainName: 'shop.example', keySelector: 'root' });
    expect(await dkimKeyFor(deps, a, 'Shop <x@SHOP.example>')).toMatchObject({ domainName: 'shop.example' });
    expect(await dkimKeyFor(deps, a, 'x@nokey.example')).toBeNull();
    expect(await dkimKeyFor(deps, a, 'x@elsewhere.example')).toBeNull();
    expect(await dkimKeyFor(deps, a, 'not an address')).toBeNull();
    expect(await dkimKeyFor(deps, b, 'x@shop.example')).toBeNull();
  });
});
