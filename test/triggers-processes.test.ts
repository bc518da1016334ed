// E6 on PostgreSQL with several workers: three real worker processes run while events are posted
// (each event twice with the same key, at the same time, and a second event of the same entity with
// another key). Every (campaign, entity, contact) must get exactly one message, and every firing
// must be fired into exactly one run.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCampaignRow } from '../src/app/campaigns/read-campaigns.ts';
import { sendCampaign } from '../src/app/campaigns/send-campaign.ts';
import { startCampaign } from '../src/app/campaigns/start-campaign.ts';
import { createCampaign } from '../src/app/campaigns/write-campaign.ts';
import type { Actor, AppDeps } from '../src/app/deps.ts';
import { declareEventType } from '../src/app/triggers/event-types.ts';
import { recordEvent } from '../src/app/triggers/record-event.ts';
import { setTrigger } from '../src/app/triggers/set-trigger.ts';
import { createTestEnv, dialectNames, type TestEnv } from './support/dialects.ts';
import { seedAccount, seedTemplate } from './support/seed.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { waitFor } from './support/wait-for.ts';
import { killWorkerProcesses, startWorkerProcess } from './support/worker-processes.ts';

const ENTITIES = 24;
const CONTACTS = 9;
const PER_EVENT = 4;

const startWorker = (databaseUrl: string, smtpUrl: string) =>
  startWorkerProcess(databaseUrl, smtpUrl, { HERALD_WORKER_POLL_MS: '20', HERALD_WORKER_BATCH: '50' });

const onPostgres = dialectNames().includes('postgres');

describe.skipIf(!onPostgres)('triggers with several worker processes [postgres]', () => {
  let env: TestEnv;
  let sink: SmtpSink;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    env = await createTestEnv('postgres');
    sink = await startSmtpSink({ delayMs: 5 });
  });
  afterAll(async () => {
    killWorkerProcesses(children);
    await sink.close();
    await env.store.close();
  });

  it('each trigger fires once per (campaign, entity, contact) while three workers run', { timeout: 120_000 }, async () => {
    // The child processes run on the real clock; so does this side.
    const deps: AppDeps = { ...env.deps, clock: { now: () => new Date() } };
    const accountId = await seedAccount(deps, 'Studio');
    const actor: Actor = { accountId, role: 'owner', label: 'test' };
    await declareEventType(deps, actor, { name: 'job.status_changed' });
    const template = await seedTemplate(env.store.db, accountId, {
      subject: '{{ campaign.name }}: {{ event.entity }}',
      body: '<p>{{ event.entity }} is {{ event.data.status }}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
    });
    const campaigns: number[] = [];
    for (const name of ['First', 'Second']) {
      const c = await createCampaign(deps, actor, { name, template_id: template, from_email: 'studio@example.com' });
      await setTrigger(deps, actor, c.id, { event_type: 'job.status_changed', condition: { all: [{ field: 'data.status', op: 'eq', value: 'for_sale' }] } });
      await sendCampaign(deps, actor, c.id);
      campaigns.push(c.id);
    }
    const workers = [startWorker(env.url, sink.url), startWorker(env.url, sink.url), startWorker(env.url, sink.url)];
    children.push(...workers);

    // Contacts overlap between entities, in no particular order (Herald upserts them in one order).
    const contactsOf = (e: number) => Array.from({ length: PER_EVENT }, (_, k) => ({ email: `c${(e + k * 2) % CONTACTS}@example.com` }));
    const expected = new Set<string>();
    for (let e = 0; e < ENTITIES; e++) for (const c of contactsOf(e)) for (const name of ['First', 'Second']) expected.add(`${c.email}|${name}: job-${e}`);

    const post = (e: number, key: string) =>
      recordEvent(deps, actor, { type: 'job.status_changed', entity: `job-${e}`, data: { status: 'for_sale' }, contacts: contactsOf(e), idempotency_key: key });
    for (let e = 0; e < ENTITIES; e += 4) {
      // Four entities at a time, each posted twice with the same key at once, while the workers fire.
      const batch = [e, e + 1, e + 2, e + 3];
      const results = await Promise.all(batch.flatMap((i) => [post(i, `job-${i}-a`), post(i, `job-${i}-a`)]));
      for (let i = 0; i < batch.length; i++) {
        const [x, y] = [results[2 * i], results[2 * i + 1]];
        expect(x.event_id).toBe(y.event_id);
        expect([x.duplicate, y.duplicate].sort()).toEqual([false, true]);
      }
    }
    // A second for_sale event of every entity (new keys) while the first ones are being sent.
    await Promise.all(Array.from({ length: ENTITIES }, (_, e) => post(e, `job-${e}-b`)));

    await waitFor(`${expected.size} messages`, () => sink.count() >= expected.size, 60_000);
    // Give a duplicate, if there were one, time to arrive.
    await new Promise((r) => setTimeout(r, 1500));
    for (const w of workers) w.kill('SIGTERM');

    const received = new Map<string, number>();
    for (const m of sink.messages) for (const to of m.to) received.set(`${to}|${m.subject}`, (received.get(`${to}|${m.subject}`) ?? 0) + 1);
    expect([...received.keys()].sort()).toEqual([...expected].sort());
    expect([...received.entries()].filter(([, count]) => count > 1)).toEqual([]);

    const firings = await env.store.db.selectFrom('trigger_firings').select(['status', 'delivery_id']).where('account_id', '=', accountId).execute();
    expect(firings).toHaveLength(expected.size);
    expect(firings.every((f) => f.status === 'fired' && f.delivery_id !== null)).toBe(true);
    const messages = await env.store.db.selectFrom('messages').select(['status', 'possible_duplicate']).where('account_id', '=', accountId).execute();
    expect(messages).toHaveLength(expected.size);
    expect(messages.every((m) => m.status === 'sent' && m.possible_duplicate === 0)).toBe(true);
    const events = await env.store.db.selectFrom('trigger_events').select('id').where('account_id', '=', accountId).execute();
    expect(events).toHaveLength(ENTITIES * 2);
  });

  it('an event posted while its campaign is being launched is fired, not lost between the two', { timeout: 30_000 }, async () => {
    const deps: AppDeps = { ...env.deps, clock: { now: () => new Date() } };
    const accountId = await seedAccount(deps, 'Racy');
    const actor: Actor = { accountId, role: 'owner', label: 'test' };
    await declareEventType(deps, actor, { name: 'job.status_changed' });
    const template = await seedTemplate(env.store.db, accountId);
    const c = await createCampaign(deps, actor, { name: 'Launching', template_id: template, from_email: 'studio@example.com' });
    await setTrigger(deps, actor, c.id, { event_type: 'job.status_changed', catch_up: 'send' });
    const campaign = await loadCampaignRow(deps, actor, c.id);
    let event: ReturnType<typeof recordEvent> | undefined;
    await env.store.db.transaction().execute(async (trx) => {
      const now = new Date();
      // The launch has run its catch-up (nothing yet) but not committed when the event comes in.
      await startCampaign({ deps, trx, actor, campaign, at: now, now });
      event = recordEvent(deps, actor, { type: 'job.status_changed', entity: 'job-1', contacts: [{ email: 'racy@example.com' }], idempotency_key: 'racy' });
      await new Promise((r) => setTimeout(r, 300));
    });
    const result = await event!;
    expect(result).toMatchObject({ matched_campaigns: [c.id], firings_created: 1 });
  });
});
