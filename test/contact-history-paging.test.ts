// F4.6 "every message appears in the recipient's history": a batch is sent within one millisecond,
// so many timeline items share a time. Paging with a small limit must still return each item
// exactly once, in (time, kind, id) order, on both dialects.
import { expect, it } from 'vitest';
import { contactHistory } from '../src/app/contacts/contact-history.ts';
import type { Actor } from '../src/app/deps.ts';
import { describeEachDialect } from './support/dialects.ts';
import { seedAccount, seedContacts, seedList } from './support/seed.ts';

describeEachDialect('contact history paging', (get) => {
  it('pages through items that share a timestamp without skipping or repeating any', async () => {
    const { deps, store } = get();
    const accountId = await seedAccount(deps, 'Paging');
    const actor: Actor = { accountId, role: 'owner', label: 'test' };
    const list = await seedList(store.db, accountId, 'L');
    const [contactId] = await seedContacts(store.db, accountId, [{ email: 'same@example.com', lists: [[list, 'subscribed']] }]);
    const T = '2026-03-02T10:00:00.000Z';
    const campaign = await store.db
      .insertInto('campaigns')
      .values({ account_id: accountId, name: 'C', channel: 'email', kind: 'one-off', status: 'completed', template_id: null, from_email: null, from_name: null, reply_to: null, audience: '{}', scheduled_at: null, created_by: 'test', created_at: T, updated_at: T })
      .returning('id')
      .executeTakeFirstOrThrow();
    const messageIds: number[] = [];
    for (let d = 0; d < 5; d++) {
      const delivery = await store.db
        .insertInto('deliveries')
        .values({ account_id: accountId, campaign_id: campaign.id, status: 'completed', scheduled_at: T, prepared_at: T, started_at: T, finished_at: T, status_reason: null, run_key: `r${d}`, audience: null, context: null, created_by: 'test', created_at: T, updated_at: T })
        .returning('id')
        .executeTakeFirstOrThrow();
      const m = await store.db
        .insertInto('messages')
        .values({ account_id: accountId, delivery_id: delivery.id, campaign_id: campaign.id, contact_id: contactId, channel: 'email', address: 'same@example.com', status: 'sent', reason: null, next_attempt_at: null, sent_at: T, created_at: T, updated_at: T })
        .returning('id')
        .executeTakeFirstOrThrow();
      messageIds.push(m.id);
      // Two events per message, at the very same time as the hand-off.
      for (const type of ['delivered', 'opened']) {
        await store.db
          .insertInto('message_events')
          .values({ account_id: accountId, campaign_id: campaign.id, delivery_id: delivery.id, message_id: m.id, contact_id: contactId, type, machine: type === 'opened' ? 0 : null, occurred_at: T, created_at: T })
          .execute();
      }
    }

    const seen: string[] = [];
    let before: string | undefined;
    for (let page = 0; page < 20; page++) {
      const r = await contactHistory(deps, actor, String(contactId), { limit: 2, before });
      seen.push(...r.items.map((i) => `${i.kind}:${i.message_id}:${i.type}`));
      if (!r.next_before) break;
      before = r.next_before;
    }
    expect(seen).toHaveLength(15);
    expect(new Set(seen).size).toBe(15);
    // Messages first at equal times (newest id first), then the events.
    expect(seen.slice(0, 5)).toEqual([...messageIds].reverse().map((id) => `message:${id}:sent`));

    // A plain time still works as a cursor, and a malformed cursor names the field.
    expect((await contactHistory(deps, actor, String(contactId), { limit: 50, before: T })).items).toHaveLength(0);
    await expect(contactHistory(deps, actor, String(contactId), { limit: 5, before: 'x~y' })).rejects.toMatchObject({ field: 'before' });
  });
});
