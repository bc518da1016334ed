// Events after the hand-off: one batch writes the event rows and the first time of each outcome
// on the ledger row; events of another account never touch a message.
import { expect, it } from 'vitest';
import type { Actor } from '../src/app/deps.ts';
import { recordEvents } from '../src/app/events/record-events.ts';
import { describeEachDialect } from './support/dialects.ts';
import { seedAccount, seedContacts, seedList } from './support/seed.ts';

describeEachDialect('recording events', (get) => {
  it('writes events and keeps the first open, first human open and first click on the message', async () => {
    const env = get();
    const accountId = await seedAccount(env.deps, 'Events');
    const other = await seedAccount(env.deps, 'Other');
    const actor: Actor = { accountId, role: 'owner', label: 'test' };
    const list = await seedList(env.store.db, accountId, 'L');
    const [contact] = await seedContacts(env.store.db, accountId, [{ email: 'e@example.com', lists: [[list, 'subscribed']] }]);
    const T = '2026-03-02T10:00:00.000Z';
    const campaign = await env.store.db.insertInto('campaigns').values({ account_id: accountId, name: 'C', channel: 'email', kind: 'one-off', status: 'completed', template_id: null, from_email: null, from_name: null, reply_to: null, audience: '{}', scheduled_at: null, created_at: T, updated_at: T }).returning('id').executeTakeFirstOrThrow();
    const delivery = await env.store.db.insertInto('deliveries').values({ account_id: accountId, campaign_id: campaign.id, status: 'completed', scheduled_at: T, prepared_at: T, started_at: T, finished_at: T, status_reason: null, created_at: T, updated_at: T }).returning('id').executeTakeFirstOrThrow();
    const message = await env.store.db.insertInto('messages').values({ account_id: accountId, delivery_id: delivery.id, campaign_id: campaign.id, contact_id: contact, channel: 'email', address: 'e@example.com', status: 'sent', reason: null, next_attempt_at: null, sent_at: T, created_at: T, updated_at: T }).returning('id').executeTakeFirstOrThrow();
    void actor;

    const n = await recordEvents(env.deps, [
      { accountId, messageId: message.id, type: 'opened', occurredAt: '2026-03-02T10:00:05.000Z', machine: true, data: { why: 'privacy proxy' } },
      { accountId, messageId: message.id, type: 'opened', occurredAt: '2026-03-02T11:00:00.000Z', machine: false },
      { accountId, messageId: message.id, type: 'clicked', occurredAt: '2026-03-02T11:00:10.000Z', machine: false, data: { url: 'https://example.com/a' } },
      { accountId, messageId: message.id, type: 'clicked', occurredAt: '2026-03-02T11:00:20.000Z', machine: false, data: { url: 'https://example.com/b' } },
      // Another account's event that names this message does not touch it.
      { accountId: other, messageId: message.id, type: 'complained', occurredAt: '2026-03-02T12:00:00.000Z' },
    ]);
    expect(n).toBe(5);
    const row = await env.store.db.selectFrom('messages').selectAll().where('id', '=', message.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      opened_at: '2026-03-02T10:00:05.000Z',
      human_opened_at: '2026-03-02T11:00:00.000Z',
      clicked_at: '2026-03-02T11:00:10.000Z',
      human_clicked_at: '2026-03-02T11:00:10.000Z',
      complained_at: null,
    });
    const events = await env.store.db.selectFrom('message_events').selectAll().orderBy('id').execute();
    expect(events.map((e) => [e.type, e.machine, e.message_id, e.campaign_id, e.contact_id])).toEqual([
      ['opened', 1, message.id, campaign.id, contact],
      ['opened', 0, message.id, campaign.id, contact],
      ['clicked', 0, message.id, campaign.id, contact],
      ['clicked', 0, message.id, campaign.id, contact],
      ['complained', null, null, null, null],
    ]);
    expect(JSON.parse(events[2].data)).toEqual({ url: 'https://example.com/a' });
  });
});
