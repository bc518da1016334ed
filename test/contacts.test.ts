import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from './support/dialects.ts';
import { createTestApi, type TestApi } from './support/http.ts';

describeEachDialect('contacts API', (get) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(get());
  });

  const countContacts = async (accountId: number) =>
    Number((await get().store.db.selectFrom('contacts').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow()).n);

  it('upserts by email: creates (201), then merges (200) without losing omitted fields', async () => {
    const first = await api.call('POST', '/api/v1/contacts', {
      email: ' Merge.Me@Example.com ',
      first_name: 'Anna',
      timezone: 'europe/berlin',
      locale: 'de_de',
      attributes: { tier: 'gold', visits: 3 },
      messenger: { telegram: '@anna' },
    });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ email: 'merge.me@example.com', first_name: 'Anna', timezone: 'Europe/Berlin', locale: 'de-DE' });

    const second = await api.call('POST', '/api/v1/contacts', {
      email: 'merge.me@example.com',
      last_name: 'Schmidt',
      first_name: null,
      attributes: { visits: 4, newsletter: true },
      messenger: { whatsapp: '+4915112345678' },
    });
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({
      id: first.json.id,
      first_name: 'Anna',
      last_name: 'Schmidt',
      timezone: 'Europe/Berlin',
      attributes: { tier: 'gold', visits: 4, newsletter: true },
      messenger: { telegram: '@anna', whatsapp: '+4915112345678' },
    });
  });

  it('keeps contacts that have only a phone (F0.2), keyed by phone', async () => {
    const a = await api.call('POST', '/api/v1/contacts', { phone: '0049 170 1111 222', first_name: 'Phone' });
    expect(a.status).toBe(201);
    expect(a.json).toMatchObject({ email: null, phone: '+491701111222' });
    const b = await api.call('POST', '/api/v1/contacts', { phone: '+49 170 1111222', last_name: 'Only' });
    expect(b.status).toBe(200);
    expect(b.json).toMatchObject({ id: a.json.id, email: null, first_name: 'Phone', last_name: 'Only' });

    const bulk = await api.call('POST', '/api/v1/contacts/bulk', {
      contacts: [{ phone: '+491701111222', attributes: { sms_ok: true } }, { phone: '+43 660 1234567' }],
    });
    expect(bulk.status).toBe(200);
    expect(bulk.json.ids[0]).toBe(a.json.id);
    const kept = await api.call('GET', `/api/v1/contacts/${bulk.json.ids[1]}`);
    expect(kept.json).toMatchObject({ email: null, phone: '+436601234567' });
  });

  it('upserts 10,000 contacts in one request, then merges a second pass', async () => {
    const contacts = Array.from({ length: 10_000 }, (_, i) => ({
      email: `bulk${i}@example.com`,
      first_name: `Bulk${i}`,
      attributes: { batch: 1, n: i },
    }));
    const before = await countContacts(api.accountId);
    const res = await api.call('POST', '/api/v1/contacts/bulk', { contacts });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ received: 10_000, upserted: 10_000, subscriptions_added: 0 });
    expect(new Set(res.json.ids).size).toBe(10_000);
    expect(await countContacts(api.accountId)).toBe(before + 10_000);

    // Second pass over half of them: attributes merge, omitted fields stay, nothing duplicates.
    const again = await api.call('POST', '/api/v1/contacts/bulk', {
      contacts: contacts.slice(0, 5000).map((c) => ({ email: c.email.toUpperCase(), last_name: 'Again', attributes: { batch: 2 } })),
    });
    expect(again.status).toBe(200);
    expect(again.json.ids).toEqual(res.json.ids.slice(0, 5000));
    expect(await countContacts(api.accountId)).toBe(before + 10_000);
    const one = await api.call('GET', `/api/v1/contacts/${res.json.ids[4999]}`);
    expect(one.json).toMatchObject({ first_name: 'Bulk4999', last_name: 'Again', attributes: { batch: 2, n: 4999 } });
  });

  it('merges duplicates inside one bulk call in order (later wins)', async () => {
    const res = await api.call('POST', '/api/v1/contacts/bulk', {
      contacts: [
        { email: 'dup@example.com', first_name: 'First', attributes: { a: 1 } },
        { email: 'other@example.com' },
        { email: 'DUP@example.com', last_name: 'Later', attributes: { b: 2 } },
      ],
    });
    expect(res.json).toMatchObject({ received: 3, upserted: 2 });
    expect(res.json.ids[0]).toBe(res.json.ids[2]);
    const dup = await api.call('GET', `/api/v1/contacts/${res.json.ids[0]}`);
    expect(dup.json).toMatchObject({ first_name: 'First', last_name: 'Later', attributes: { a: 1, b: 2 } });
  });

  it('refuses a bulk call with any invalid item, naming each one, and writes nothing', async () => {
    const contacts: Record<string, unknown>[] = Array.from({ length: 50 }, (_, i) => ({ email: `allornothing${i}@example.com` }));
    contacts[17] = { email: 'broken.example.com' };
    contacts[30] = { first_name: 'No address' };
    contacts[41] = { email: 'x41@example.com', timezone: 'Atlantis/Capital' };
    const before = await countContacts(api.accountId);
    const res = await api.call('POST', '/api/v1/contacts/bulk', { contacts });
    expect(res.status).toBe(422);
    expect(res.json.error).toMatchObject({ code: 'invalid_input', field: 'contacts[17].email' });
    expect(res.json.error.message).toContain('3 of 50 contacts are invalid');
    expect(res.json.error.details).toEqual([
      { index: 17, field: 'email', reason: 'missing @' },
      { index: 30, field: '', reason: expect.stringContaining('has no address') },
      { index: 41, field: 'timezone', reason: expect.stringContaining('not an IANA time zone') },
    ]);
    expect(await countContacts(api.accountId)).toBe(before);
  });

  it('lists at most 100 item errors in details', async () => {
    const contacts = Array.from({ length: 150 }, (_, i) => ({ email: `bad${i}` }));
    const res = await api.call('POST', '/api/v1/contacts/bulk', { contacts });
    expect(res.status).toBe(422);
    expect(res.json.error.details).toHaveLength(100);
    expect(res.json.error.message).toContain('150 of 150');
  });

  it('rejects unknown fields by name', async () => {
    const res = await api.call('POST', '/api/v1/contacts', { email: 'x@example.com', mobile: '+4915112345678' });
    expect(res.status).toBe(400);
    expect(res.json.error.field).toBe('mobile');
    const bulk = await api.call('POST', '/api/v1/contacts/bulk', { contacts: [{ email: 'y@example.com', nick: 'y' }] });
    expect(bulk.status).toBe(400);
    expect(bulk.json.error.field).toBe('contacts[0].nick');
  });

  it('subscribes bulk contacts to lists, without overriding an earlier unsubscribe', async () => {
    const list = await api.call('POST', '/api/v1/lists', { name: 'Bulk list' });
    const first = await api.call('POST', '/api/v1/contacts/bulk', {
      contacts: [{ email: 'sub1@example.com' }, { email: 'sub2@example.com' }],
      list_ids: [list.json.id],
    });
    expect(first.json.subscriptions_added).toBe(2);
    await api.call('DELETE', `/api/v1/lists/${list.json.id}/subscriptions/${first.json.ids[0]}`);
    const again = await api.call('POST', '/api/v1/contacts/bulk', {
      contacts: [{ email: 'sub1@example.com' }, { email: 'sub3@example.com' }],
      list_ids: [list.json.id],
      status: 'subscribed',
    });
    expect(again.json.subscriptions_added).toBe(1);
    const members = await api.call('GET', `/api/v1/lists/${list.json.id}/members`);
    expect(members.json.items.map((m: any) => [m.email, m.status])).toEqual([
      ['sub1@example.com', 'unsubscribed'],
      ['sub2@example.com', 'subscribed'],
      ['sub3@example.com', 'subscribed'],
    ]);
    const unknownList = await api.call('POST', '/api/v1/contacts/bulk', { contacts: [{ email: 'z@example.com' }], list_ids: [list.json.id, 999_999] });
    expect(unknownList.status).toBe(404);
    expect(unknownList.json.error.field).toBe('list_ids[1]');
  });

  it('pages with after/limit and filters by q and list_id', async () => {
    const list = await api.call('POST', '/api/v1/lists', { name: 'Filter list' });
    await api.call('POST', '/api/v1/contacts/bulk', {
      contacts: [{ email: 'filter_a@shop.example.com' }, { email: 'filter%b@shop.example.com' }, { email: 'filterxc@shop.example.com' }],
      list_ids: [list.json.id],
    });
    const q = await api.call('GET', '/api/v1/contacts?q=filter_');
    expect(q.json.items.map((c: any) => c.email)).toEqual(['filter_a@shop.example.com']);
    const pct = await api.call('GET', '/api/v1/contacts?q=R%25B');
    expect(pct.json.items.map((c: any) => c.email)).toEqual(['filter%b@shop.example.com']);

    const page1 = await api.call('GET', `/api/v1/contacts?list_id=${list.json.id}&limit=2`);
    expect(page1.json.items).toHaveLength(2);
    expect(page1.json.next_after).toBe(page1.json.items[1].id);
    const page2 = await api.call('GET', `/api/v1/contacts?list_id=${list.json.id}&limit=2&after=${page1.json.next_after}`);
    expect(page2.json.items.map((c: any) => c.email)).toEqual(['filterxc@shop.example.com']);
    expect(page2.json.next_after).toBeNull();
    expect((await api.call('GET', '/api/v1/contacts?list_id=999999')).status).toBe(404);
  });

  it('patches: present fields replace, null clears, attributes merge and null removes a key', async () => {
    const created = await api.call('POST', '/api/v1/contacts', {
      email: 'patch@example.com',
      phone: '+4915100000001',
      first_name: 'Pat',
      attributes: { keep: 'yes', drop: 'me' },
      postal_address: { street: 'Hauptstr. 1', postal_code: '10115', city: 'Berlin', country: 'de' },
    });
    expect(created.json.postal_address).toEqual({ street: 'Hauptstr. 1', postal_code: '10115', city: 'Berlin', country: 'DE' });
    const id = created.json.id;
    const patched = await api.call('PATCH', `/api/v1/contacts/${id}`, { first_name: null, last_name: 'Tch', attributes: { drop: null, add: 1 } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ first_name: null, last_name: 'Tch', phone: '+4915100000001', attributes: { keep: 'yes', add: 1 } });
    expect(patched.json.attributes).not.toHaveProperty('drop');

    const taken = await api.call('PATCH', `/api/v1/contacts/${id}`, { email: 'merge.me@example.com' });
    expect(taken.status).toBe(409);
    expect(taken.json.error.field).toBe('email');

    const bad = await api.call('PATCH', `/api/v1/contacts/${id}`, { phone: '12' });
    expect(bad.status).toBe(422);
    expect(bad.json.error.field).toBe('phone');

    const stripped = await api.call('PATCH', `/api/v1/contacts/${id}`, { email: null, phone: null, postal_address: null });
    expect(stripped.status).toBe(422);
    expect(stripped.json.error.message).toContain('without any address');
    expect((await api.call('GET', `/api/v1/contacts/${id}`)).json.email).toBe('patch@example.com');
  });

  it('deletes a contact with its subscriptions; the id is then unknown', async () => {
    const list = await api.call('POST', '/api/v1/lists', { name: 'Delete list' });
    const c = await api.call('POST', '/api/v1/contacts', { email: 'gone@example.com', list_ids: [list.json.id] });
    expect(c.json.subscriptions).toMatchObject([{ list_id: list.json.id, list_name: 'Delete list', status: 'subscribed', source: 'api' }]);
    const del = await api.call('DELETE', `/api/v1/contacts/${c.json.id}`);
    expect(del).toMatchObject({ status: 200, json: { id: c.json.id, deleted: true } });
    expect((await api.call('GET', `/api/v1/contacts/${c.json.id}`)).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/contacts/${c.json.id}`)).status).toBe(404);
    expect((await api.call('GET', `/api/v1/lists/${list.json.id}`)).json.counts.total).toBe(0);
  });

  it("never lets another account's key see or change a contact", async () => {
    const mine = await api.call('POST', '/api/v1/contacts', { email: 'private@example.com', first_name: 'Mine' });
    const id = mine.json.id;
    const other = api.otherKey;
    expect((await api.call('GET', `/api/v1/contacts/${id}`, undefined, other)).status).toBe(404);
    expect((await api.call('PATCH', `/api/v1/contacts/${id}`, { first_name: 'Stolen' }, other)).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/contacts/${id}`, undefined, other)).status).toBe(404);
    const list = await api.call('GET', '/api/v1/contacts?q=private', undefined, other);
    expect(list.json.items).toEqual([]);
    // The same email in the other account is a different contact.
    const theirs = await api.call('POST', '/api/v1/contacts', { email: 'private@example.com', first_name: 'Theirs' }, other);
    expect(theirs.status).toBe(201);
    expect(theirs.json.id).not.toBe(id);
    expect((await api.call('GET', `/api/v1/contacts/${id}`)).json.first_name).toBe('Mine');
  });

  it('needs contacts:write to change and accepts contacts:read to look', async () => {
    const { createApiKey } = await import('../src/app/accounts/api-keys.ts');
    const { key } = await createApiKey(get().deps, { accountId: api.accountId, name: 'analyst', role: 'analyst' });
    expect((await api.call('GET', '/api/v1/contacts?limit=1', undefined, key)).status).toBe(200);
    const denied = await api.call('POST', '/api/v1/contacts', { email: 'analyst@example.com' }, key);
    expect(denied.status).toBe(403);
  });
});
