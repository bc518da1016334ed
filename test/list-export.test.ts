// A list's CSV export (the Lists page's export button): its subscribed and unconfirmed members
// with their attributes, never the unsubscribed, never another list's or account's contacts.
import { expect, it } from 'vitest';
import { describeEachDialect } from './support/dialects.ts';
import { createTestApi } from './support/http.ts';
import { seedContacts, seedList } from './support/seed.ts';

describeEachDialect('list CSV export', (get) => {
  it('exports the members who have not unsubscribed, with an attribute column each', async () => {
    const env = get();
    const api = await createTestApi(env);
    const list = await seedList(env.store.db, api.accountId, 'Newsletter');
    const other = await seedList(env.store.db, api.accountId, 'Other');
    await seedContacts(env.store.db, api.accountId, [
      { email: 'ana@example.com', first_name: 'Ana', attributes: { plan: 'pro' }, lists: [[list, 'subscribed']] },
      { email: 'ben@example.com', lists: [[list, 'unconfirmed']] },
      { email: 'cleo@example.com', lists: [[list, 'unsubscribed']] },
      { email: 'dan@example.com', lists: [[other, 'subscribed']] },
    ]);
    const res = await api.app.inject({ url: `/api/v1/lists/${list}/export.csv`, headers: { authorization: `Bearer ${api.key}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="list-${list}.csv"`);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('id,email,phone,first_name,last_name,plan');
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['ana@example.com', 'ben@example.com']);
    expect(lines[1]).toMatch(/,Ana,,pro$/);
    const foreign = await api.app.inject({ url: `/api/v1/lists/${list}/export.csv`, headers: { authorization: `Bearer ${api.otherKey}` } });
    expect(foreign.statusCode).toBe(404);
    await api.app.close();
  });
});
