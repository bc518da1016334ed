import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from './support/dialects.ts';
import { createTestApi, type TestApi } from './support/http.ts';

describeEachDialect('lists and subscriptions API', (get) => {
  let api: TestApi;
  let contactIds: number[];
  beforeAll(async () => {
    api = await createTestApi(get());
    const bulk = await api.call('POST', '/api/v1/contacts/bulk', {
      contacts: [{ email: 'l1@example.com' }, { email: 'l2@example.com' }, { email: 'l3@example.com' }, { phone: '+4917012345678' }],
    });
    contactIds = bulk.json.ids;
  });

  it('creates, reads, renames and deletes a list; names are unique per account', async () => {
    const created = await api.call('POST', '/api/v1/lists', { name: ' Newsletter ', description: 'monthly' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'Newsletter',
      description: 'monthly',
      opt_in: 'single',
      counts: { subscribed: 0, unconfirmed: 0, unsubscribed: 0, total: 0 },
    });
    const dup = await api.call('POST', '/api/v1/lists', { name: 'Newsletter' });
    expect(dup.status).toBe(409);
    expect(dup.json.error).toMatchObject({ code: 'conflict', field: 'name' });

    const other = await api.call('POST', '/api/v1/lists', { name: 'Offers', opt_in: 'double' });
    const rename = await api.call('PATCH', `/api/v1/lists/${other.json.id}`, { name: 'Newsletter' });
    expect(rename.status).toBe(409);
    const renamed = await api.call('PATCH', `/api/v1/lists/${other.json.id}`, { name: 'Special offers', description: null });
    expect(renamed.json).toMatchObject({ name: 'Special offers', description: null, opt_in: 'double' });

    const page = await api.call('GET', '/api/v1/lists?limit=1');
    expect(page.json.items).toHaveLength(1);
    expect(page.json.next_after).toBe(page.json.items[0].id);

    const bad = await api.call('POST', '/api/v1/lists', { name: 'X', opt_in: 'triple' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('opt_in');

    const del = await api.call('DELETE', `/api/v1/lists/${other.json.id}`);
    expect(del.json).toMatchObject({ id: other.json.id, deleted: true });
    expect((await api.call('GET', `/api/v1/lists/${other.json.id}`)).status).toBe(404);
  });

  it('subscribes and unsubscribes contacts, counts them per status, filters members', async () => {
    const list = await api.call('POST', '/api/v1/lists', { name: 'Members' });
    const id = list.json.id;
    const sub = await api.call('POST', `/api/v1/lists/${id}/subscriptions`, { contact_ids: contactIds });
    expect(sub.json).toMatchObject({ list_id: id, status: 'subscribed', contacts: 4 });
    const pending = await api.call('POST', `/api/v1/lists/${id}/subscriptions`, { contact_ids: [contactIds[1]], status: 'unconfirmed', source: 'signup-form' });
    expect(pending.status).toBe(200);
    const unsub = await api.call('DELETE', `/api/v1/lists/${id}/subscriptions/${contactIds[2]}`);
    expect(unsub.json).toMatchObject({ list_id: id, contact_id: contactIds[2], status: 'unsubscribed', source: 'api' });

    const got = await api.call('GET', `/api/v1/lists/${id}`);
    expect(got.json.counts).toEqual({ subscribed: 2, unconfirmed: 1, unsubscribed: 1, total: 4 });

    const subscribed = await api.call('GET', `/api/v1/lists/${id}/members?status=subscribed`);
    expect(subscribed.json.items.map((m: any) => m.contact_id)).toEqual([contactIds[0], contactIds[3]]);
    expect(subscribed.json.items[1]).toMatchObject({ email: null, phone: '+4917012345678' });
    const unconfirmed = await api.call('GET', `/api/v1/lists/${id}/members?status=unconfirmed`);
    expect(unconfirmed.json.items).toMatchObject([{ contact_id: contactIds[1], source: 'signup-form' }]);
    const paged = await api.call('GET', `/api/v1/lists/${id}/members?limit=3`);
    expect(paged.json.items).toHaveLength(3);
    const rest = await api.call('GET', `/api/v1/lists/${id}/members?limit=3&after=${paged.json.next_after}`);
    expect(rest.json.items.map((m: any) => m.contact_id)).toEqual([contactIds[3]]);

    // An explicit subscribe states the contact's current wish, also after an unsubscribe.
    const resub = await api.call('POST', `/api/v1/lists/${id}/subscriptions`, { contact_ids: [contactIds[2]], status: 'subscribed' });
    expect(resub.status).toBe(200);
    expect((await api.call('GET', `/api/v1/lists/${id}`)).json.counts.subscribed).toBe(3);

    const contact = await api.call('GET', `/api/v1/contacts/${contactIds[1]}`);
    expect(contact.json.subscriptions).toMatchObject([{ list_id: id, list_name: 'Members', status: 'unconfirmed', source: 'signup-form' }]);
  });

  it('gives new subscribers of a double opt-in list the status "unconfirmed" (F1.11)', async () => {
    const list = await api.call('POST', '/api/v1/lists', { name: 'Double', opt_in: 'double' });
    const sub = await api.call('POST', `/api/v1/lists/${list.json.id}/subscriptions`, { contact_ids: [contactIds[0]] });
    expect(sub.json.status).toBe('unconfirmed');
    const bulk = await api.call('POST', '/api/v1/contacts/bulk', { contacts: [{ email: 'doi@example.com' }], list_ids: [list.json.id] });
    expect(bulk.json.subscriptions_added).toBe(1);
    expect((await api.call('GET', `/api/v1/lists/${list.json.id}`)).json.counts).toMatchObject({ unconfirmed: 2, subscribed: 0 });
  });

  it('deleting a list removes its subscriptions but keeps the contacts', async () => {
    const list = await api.call('POST', '/api/v1/lists', { name: 'Short-lived' });
    await api.call('POST', `/api/v1/lists/${list.json.id}/subscriptions`, { contact_ids: contactIds.slice(0, 2) });
    const del = await api.call('DELETE', `/api/v1/lists/${list.json.id}`);
    expect(del.json.subscriptions_removed).toBe(2);
    expect((await api.call('GET', `/api/v1/contacts/${contactIds[0]}`)).status).toBe(200);
  });

  it('names unknown contacts and lists', async () => {
    const list = await api.call('POST', '/api/v1/lists', { name: 'Unknowns' });
    const res = await api.call('POST', `/api/v1/lists/${list.json.id}/subscriptions`, { contact_ids: [contactIds[0], 987_654] });
    expect(res.status).toBe(404);
    expect(res.json.error.field).toBe('contact_ids[1]');
    expect((await api.call('GET', `/api/v1/lists/${list.json.id}/members`)).json.items).toEqual([]);
    expect((await api.call('POST', '/api/v1/lists/987654/subscriptions', { contact_ids: [contactIds[0]] })).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/lists/${list.json.id}/subscriptions/987654`)).status).toBe(404);
  });

  it("never lets another account's key see or change a list, nor subscribe into it", async () => {
    const list = await api.call('POST', '/api/v1/lists', { name: 'Private list' });
    const id = list.json.id;
    await api.call('POST', `/api/v1/lists/${id}/subscriptions`, { contact_ids: [contactIds[0]] });
    const other = api.otherKey;
    const theirContact = await api.call('POST', '/api/v1/contacts', { email: 'theirs@example.com' }, other);
    const theirList = await api.call('POST', '/api/v1/lists', { name: 'Private list' }, other);
    expect(theirList.status).toBe(201);

    expect((await api.call('GET', `/api/v1/lists/${id}`, undefined, other)).status).toBe(404);
    expect((await api.call('PATCH', `/api/v1/lists/${id}`, { name: 'Hijacked' }, other)).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/lists/${id}`, undefined, other)).status).toBe(404);
    expect((await api.call('GET', `/api/v1/lists/${id}/members`, undefined, other)).status).toBe(404);
    expect((await api.call('POST', `/api/v1/lists/${id}/subscriptions`, { contact_ids: [theirContact.json.id] }, other)).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/lists/${id}/subscriptions/${contactIds[0]}`, undefined, other)).status).toBe(404);
    // Their own list does not let them reach my contacts either.
    const cross = await api.call('POST', `/api/v1/lists/${theirList.json.id}/subscriptions`, { contact_ids: [contactIds[0]] }, other);
    expect(cross.status).toBe(404);
    expect(cross.json.error.field).toBe('contact_ids[0]');
    const bulkCross = await api.call('POST', '/api/v1/contacts/bulk', { contacts: [{ email: 'x@example.com' }], list_ids: [id] }, other);
    expect(bulkCross.status).toBe(404);

    const mine = await api.call('GET', `/api/v1/lists/${id}`);
    expect(mine.json).toMatchObject({ name: 'Private list', counts: { subscribed: 1, total: 1 } });
    const theirLists = await api.call('GET', '/api/v1/lists', undefined, other);
    expect(theirLists.json.items.map((l: any) => l.id)).toEqual([theirList.json.id]);
  });
});
