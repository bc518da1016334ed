// RFC 8058 one-click unsubscribe from the link in a real sent message: GET never unsubscribes,
// POST List-Unsubscribe=One-Click does at once, replays change nothing, forged tokens get 404,
// and the next send to the same list skips the contact with the reason `unsubscribed`.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { campaignStats } from '../src/app/campaigns/campaign-stats.ts';
import { sendCampaign } from '../src/app/campaigns/send-campaign.ts';
import { createCampaign } from '../src/app/campaigns/write-campaign.ts';
import type { Actor } from '../src/app/deps.ts';
import { buildServer } from '../src/http/server.ts';
import { createSmtpTransport } from '../src/transports/email/smtp-transport.ts';
import { createDeliveryWorker } from '../src/workers/delivery-worker.ts';
import { describeEachDialect } from './support/dialects.ts';
import { seedAccount, seedContacts, seedList, seedTemplate } from './support/seed.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';

describeEachDialect('one-click unsubscribe', (get) => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  it('unsubscribes by POST only, idempotently, and the next send skips the contact', async () => {
    const env = get();
    const accountId = await seedAccount(env.deps, 'Shop');
    const actor: Actor = { accountId, role: 'owner', label: 'test' };
    const list = await seedList(env.store.db, accountId, 'News');
    const template = await seedTemplate(env.store.db, accountId);
    await seedContacts(env.store.db, accountId, [
      { email: 'leaver@example.com', lists: [[list, 'subscribed']] },
      { email: 'stayer@example.com', lists: [[list, 'subscribed']] },
    ]);
    const transport = createSmtpTransport({ url: sink.url });
    const worker = createDeliveryWorker(env.deps, transport);
    const app = await buildServer(env.deps);
    try {
      const first = await createCampaign(env.deps, actor, { name: 'One', template_id: template, from_email: 'shop@example.com', audience: { list_ids: [list] } });
      await sendCampaign(env.deps, actor, first.id);
      while (await worker.tick()) {}
      const mail = sink.messages.find((m) => m.to.includes('leaver@example.com'))!;
      const url = new URL(mail.headers['list-unsubscribe'].slice(1, -1));
      expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      expect(mail.raw).toContain(url.pathname);

      const shown = await app.inject({ method: 'GET', url: url.pathname });
      expect(shown.statusCode).toBe(200);
      expect(shown.body).toContain('News');
      const status = () =>
        env.store.db.selectFrom('subscriptions').innerJoin('contacts', 'contacts.id', 'subscriptions.contact_id').select(['contacts.email', 'subscriptions.status', 'subscriptions.source']).where('subscriptions.list_id', '=', list).orderBy('contacts.email').execute();
      expect((await status()).map((s) => s.status)).toEqual(['subscribed', 'subscribed']);

      const wrongBody = await app.inject({ method: 'POST', url: url.pathname, payload: 'foo=bar', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(wrongBody.statusCode).toBe(422);
      const post = () => app.inject({ method: 'POST', url: url.pathname, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      const done = await post();
      expect(done.statusCode).toBe(200);
      expect(done.json()).toEqual({ unsubscribed: true, lists: ['News'] });
      expect(await status()).toEqual([
        { email: 'leaver@example.com', status: 'unsubscribed', source: 'one-click' },
        { email: 'stayer@example.com', status: 'subscribed', source: 'test' },
      ]);
      expect((await post()).statusCode).toBe(200);

      const forged = url.pathname.slice(0, -3) + (url.pathname.endsWith('AAA') ? 'BBB' : 'AAA');
      expect((await app.inject({ method: 'POST', url: forged, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/u/garbage' })).statusCode).toBe(404);

      const second = await createCampaign(env.deps, actor, { name: 'Two', template_id: template, from_email: 'shop@example.com', audience: { list_ids: [list] } });
      await sendCampaign(env.deps, actor, second.id);
      while (await worker.tick()) {}
      const stats = await campaignStats(env.deps, actor, second.id);
      expect(stats.sent).toBe(1);
      expect(stats.by_reason).toEqual([expect.objectContaining({ reason: 'unsubscribed', count: 1 })]);
    } finally {
      await app.close();
      await transport.close();
    }
  });
});
