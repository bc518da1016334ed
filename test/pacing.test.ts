// Pacing against real databases: shared counters that hold under concurrent reservers, carry-over
// at the account's midnight, partial grants and release, the frequency cap, a paced batch, and
// the policy routes.
import { beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../src/app/accounts/api-keys.ts';
import { createAccount } from '../src/app/accounts/bootstrap.ts';
import type { Actor } from '../src/app/deps.ts';
import { loadPacingPolicy, updatePacingPolicy } from '../src/app/pacing/account-policy.ts';
import { loadDailyLimitToday } from '../src/app/pacing/daily-limit-today.ts';
import { loadFrequencyCapped } from '../src/app/pacing/frequency-cap.ts';
import { paceBatch, pacingFactsFor, releaseUnsent } from '../src/app/pacing/pace-batch.ts';
import { releaseSends, reserveSends } from '../src/app/pacing/send-counters.ts';
import { decideMessage } from '../src/core/decide-message.ts';
import type { DomainThrottles } from '../src/core/pacing/default-domain-throttles.ts';
import { buildRouteTable } from '../src/http/route-table.ts';
import { policyRoutes } from '../src/http/routes/policy.ts';
import { buildServer } from '../src/http/server.ts';
import { openDatabase } from '../src/store/open-database.ts';
import { describeEachDialect, type TestEnv } from './support/dialects.ts';
import { seedContacts } from './support/seed.ts';

const throttles: DomainThrottles = { 'gmail.com': { per_minute: 3 }, '*': { per_minute: null } };

async function newAccount(env: TestEnv, name: string): Promise<number> {
  return createAccount(env.deps, { name });
}

async function counter(env: TestEnv, accountId: number, scope: string): Promise<number[]> {
  const rows = await env.store.db.selectFrom('send_counters').select('count').where('account_id', '=', accountId).where('scope', '=', scope).orderBy('window_start').execute();
  return rows.map((r) => r.count);
}

describeEachDialect('send counters', (get, dialect) => {
  it('grants in part: the domain throttle first, then the daily limit; the rest is deferred', async () => {
    const env = get();
    const accountId = await newAccount(env, 'partial');
    const now = new Date('2026-03-02T10:00:30.000Z');
    const r = await reserveSends(env.deps, {
      accountId,
      channel: 'email',
      now,
      zone: 'UTC',
      domains: new Map([
        ['gmail.com', 4],
        ['example.org', 4],
      ]),
      dailyLimit: 5,
      throttles,
    });
    expect(r.granted).toEqual(new Map([['gmail.com', 3], ['example.org', 2]]));
    expect(r.deferredUntil.get('gmail.com')).toMatchObject({ reason: 'domain_throttle', until: new Date('2026-03-02T10:01:00.000Z') });
    expect(r.deferredUntil.get('gmail.com')?.detail).toMatch(/gmail.com takes at most 3 messages per minute/);
    expect(r.deferredUntil.get('example.org')).toMatchObject({ reason: 'daily_limit', until: new Date('2026-03-03T00:00:00.000Z') });
    expect(await counter(env, accountId, 'daily:email')).toEqual([5]);
    expect(await counter(env, accountId, 'domain:gmail.com:minute')).toEqual([3]);

    // The throttle is full for this minute: Gmail waits for the next one, before the daily limit is asked.
    const full = await reserveSends(env.deps, { accountId, channel: 'email', now, zone: 'UTC', domains: new Map([['gmail.com', 1]]), dailyLimit: 10, throttles });
    expect(full.granted.get('gmail.com')).toBe(0);
    expect(full.deferredUntil.get('gmail.com')?.reason).toBe('domain_throttle');
    expect(await counter(env, accountId, 'daily:email')).toEqual([5]);
  });

  it("gives a domain's minute back what the daily limit cut from it", async () => {
    const env = get();
    const accountId = await newAccount(env, 'cut');
    const now = new Date('2026-03-02T10:00:30.000Z');
    const domains = new Map([['example.org', 4], ['gmail.com', 4]]);
    const r = await reserveSends(env.deps, { accountId, channel: 'email', now, zone: 'UTC', domains, dailyLimit: 5, throttles });
    expect(r.granted).toEqual(new Map([['example.org', 4], ['gmail.com', 1]]));
    // Cut by both: the later of the two waits (the next day) is the one that holds.
    expect(r.deferredUntil.get('gmail.com')).toMatchObject({ reason: 'daily_limit', until: new Date('2026-03-03T00:00:00.000Z') });
    expect(await counter(env, accountId, 'domain:gmail.com:minute')).toEqual([1]);
  });

  it("carries the overflow over to the account's next local midnight, then grants again", async () => {
    const env = get();
    const accountId = await newAccount(env, 'carry-over');
    const reserve = (now: string, n: number) =>
      reserveSends(env.deps, { accountId, channel: 'email', now: new Date(now), zone: 'Europe/Berlin', domains: new Map([['example.org', n]]), dailyLimit: 2, throttles });
    // 23:30 in Berlin on 2 March (22:30Z): the day ends at 23:00Z, not at UTC midnight.
    const first = await reserve('2026-03-02T22:30:00.000Z', 3);
    expect(first.granted.get('example.org')).toBe(2);
    expect(first.deferredUntil.get('example.org')).toMatchObject({ reason: 'daily_limit', until: new Date('2026-03-02T23:00:00.000Z') });
    expect(first.deferredUntil.get('example.org')?.detail).toMatch(/daily limit of 2 for 2026-03-02 \(Europe\/Berlin\) is used up; carried over to the next day/);
    const nextDay = await reserve('2026-03-02T23:00:00.000Z', 1);
    expect(nextDay.granted.get('example.org')).toBe(1);
    expect(nextDay.deferredUntil.size).toBe(0);
    expect(await counter(env, accountId, 'daily:email')).toEqual([2, 1]);
  });

  it('gives back capacity reserved but not used', async () => {
    const env = get();
    const accountId = await newAccount(env, 'release');
    const now = new Date('2026-03-02T10:00:00.000Z');
    const args = { accountId, channel: 'email' as const, now, zone: 'UTC', dailyLimit: 4, throttles };
    const r = await reserveSends(env.deps, { ...args, domains: new Map([['gmail.com', 3], ['example.org', 1]]) });
    await releaseSends(env.deps, r.reservation, new Map([['gmail.com', 2]]));
    expect(await counter(env, accountId, 'daily:email')).toEqual([2]);
    expect(await counter(env, accountId, 'domain:gmail.com:minute')).toEqual([1]);
    const again = await reserveSends(env.deps, { ...args, domains: new Map([['gmail.com', 5]]) });
    expect(again.granted.get('gmail.com')).toBe(2);
  });

  it('holds the limits exactly with four store connections reserving at once', async () => {
    const env = get();
    const accountId = await newAccount(env, 'concurrent');
    const stores = Array.from({ length: 4 }, () => openDatabase(env.url, { poolSize: 4 }));
    const now = new Date('2026-03-02T10:00:00.000Z');
    const limited: DomainThrottles = { 'gmail.com': { per_minute: 37 }, '*': { per_minute: null } };
    try {
      const granted = await Promise.all(
        stores.map(async (store, i) => {
          const deps = { ...env.deps, store };
          let gmail = 0;
          let total = 0;
          // Each connection runs 4 reservers in parallel, 15 rounds each: far more demand than capacity.
          await Promise.all(
            Array.from({ length: 4 }, async (_, j) => {
              for (let round = 0; round < 15; round++) {
                const r = await reserveSends(deps, {
                  accountId,
                  channel: 'email',
                  now,
                  zone: 'UTC',
                  domains: new Map([['gmail.com', 1 + ((i + j + round) % 3)], ['example.org', 2]]),
                  dailyLimit: 100,
                  throttles: limited,
                });
                gmail += r.granted.get('gmail.com') ?? 0;
                total += [...r.granted.values()].reduce((s, n) => s + n, 0);
              }
            }),
          );
          return { gmail, total };
        }),
      );
      expect(granted.reduce((s, g) => s + g.total, 0)).toBe(100);
      // The throttle is never exceeded. It need not be reached: a reserver may hold gmail capacity
      // for a moment, find the daily limit used up and give it back while others were refused.
      const gmail = granted.reduce((s, g) => s + g.gmail, 0);
      expect(gmail).toBeGreaterThan(0);
      expect(gmail).toBeLessThanOrEqual(37);
      expect(await counter(env, accountId, 'daily:email')).toEqual([100]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  }, dialect === 'sqlite' ? 30_000 : 15_000);
});

describeEachDialect('frequency cap and daily limit', (get) => {
  let accountId: number;
  let otherAccountId: number;
  let contacts: number[];

  beforeAll(async () => {
    const env = get();
    accountId = await newAccount(env, 'cap');
    otherAccountId = await newAccount(env, 'cap-other');
    contacts = await seedContacts(env.store.db, accountId, [{ email: 'a@example.org' }, { email: 'b@example.org' }, { email: 'c@example.org' }]);
    const T = '2026-03-01T00:00:00.000Z';
    const campaign = await env.store.db
      .insertInto('campaigns')
      .values({ account_id: accountId, name: 'c', channel: 'email', kind: 'one-off', status: 'sent', audience: '{}', created_at: T, updated_at: T })
      .returning('id')
      .executeTakeFirstOrThrow();
    // a: three sent this week; b: two this week and one 10 days ago; c: three, one of them skipped.
    const sent: Array<[number, string | null, string]> = [
      [contacts[0], '2026-03-01T10:00:00.000Z', 'sent'],
      [contacts[0], '2026-02-28T10:00:00.000Z', 'sent'],
      [contacts[0], '2026-02-27T10:00:00.000Z', 'sent'],
      [contacts[1], '2026-03-01T10:00:00.000Z', 'sent'],
      [contacts[1], '2026-02-28T10:00:00.000Z', 'sent'],
      [contacts[1], '2026-02-20T10:00:00.000Z', 'sent'],
      [contacts[2], '2026-03-01T10:00:00.000Z', 'sent'],
      [contacts[2], '2026-02-28T10:00:00.000Z', 'sent'],
      [contacts[2], null, 'skipped'],
    ];
    for (const [contactId, sentAt, status] of sent) {
      const delivery = await env.store.db
        .insertInto('deliveries')
        .values({ account_id: accountId, campaign_id: campaign.id, status: 'completed', created_at: T, updated_at: T })
        .returning('id')
        .executeTakeFirstOrThrow();
      await env.store.db
        .insertInto('messages')
        .values({ account_id: accountId, delivery_id: delivery.id, campaign_id: campaign.id, contact_id: contactId, channel: 'email', address: 'x', status, sent_at: sentAt, created_at: T, updated_at: T })
        .execute();
    }
  });

  it('finds the contacts that reached max_messages within per_days, in one account only', async () => {
    const { store } = get();
    const now = new Date('2026-03-02T10:00:00.000Z');
    const policy = { frequency_cap: { max_messages: 3, per_days: 7 } };
    expect(await loadFrequencyCapped(store.db, accountId, contacts, policy, now)).toEqual(new Set([contacts[0]]));
    expect(await loadFrequencyCapped(store.db, accountId, contacts, { frequency_cap: { max_messages: 3, per_days: 14 } }, now)).toEqual(new Set([contacts[0], contacts[1]]));
    expect(await loadFrequencyCapped(store.db, accountId, contacts, { frequency_cap: null }, now)).toEqual(new Set());
    expect(await loadFrequencyCapped(store.db, otherAccountId, contacts, policy, now)).toEqual(new Set());
  });

  it("decides today's limit from warm-up and the 7-day counts, once per day", async () => {
    const env = get();
    const actor: Actor = { accountId, role: 'owner', label: 'test' };
    env.clock.set('2026-03-01T12:00:00.000Z');
    await updatePacingPolicy(env.deps, actor, { daily_limit: { email: 1000 }, warmup: { enabled: true } });
    const policy = await loadPacingPolicy(env.deps, accountId);
    expect(policy.warmup.started_at).toBe('2026-03-01T12:00:00.000Z');
    const now = new Date('2026-03-03T12:00:00.000Z');
    const today = await loadDailyLimitToday(env.deps, { accountId, channel: 'email', policy, now });
    expect(today).toMatchObject({ limit: 112, configured: 1000, factor: 1, state: 'hold', stopped: false });
    expect(today.explanation.join('; ')).toMatch(/warm-up day 2: 50 × 1.5\^2 = 112 per day; complaint rate 0 % over 7 days \(0 of 7\)/);
    const rows = await env.store.db.selectFrom('limit_adaptations').selectAll().where('account_id', '=', accountId).execute();
    expect(rows).toMatchObject([{ day: '2026-03-03', factor: 1, sent_7d: 7, complaints_7d: 0 }]);
  });
});

describeEachDialect('paced batch', (get) => {
  it('holds messages in quiet hours (spread over the ramp) and over the limits, and reserves the rest', async () => {
    const env = get();
    const accountId = await newAccount(env, 'paced');
    const actor: Actor = { accountId, role: 'owner', label: 'test' };
    await updatePacingPolicy(env.deps, actor, { timezone: 'Europe/Berlin', daily_limit: { email: 3 }, domain_throttles: { 'gmail.com': { per_minute: 1 } } });
    // 21:30 in Berlin, 15:30 in New York.
    const now = new Date('2026-03-02T20:30:00.000Z');
    const batch = await paceBatch(env.deps, {
      accountId,
      channel: 'email',
      campaignKind: 'automated',
      campaignSettings: '{}',
      now,
      candidates: [
        { messageId: 1, address: 'a@example.org', contactTimezone: null },
        { messageId: 3, address: 'c@gmail.com', contactTimezone: 'America/New_York' },
        { messageId: 4, address: 'd@gmail.com', contactTimezone: 'America/New_York' },
        { messageId: 2, address: 'b@example.org', contactTimezone: 'America/New_York' },
        { messageId: 5, address: 'e@example.org', contactTimezone: 'Not/AZone' },
        { messageId: 6, address: 'f@example.org', contactTimezone: 'America/New_York' },
        { messageId: 7, address: 'g@example.org', contactTimezone: 'America/New_York' },
      ],
    });
    const quiet1 = batch.held.get(1);
    expect(quiet1?.reason).toBe('quiet_hours');
    expect(quiet1!.until.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-03-03T08:00:00.000Z'));
    expect(quiet1!.until.getTime()).toBeLessThan(Date.parse('2026-03-03T09:00:00.000Z'));
    expect(batch.held.get(5)?.reason).toBe('quiet_hours'); // an unknown zone falls back to the account's
    expect(batch.held.get(4)).toMatchObject({ reason: 'domain_throttle', until: new Date('2026-03-02T20:31:00.000Z') });
    expect(batch.held.get(7)).toMatchObject({ reason: 'daily_limit', until: new Date('2026-03-02T23:00:00.000Z') });
    expect([...batch.reservedDomain.keys()].sort()).toEqual([2, 3, 6]);

    const decided = decideMessage(
      {
        channel: 'email',
        kind: 'marketing',
        contact: { email: 'g@example.org', phone: null },
        address_problem: null,
        excluded_by_list: null,
        excluded_by_segment: null,
        suppression: null,
        subscription: { status: 'subscribed' },
        consent: null,
        duplicate: false,
        frequency_capped: null,
      },
      pacingFactsFor(batch, 7, now),
    );
    expect(decided).toMatchObject({ kind: 'defer', reason: 'daily_limit' });

    // One reserved message was not handed off: its capacity goes back.
    await releaseUnsent(env.deps, batch, [6]);
    expect(await counter(env, accountId, 'daily:email')).toEqual([2]);
  });

  it('leaves one-off campaigns alone in quiet hours unless the policy says otherwise', async () => {
    const env = get();
    const accountId = await newAccount(env, 'one-off');
    const now = new Date('2026-03-02T22:30:00.000Z');
    const input = { accountId, channel: 'email' as const, campaignSettings: '{}', now, candidates: [{ messageId: 9, address: 'a@example.org', contactTimezone: null }] };
    expect((await paceBatch(env.deps, { ...input, campaignKind: 'one-off' })).held.size).toBe(0);
    expect((await paceBatch(env.deps, { ...input, campaignKind: 'automated' })).held.get(9)?.reason).toBe('quiet_hours');
    const override = JSON.stringify({ quiet_hours: { apply_to_one_off: true } });
    expect((await paceBatch(env.deps, { ...input, campaignKind: 'one-off', campaignSettings: override })).held.get(9)?.reason).toBe('quiet_hours');
  });
});

describeEachDialect('policy routes', (get) => {
  let call: (method: string, url: string, body?: unknown, key?: string) => Promise<{ status: number; json: any }>;
  let accountId: number;
  let otherKey: string;

  beforeAll(async () => {
    const env = get();
    accountId = await createAccount(env.deps, { name: 'Acme' });
    const otherAccountId = await createAccount(env.deps, { name: 'Other' });
    const { key } = await createApiKey(env.deps, { accountId, name: 'k', role: 'owner' });
    otherKey = (await createApiKey(env.deps, { accountId: otherAccountId, name: 'k', role: 'owner' })).key;
    // Until the lead adds policyRoutes to the route table, the test brings them itself.
    const registered = buildRouteTable().some((r) => r.url === '/api/v1/account/policy');
    const app = await buildServer(env.deps, { routes: registered ? [] : policyRoutes });
    await app.ready();
    await env.store.db.updateTable('accounts').set({ settings: JSON.stringify({ branding: { colour: 'teal' } }) }).where('id', '=', accountId).execute();
    call = async (method, url, body, useKey = key) => {
      const res = await app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${useKey}` }, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: res.statusCode, json: res.json() };
    };
  });

  it('shows the policy with defaults filled in', async () => {
    const r = await call('GET', '/api/v1/account/policy');
    expect(r.status).toBe(200);
    expect(r.json.pacing.quiet_hours).toEqual({ enabled: true, start: '21:00', end: '09:00', apply_to_one_off: false, ramp_minutes: 60 });
    expect(r.json.pacing.domain_throttles['gmail.com']).toEqual({ per_minute: 600 });
  });

  it('saves a partial policy, keeping the other settings and the other account untouched', async () => {
    const env = get();
    const r = await call('PUT', '/api/v1/account/policy', { pacing: { quiet_hours: { start: '22:00' }, daily_limit: { email: 1000 }, frequency_cap: { max_messages: 3, per_days: 7 } } });
    expect(r.status).toBe(200);
    expect(r.json.pacing).toMatchObject({ quiet_hours: { start: '22:00', end: '09:00' }, daily_limit: { email: 1000 }, frequency_cap: { max_messages: 3, per_days: 7 } });
    const row = await env.store.db.selectFrom('accounts').select('settings').where('id', '=', accountId).executeTakeFirstOrThrow();
    expect(JSON.parse(row.settings)).toEqual({
      branding: { colour: 'teal' },
      pacing: { quiet_hours: { start: '22:00' }, daily_limit: { email: 1000 }, frequency_cap: { max_messages: 3, per_days: 7 } },
    });
    const other = await call('GET', '/api/v1/account/policy', undefined, otherKey);
    expect(other.json.pacing.daily_limit).toEqual({});
  });

  it('refuses a wrong field by name and saves nothing', async () => {
    const r = await call('PUT', '/api/v1/account/policy', { pacing: { daily_limit: { email: 500 }, quiet_hours: { start: '09:00', end: '09:00' } } });
    expect(r.status).toBe(422);
    expect(r.json.error).toMatchObject({ code: 'invalid_input', field: 'quiet_hours.start' });
    expect(r.json.error.message).toMatch(/impossible window/);
    const bad = await call('PUT', '/api/v1/account/policy', { pacing: { timezone: 'Europe/Nowhere' } });
    expect(bad.json.error.field).toBe('timezone');
    expect((await call('GET', '/api/v1/account/policy')).json.pacing.daily_limit).toEqual({ email: 1000 });
  });

  it("shows today's counters and the effective limits with their reasons", async () => {
    const env = get();
    env.clock.set('2026-03-02T10:00:00.000Z');
    await reserveSends(env.deps, { accountId, channel: 'email', now: env.clock.now(), zone: 'UTC', domains: new Map([['gmail.com', 7]]), dailyLimit: 1000, throttles: { 'gmail.com': { per_minute: 600 } } });
    const r = await call('GET', '/api/v1/account/limits');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ timezone: 'UTC', day: '2026-03-02', next_day_at: '2026-03-03T00:00:00.000Z' });
    expect(r.json.channels[0]).toMatchObject({ channel: 'email', configured_limit: 1000, effective_limit: 1000, sent_today: 7, remaining_today: 993, stopped: false });
    expect(r.json.channels[0].explanation[0]).toBe('the configured daily limit is 1000');
    expect(r.json.domains_this_minute).toContainEqual({ domain: 'gmail.com', per_minute: 600, used: 7 });
    const other = await call('GET', '/api/v1/account/limits', undefined, otherKey);
    expect(other.json.channels[0].sent_today).toBe(0);
  });
});
