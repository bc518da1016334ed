// The bounce receiver end to end: real messages over real SMTP (nodemailer) to the receiver, on
// both dialects. Ledger rows come from a real send through the worker to an SMTP sink; reports
// are corpus messages with the original Message-ID and recipient replaced by a real row's, and
// crafted DSNs addressed to VERP return paths.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendCampaign } from '../src/app/campaigns/send-campaign.ts';
import { createCampaign } from '../src/app/campaigns/write-campaign.ts';
import type { Actor } from '../src/app/deps.ts';
import { verpAddress } from '../src/core/bounces/verp.ts';
import { type RunningBounceReceiver, startBounceReceiver } from '../src/inbound/bounce-receiver.ts';
import { createSmtpTransport } from '../src/transports/email/smtp-transport.ts';
import { createDeliveryWorker } from '../src/workers/delivery-worker.ts';
import { describeEachDialect } from './support/dialects.ts';
import { seedAccount, seedContacts, seedList, seedTemplate } from './support/seed.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';

const CORPUS = path.resolve(import.meta.dirname, '../../shared/corpora/bounces');
const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/bounces');
const DOMAIN = 'bounce.shop.example';

function corpus(file: string): string {
  try {
    return readFileSync(path.join(CORPUS, file), 'utf8');
  } catch {
    throw new Error(`the bounce corpus is missing: expected ${CORPUS}/${file} (shared/ beside the repository)`);
  }
}

function fill(template: string, values: Record<string, string>): string {
  let out = readFileSync(path.join(FIXTURES, template), 'utf8');
  for (const [k, v] of Object.entries(values)) out = out.replaceAll(`{{${k}}}`, v);
  return out;
}

describeEachDialect('bounce receiver', (get) => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  it('applies hard, soft, policy, complaint and auto-reply reports to the right rows, and ignores forgeries', async () => {
    const env = get();
    const { deps } = env;
    const secret = deps.config.secret;
    const accountId = await seedAccount(deps, 'Shop');
    const other = await seedAccount(deps, 'Other');
    const actor: Actor = { accountId, role: 'owner', label: 'test' };
    const list = await seedList(env.store.db, accountId, 'News');
    const template = await seedTemplate(env.store.db, accountId);
    const people = ['hard', 'soft', 'policy', 'complainer', 'away', 'forged'].map((p) => `${p}@example.com`);
    await seedContacts(env.store.db, accountId, people.map((email) => ({ email, lists: [[list, 'subscribed']] })));
    const worker = createDeliveryWorker(deps, createSmtpTransport({ url: sink.url }));
    const campaign = await createCampaign(deps, actor, { name: 'Spring', template_id: template, from_email: 'news@example.com', audience: { list_ids: [list] } });
    await sendCampaign(deps, actor, campaign.id);
    while (await worker.tick()) {}
    const rows = await env.store.db.selectFrom('messages').select(['id', 'address', 'message_id_header', 'status']).where('account_id', '=', accountId).execute();
    const row = (local: string) => rows.find((r) => r.address === `${local}@example.com`)!;
    expect(rows.every((r) => r.status === 'sent' && r.message_id_header)).toBe(true);

    const receiver: RunningBounceReceiver = await startBounceReceiver(deps, { host: '127.0.0.1', port: 0, domain: DOMAIN });
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: receiver.port, secure: false, ignoreTLS: true });
    const send = (to: string, raw: string) => smtp.sendMail({ envelope: { from: '', to }, raw });
    const events = async (local: string) =>
      (await env.store.db.selectFrom('message_events').select(['type', 'data', 'account_id']).where('message_id', '=', row(local).id).where('type', '!=', 'sent').orderBy('id').execute()).map((e): Record<string, unknown> => ({
        type: e.type,
        account: e.account_id,
        ...(JSON.parse(e.data) as Record<string, unknown>),
      }));
    const suppressed = async () =>
      (await env.store.db.selectFrom('suppressions').select(['address', 'reason', 'account_id']).orderBy('address').execute()).map((s) => [s.account_id, s.address, s.reason]);
    const bounceClass = async (local: string) =>
      (await env.store.db.selectFrom('messages').select('bounce_class').where('id', '=', row(local).id).executeTakeFirstOrThrow()).bounce_class;

    try {
      // 1. A real Postfix DSN (5.1.1), linked by the original Message-ID only (no VERP).
      const hard = corpus('lhost-postfix-33.eml')
        .replaceAll('userunknown@libsisimai.org', row('hard').address!)
        .replace(/^(Message-I[Dd]:\s*)<[^>]+>/m, '$1<postfix-33@mx.example>');
      const quotedId = /Content-Type: message\/rfc822[\s\S]*?^Message-I[Dd]:\s*<([^>]+)>/im.exec(hard)?.[1];
      expect(quotedId).toBeTruthy();
      await send(`postmaster@${DOMAIN}`, hard.replaceAll(quotedId!, row('hard').message_id_header!));
      expect(await events('hard')).toMatchObject([{ type: 'bounced', account: accountId, class: 'hard', status: '5.1.1', source: 'smtp', via: 'message_id' }]);
      expect(await bounceClass('hard')).toBe('hard');
      expect(await suppressed()).toEqual([[accountId, 'hard@example.com', 'bounce']]);

      // 2. Soft (mailbox full, 4.2.2) via VERP: suppressed at the third within 7 days, not before;
      // the same report delivered twice counts once.
      const soft = (n: number) =>
        fill('dsn-template.eml', {
          VERP: verpAddress(secret, row('soft').id, DOMAIN),
          RCPT: 'soft@example.com',
          REPORT_ID: `soft-${n}`,
          STATUS: '4.2.2',
          ACTION: 'failed',
          DIAGNOSTIC: '452 4.2.2 Mailbox full',
        });
      await send(verpAddress(secret, row('soft').id, DOMAIN), soft(1));
      await send(verpAddress(secret, row('soft').id, DOMAIN), soft(1));
      env.clock.advance(86_400_000);
      await send(verpAddress(secret, row('soft').id, DOMAIN), soft(2));
      expect((await events('soft')).map((e) => [e.type, e.class, e.status, e.via])).toEqual([
        ['bounced', 'soft', '4.2.2', 'verp'],
        ['bounced', 'soft', '4.2.2', 'verp'],
      ]);
      expect((await suppressed()).map((s) => s[1])).not.toContain('soft@example.com');
      env.clock.advance(86_400_000);
      await send(verpAddress(secret, row('soft').id, DOMAIN), soft(3));
      expect(await suppressed()).toContainEqual([accountId, 'soft@example.com', 'bounce']);
      expect(await bounceClass('soft')).toBe('soft');

      // 3. A policy refusal (5.7.1 DMARC) via a plain-text notice: an event with a warning, no suppression.
      await send(
        verpAddress(secret, row('policy').id, DOMAIN),
        fill('qmail-template.eml', {
          VERP: verpAddress(secret, row('policy').id, DOMAIN),
          RCPT: 'policy@example.com',
          REPORT_ID: 'policy-1',
          DIAGNOSTIC: '550 5.7.1 Email rejected per DMARC policy for shop.example',
        }),
      );
      const policy = await events('policy');
      expect(policy).toMatchObject([{ type: 'bounced', class: 'sender_policy', status: '5.7.1' }]);
      expect(policy[0].warning).toMatch(/not suppressed/);
      expect(await bounceClass('policy')).toBe('sender_policy');

      // 4. A real ARF complaint, its original Message-ID and recipient replaced.
      const arf = corpus('arf-17.eml')
        .replaceAll('EEEEEEEE-0000-0000-0000-EEEEEEEE2222@example.net', row('complainer').message_id_header!)
        .replaceAll('kijitora@example.com', row('complainer').address!);
      await send(`fbl@${DOMAIN}`, arf);
      expect(await events('complainer')).toMatchObject([{ type: 'complained', feedback_type: 'abuse' }]);
      expect(await suppressed()).toContainEqual([accountId, 'complainer@example.com', 'complaint']);
      const complained = await env.store.db.selectFrom('messages').select('complained_at').where('id', '=', row('complainer').id).executeTakeFirstOrThrow();
      expect(complained.complained_at).not.toBeNull();

      // 5. A real auto-reply, In-Reply-To pointing at our message.
      const auto = corpus('rfc3834-03.eml')
        .replaceAll('25203A4E-F90F-4A14-BF51-3E7B9D39BE8E@libsisimai.org', row('away').message_id_header!)
        .replaceAll('kijitora@apple.example.com', row('away').address!);
      await send(`postmaster@${DOMAIN}`, auto);
      expect(await events('away')).toMatchObject([{ type: 'auto_reply' }]);

      // 6. Forgeries and strangers: a VERP with a bad signature, a report matching no message,
      // another domain, garbage. None touches anything.
      const before = await suppressed();
      const forged = `bounces+${row('forged').id}-0123456789abcdef@${DOMAIN}`;
      await send(forged, fill('dsn-template.eml', { VERP: forged, RCPT: 'forged@example.com', REPORT_ID: 'f1', STATUS: '5.1.1', ACTION: 'failed', DIAGNOSTIC: '550 5.1.1 User unknown' }));
      await send(`postmaster@${DOMAIN}`, corpus('lhost-postfix-33.eml'));
      await send(`postmaster@${DOMAIN}`, readFileSync(path.join(FIXTURES, 'garbage.eml'), 'utf8'));
      await expect(send(`bounces@elsewhere.example`, corpus('lhost-postfix-33.eml'))).rejects.toThrow(/550/);
      expect(await events('forged')).toEqual([]);
      expect(await suppressed()).toEqual(before);
      const strangers = await env.store.db.selectFrom('message_events').select('id').where('account_id', '=', other).execute();
      expect(strangers).toEqual([]);
    } finally {
      smtp.close();
      await receiver.close();
    }
  });

  it('refuses messages over the size limit with 552 and keeps running', async () => {
    const env = get();
    const receiver = await startBounceReceiver(env.deps, { host: '127.0.0.1', port: 0, domain: null, sizeLimit: 2000 });
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: receiver.port, secure: false, ignoreTLS: true });
    try {
      const big = `Subject: big\r\n\r\n${'x'.repeat(5000)}\r\n`;
      await expect(smtp.sendMail({ envelope: { from: '', to: 'a@any.example' }, raw: big })).rejects.toThrow(/552/);
      const ok = await smtp.sendMail({ envelope: { from: '', to: 'a@any.example' }, raw: 'Subject: hello\r\n\r\nnot a report\r\n' });
      expect(ok.response).toMatch(/^250/);
    } finally {
      smtp.close();
      await receiver.close();
    }
  });
});
