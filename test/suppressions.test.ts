// Suppressions on every dialect: the decision's batch loader (in force only, strongest reason, per
// channel), the blocklist with its audit trail, all-or-nothing bulk adds, idempotent hard-bounce
// suppression, and the routes, which never show or change another account's entries.
import { beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../src/app/accounts/api-keys.ts';
import { createAccount } from '../src/app/accounts/bootstrap.ts';
import { listAudit } from '../src/app/audit/list-audit.ts';
import type { Actor } from '../src/app/deps.ts';
import { addSuppression } from '../src/app/suppressions/add-suppression.ts';
import { bulkAddSuppressions } from '../src/app/suppressions/bulk-add-suppressions.ts';
import { loadSuppressionFacts } from '../src/app/suppressions/load-suppression-facts.ts';
import { getSuppression, listSuppressions } from '../src/app/suppressions/read-suppressions.ts';
import { removeSuppression } from '../src/app/suppressions/remove-suppression.ts';
import { suppressComplaint, suppressGlobalUnsubscribe, suppressHardBounces } from '../src/app/suppressions/suppress-automatically.ts';
import { buildRouteTable } from '../src/http/route-table.ts';
import { suppressionRoutes } from '../src/http/routes/suppressions.ts';
import { buildServer } from '../src/http/server.ts';
import { describeEachDialect, type TestEnv } from './support/dialects.ts';

async function newActor(env: TestEnv, name: string): Promise<Actor> {
  const accountId = await createAccount(env.deps, { name });
  return { accountId, role: 'owner', label: 'cli' };
}

const NOW = '2026-03-02T10:00:00.000Z';

describeEachDialect('suppressions', (get) => {
  beforeAll(() => {
    get().clock.set(NOW);
  });

  it('loads only entries in force, the strongest reason per address, per channel', async () => {
    const env = get();
    const { deps, store, clock } = env;
    const actor = await newActor(env, 'Loader');
    const other = await newActor(env, 'Loader other');
    await addSuppression(deps, actor, { channel: 'email', address: 'blocked@example.com', note: 'asked by phone' });
    await suppressGlobalUnsubscribe(deps, actor.accountId, { channel: 'email', address: 'both@example.com', source: 'one-click' });
    await suppressHardBounces(deps, actor.accountId, [{ channel: 'email', address: 'both@example.com', response: '550 5.1.1 user unknown' }]);
    await suppressComplaint(deps, actor.accountId, { channel: 'email', address: 'complained@example.com', source: 'complaint' });
    const removed = await addSuppression(deps, actor, { channel: 'email', address: 'removed@example.com' });
    await removeSuppression(deps, actor, removed.id);
    await addSuppression(deps, actor, { channel: 'email', address: 'soon@example.com', expires_at: '2026-03-02T11:00:00Z' });
    // An SMS suppression of a phone number, and another account's entry for a shared address.
    await addSuppression(deps, actor, { channel: 'sms', address: '+4915112345678' });
    await addSuppression(deps, other, { channel: 'email', address: 'clean@example.com' });

    const addresses = ['blocked@example.com', 'both@example.com', 'complained@example.com', 'removed@example.com', 'soon@example.com', 'clean@example.com', '+4915112345678'];
    const facts = await loadSuppressionFacts(store.db, actor.accountId, 'email', addresses, NOW);
    expect(Object.fromEntries([...facts].map(([a, f]) => [a, f.reason]))).toEqual({
      'blocked@example.com': 'blocklist',
      'both@example.com': 'bounce',
      'complained@example.com': 'complaint',
      'soon@example.com': 'blocklist',
    });
    expect(facts.get('blocked@example.com')).toEqual({ reason: 'blocklist', source: 'cli', created_at: NOW });
    expect(facts.get('both@example.com')?.source).toBe('bounce: 550 5.1.1 user unknown');

    // At its expiry the entry stops suppressing.
    expect((await loadSuppressionFacts(store.db, actor.accountId, 'email', ['soon@example.com'], '2026-03-02T11:00:00.000Z')).size).toBe(0);
    // Per channel: the phone is suppressed for SMS only; an email entry never blocks SMS.
    const sms = await loadSuppressionFacts(store.db, actor.accountId, 'sms', addresses, NOW);
    expect([...sms.keys()]).toEqual(['+4915112345678']);
    expect((await loadSuppressionFacts(store.db, actor.accountId, 'email', [], NOW)).size).toBe(0);

    // A batch of 10,000 addresses is one query and finds the one among them.
    const many = Array.from({ length: 10_000 }, (_, i) => `user${i}@example.com`);
    many[7777] = 'blocked@example.com';
    const started = performance.now();
    const big = await loadSuppressionFacts(store.db, actor.accountId, 'email', many, NOW);
    expect([...big.keys()]).toEqual(['blocked@example.com']);
    expect(performance.now() - started).toBeLessThan(2000);
    clock.set(NOW);
  });

  it('adds and removes blocklist entries with an audit line each; removal keeps the row', async () => {
    const env = get();
    const { deps, clock } = env;
    const actor = await newActor(env, 'Audit');
    const added = await addSuppression(deps, actor, { channel: 'email', address: ' Mallory@Example.com ', note: 'fraud', expires_at: '2027-01-01T00:00:00+01:00' });
    expect(added).toMatchObject({ address: 'mallory@example.com', reason: 'blocklist', source: 'cli', note: 'fraud', expires_at: '2026-12-31T23:00:00.000Z', state: 'active' });

    await expect(addSuppression(deps, actor, { channel: 'email', address: 'mallory@example.com' })).rejects.toMatchObject({ code: 'conflict', field: 'address', details: { id: added.id } });
    // Another reason for the same address is its own entry.
    const unsub = await addSuppression(deps, actor, { channel: 'email', address: 'mallory@example.com', reason: 'unsubscribe' });

    clock.set('2026-03-03T09:00:00.000Z');
    const removed = await removeSuppression(deps, actor, added.id);
    expect(removed).toMatchObject({ id: added.id, state: 'removed', removed_at: '2026-03-03T09:00:00.000Z' });
    await expect(removeSuppression(deps, actor, added.id)).rejects.toMatchObject({ code: 'invalid_state', field: 'id' });
    expect((await getSuppression(deps, actor, added.id)).state).toBe('removed');

    const active = await listSuppressions(deps, actor, {});
    expect(active.items.map((s) => s.id)).toEqual([unsub.id]);
    const all = await listSuppressions(deps, actor, { include_inactive: true, q: 'MALLORY', channel: 'email' });
    expect(all.items.map((s) => s.id)).toEqual([added.id, unsub.id]);
    expect((await listSuppressions(deps, actor, { reason: 'blocklist', include_inactive: true })).items.map((s) => s.id)).toEqual([added.id]);
    await expect(listSuppressions(deps, actor, { channel: 'fax' })).rejects.toMatchObject({ field: 'channel' });

    // Blocklisted again after the removal: a new entry, the old one stays in the history.
    const again = await addSuppression(deps, actor, { channel: 'email', address: 'mallory@example.com' });
    expect(again.id).not.toBe(added.id);

    const audit = await listAudit(deps, actor, { action: 'suppression.' });
    expect(audit.items.map((a) => [a.action, a.subject, a.actor])).toEqual([
      ['suppression.add', 'email:mallory@example.com', 'cli'],
      ['suppression.add', 'email:mallory@example.com', 'cli'],
      ['suppression.remove', 'email:mallory@example.com', 'cli'],
      ['suppression.add', 'email:mallory@example.com', 'cli'],
    ]);
    expect(audit.items[0].data).toEqual({ id: added.id, reason: 'blocklist', note: 'fraud', expires_at: '2026-12-31T23:00:00.000Z' });
    expect(audit.items[2]).toMatchObject({ created_at: '2026-03-03T09:00:00.000Z', data: { id: added.id, reason: 'blocklist', source: 'cli' } });
    expect((await listAudit(deps, actor, { action: 'suppression.remove' })).items).toHaveLength(1);
    // The refused duplicate wrote no audit line, and another account's log is empty.
    expect((await listAudit(deps, await newActor(env, 'Audit other'), {})).items).toEqual([]);

    await expect(addSuppression(deps, actor, { channel: 'email', address: 'x@example.com', expires_at: '2026-03-01T00:00:00Z' })).rejects.toMatchObject({ field: 'expires_at' });
    await expect(addSuppression(deps, actor, { channel: 'email', address: 'x@example.com', expires_at: '2027-01-01' })).rejects.toMatchObject({ field: 'expires_at' });
    await expect(addSuppression(deps, actor, { channel: 'sms', address: '0151 1234567' })).rejects.toMatchObject({ field: 'address', message: /country code/ });
    clock.set(NOW);
  });

  it('replaces an expired entry instead of colliding with it', async () => {
    const env = get();
    const { deps, store, clock } = env;
    const actor = await newActor(env, 'Expiry');
    const first = await addSuppression(deps, actor, { channel: 'email', address: 'temp@example.com', expires_at: '2026-03-02T12:00:00Z' });
    clock.set('2026-03-05T00:00:00.000Z');
    expect((await getSuppression(deps, actor, first.id)).state).toBe('expired');
    const second = await addSuppression(deps, actor, { channel: 'email', address: 'temp@example.com' });
    expect(second.state).toBe('active');
    // The expired entry is retired at the instant it expired.
    expect((await getSuppression(deps, actor, first.id)).removed_at).toBe('2026-03-02T12:00:00.000Z');
    const facts = await loadSuppressionFacts(store.db, actor.accountId, 'email', ['temp@example.com'], '2026-03-05T00:00:00.000Z');
    expect(facts.get('temp@example.com')?.created_at).toBe('2026-03-05T00:00:00.000Z');
    clock.set(NOW);
  });

  it('bulk adds all or nothing, naming the bad address by position', async () => {
    const env = get();
    const { deps, store } = env;
    const actor = await newActor(env, 'Bulk');
    const count = () => store.db.selectFrom('suppressions').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', actor.accountId).executeTakeFirstOrThrow();

    await expect(
      bulkAddSuppressions(deps, actor, { channel: 'email', addresses: ['a@example.com', 'b@example.com', 'not an address', 'c@example', 'd@example.com'] }),
    ).rejects.toMatchObject({ code: 'invalid_input', field: 'addresses[2]', message: /and 1 more bad addresses; nothing was added/, details: { total_problems: 2 } });
    expect(Number((await count()).n)).toBe(0);
    expect((await listAudit(deps, actor, {})).items).toEqual([]);

    await addSuppression(deps, actor, { channel: 'email', address: 'a@example.com' });
    const addresses = Array.from({ length: 5000 }, (_, i) => `Bulk${i}@Example.com`);
    const result = await bulkAddSuppressions(deps, actor, { channel: 'email', addresses: [...addresses, 'a@example.com', 'bulk0@example.com'], note: 'old ESP' });
    expect(result).toEqual({ added: 5000, unchanged: 2 });
    expect(Number((await count()).n)).toBe(5001);
    const again = await bulkAddSuppressions(deps, actor, { channel: 'email', addresses: addresses.slice(0, 10) });
    expect(again).toEqual({ added: 0, unchanged: 10 });

    const audit = (await listAudit(deps, actor, { action: 'suppression.bulk_add' })).items;
    expect(audit).toHaveLength(2);
    expect(audit[0].subject).toBe('email:5000 addresses');
    expect((audit[0].data.added as string[]).slice(0, 2)).toEqual(['bulk0@example.com', 'bulk1@example.com']);
    await expect(bulkAddSuppressions(deps, actor, { channel: 'email', addresses: [] })).rejects.toMatchObject({ field: 'addresses' });
  });

  it('suppresses hard bounces idempotently and never for another channel or account', async () => {
    const env = get();
    const { deps, store } = env;
    const actor = await newActor(env, 'Bounces');
    const other = await newActor(env, 'Bounces other');
    const bounces = [
      { channel: 'email', address: 'Gone@Example.com', response: '550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown' },
      { channel: 'email', address: 'gone@example.com', response: '550 5.1.1 again in the same batch' },
      { channel: 'sms', address: '+4915100000001', response: 'number not in service' },
      { channel: 'email', address: 'broken', response: '550 5.1.3 bad address syntax' },
    ];
    const first = await suppressHardBounces(deps, actor.accountId, bounces);
    expect(first.added).toBe(2);
    expect(first.skipped).toEqual([{ channel: 'email', address: 'broken', problem: 'missing @' }]);
    expect((await suppressHardBounces(deps, actor.accountId, bounces)).added).toBe(0);

    const rows = await store.db.selectFrom('suppressions').selectAll().where('account_id', '=', actor.accountId).orderBy('id').execute();
    expect(rows.map((r) => [r.channel, r.address, r.reason, r.source, r.expires_at])).toEqual([
      ['email', 'gone@example.com', 'bounce', 'bounce: 550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown', null],
      ['sms', '+4915100000001', 'bounce', 'bounce: number not in service', null],
    ]);
    expect((await loadSuppressionFacts(store.db, other.accountId, 'email', ['gone@example.com'], NOW)).size).toBe(0);
    expect(await suppressComplaint(deps, actor.accountId, { channel: 'email', address: 'gone@example.com', source: 'complaint' })).toEqual({ added: true });
    expect(await suppressComplaint(deps, actor.accountId, { channel: 'email', address: 'gone@example.com', source: 'complaint' })).toEqual({ added: false });
    await expect(suppressGlobalUnsubscribe(deps, actor.accountId, { channel: 'sms', address: 'nope', source: 'STOP' })).rejects.toMatchObject({ field: 'address' });
  });

  it('serves the routes with validation by field and tenant isolation', async () => {
    const env = get();
    const { deps } = env;
    const A = await createAccount(deps, { name: 'Routes A' });
    const B = await createAccount(deps, { name: 'Routes B' });
    const { key } = await createApiKey(deps, { accountId: A, name: 'a', role: 'owner' });
    const { key: otherKey } = await createApiKey(deps, { accountId: B, name: 'b', role: 'owner' });
    const { key: analystKey } = await createApiKey(deps, { accountId: A, name: 'analyst', role: 'analyst' });
    // Until the lead adds them to the route table, the routes come in as extras.
    const registered = buildRouteTable().some((r) => r.url === '/api/v1/suppressions');
    const app = await buildServer(deps, { routes: registered ? [] : suppressionRoutes });
    const call = async (method: string, url: string, body?: unknown, useKey = key) => {
      const res = await app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${useKey}` }, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: res.statusCode, json: res.json() };
    };
    try {
      const created = await call('POST', '/api/v1/suppressions', { channel: 'email', address: 'Secret@Example.com', note: 'alphaonly' });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ address: 'secret@example.com', reason: 'blocklist', source: expect.stringMatching(/^api_key:\d+$/), state: 'active' });
      const id = created.json.id;

      expect((await call('POST', '/api/v1/suppressions', { channel: 'email', address: 'x@example.com', colour: 'red' })).json.error).toMatchObject({ field: 'colour' });
      expect((await call('POST', '/api/v1/suppressions', { channel: 'fax', address: 'x@example.com' })).status).toBe(400);
      const bad = await call('POST', '/api/v1/suppressions', { channel: 'email', address: 'no-at-sign' });
      expect(bad.status).toBe(422);
      expect(bad.json.error).toMatchObject({ code: 'invalid_input', field: 'address' });
      expect((await call('POST', '/api/v1/suppressions', { channel: 'email', address: 'secret@example.com' })).status).toBe(409);
      const bulkBad = await call('POST', '/api/v1/suppressions/bulk', { channel: 'sms', addresses: ['+4915112345678', '12'] });
      expect(bulkBad.status).toBe(422);
      expect(bulkBad.json.error.field).toBe('addresses[1]');
      expect((await call('POST', '/api/v1/suppressions/bulk', { channel: 'sms', addresses: Array(10_001).fill('+4915112345678') })).json.error.field).toBe('addresses');
      expect((await call('POST', '/api/v1/suppressions/bulk', { channel: 'sms', addresses: ['+49 151 12345678', '+4915112345679'] })).json).toEqual({ added: 2, unchanged: 0 });

      // The analyst reads but does not change; reading the audit needs settings:read, which it holds.
      expect((await call('GET', '/api/v1/suppressions', undefined, analystKey)).status).toBe(200);
      expect((await call('DELETE', `/api/v1/suppressions/${id}`, undefined, analystKey)).status).toBe(403);

      // Account B sees nothing of A and cannot read or remove A's entry.
      expect((await call('GET', `/api/v1/suppressions/${id}`, undefined, otherKey)).status).toBe(404);
      expect((await call('DELETE', `/api/v1/suppressions/${id}`, undefined, otherKey)).status).toBe(404);
      const bList = await call('GET', '/api/v1/suppressions?include_inactive=true', undefined, otherKey);
      expect(bList.json.items).toEqual([]);
      const bAudit = await call('GET', '/api/v1/audit-log', undefined, otherKey);
      expect(bAudit.status).toBe(200);
      expect(JSON.stringify(bAudit.json)).not.toContain('alphaonly');
      expect((await call('GET', `/api/v1/suppressions/${id}`)).json.state).toBe('active');

      const list = await call('GET', '/api/v1/suppressions?channel=sms&limit=1');
      expect(list.json.items.map((s: { address: string }) => s.address)).toEqual(['+4915112345678']);
      expect(list.json.next_after).toBe(list.json.items[0].id);

      const del = await call('DELETE', `/api/v1/suppressions/${id}`);
      expect(del.status).toBe(200);
      expect(del.json.state).toBe('removed');
      expect((await call('GET', '/api/v1/suppressions?channel=email')).json.items).toEqual([]);
      const audit = await call('GET', '/api/v1/audit-log?action=suppression.');
      expect(audit.json.items.map((a: { action: string }) => a.action)).toEqual(['suppression.add', 'suppression.bulk_add', 'suppression.remove']);
      expect(audit.json.items[0]).toMatchObject({ subject: 'email:secret@example.com', data: { id, note: 'alphaonly' } });
    } finally {
      await app.close();
    }
  });
});
