// F4.3 reliability with real `herald worker` processes on the real clock and a real SMTP sink:
// (a) schedules survive a restart — the worker is stopped before a one-off's time and before
//     recurring occurrences, started again after: every recipient gets exactly one message per run,
//     and the occurrences missed while it was down become one run (run_once);
// (b) on PostgreSQL, three workers on one every-second schedule: each occurrence is one run, and
//     each recipient gets one message per run.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendCampaign } from '../src/app/campaigns/send-campaign.ts';
import type { AppDeps } from '../src/app/deps.ts';
import { updatePacingPolicy } from '../src/app/pacing/account-policy.ts';
import { setSchedule } from '../src/app/schedules/write-schedule.ts';
import { describeEachDialect } from './support/dialects.ts';
import { seedAudience } from './support/seed-audience.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { waitFor } from './support/wait-for.ts';
import { killWorkerProcesses, startWorkerProcess, stopWorkerProcess } from './support/worker-processes.ts';

const RECIPIENTS = 5;
const startWorker = (databaseUrl: string, smtpUrl: string) => startWorkerProcess(databaseUrl, smtpUrl, { HERALD_WORKER_POLL_MS: '50' });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An account with RECIPIENTS contacts and a maker of draft campaigns to all of them. */
async function seedAudienceWithoutQuietHours(deps: AppDeps, name: string) {
  const audience = await seedAudience(deps, name, RECIPIENTS);
  // Automated runs respect quiet hours; this test may run at any hour.
  await updatePacingPolicy(deps, audience.actor, { quiet_hours: { enabled: false } });
  return audience;
}

/** Messages the sink received per address, for addresses starting with `prefix`. */
function receivedBy(sink: SmtpSink, prefix: string, from = 0): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of sink.messages.slice(from)) for (const to of m.to) if (to.startsWith(prefix)) out.set(to, (out.get(to) ?? 0) + 1);
  return out;
}

describeEachDialect('schedules with real worker processes', (get, dialect) => {
  let sink: SmtpSink;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    killWorkerProcesses(children);
    await sink.close();
  });

  it('a restart between scheduling and the due time loses nothing and sends nothing twice', { timeout: 40_000 }, async () => {
    const env = get();
    // The worker processes run on the real clock; so does this side.
    const deps = { ...env.deps, clock: { now: () => new Date() } };
    const db = env.store.db;
    const warm = await seedAudienceWithoutQuietHours(deps, 'Warm up');
    const once = await seedAudienceWithoutQuietHours(deps, 'Restart one-off');
    const rec = await seedAudienceWithoutQuietHours(deps, 'Restart recurring');
    const runsOf = (campaignId: number) => db.selectFrom('deliveries').selectAll().where('campaign_id', '=', campaignId).orderBy('id').execute();

    const first = startWorker(env.url, sink.url);
    children.push(first);
    // The worker is up once it has sent something.
    await sendCampaign(deps, warm.actor, (await warm.draft('Warm up')).id);
    await waitFor('the worker to send', () => receivedBy(sink, warm.slug).size === RECIPIENTS);

    // A one-off due in 2 s, and an every-second schedule from then on; the worker stops before.
    const dueAt = new Date(Math.ceil((Date.now() + 2_000) / 1000) * 1000);
    const oneOff = await once.draft('One-off in 2 s');
    await sendCampaign(deps, once.actor, oneOff.id, { at: dueAt.toISOString() });
    const recurring = await rec.draft('Every second');
    await setSchedule(deps, rec.actor, recurring.id, { cron: '* * * * * *', missed_runs: 'run_once', max_runs: 2, starts_at: dueAt.toISOString() });
    await sendCampaign(deps, rec.actor, recurring.id);
    await stopWorkerProcess(first);
    expect(Date.now()).toBeLessThan(dueAt.getTime());

    // Down past the one-off's time and several recurring occurrences.
    await sleep(dueAt.getTime() - Date.now() + 1_200);
    expect((await runsOf(oneOff.id)).map((d) => d.status)).toEqual(['scheduled']);
    expect(await runsOf(recurring.id)).toEqual([]);
    const restartedAt = Date.now();
    const second = startWorker(env.url, sink.url);
    children.push(second);
    await waitFor('the one-off to complete', async () => (await runsOf(oneOff.id))[0].status === 'completed');
    await waitFor('the recurring campaign to complete its two runs', async () => {
      const r = await runsOf(recurring.id);
      return r.length === 2 && r.every((d) => d.status === 'completed');
    });
    await stopWorkerProcess(second);

    const oneOffMail = receivedBy(sink, once.slug);
    expect(oneOffMail.size).toBe(RECIPIENTS);
    expect([...oneOffMail.values()].every((n) => n === 1)).toBe(true);

    const runs = await runsOf(recurring.id);
    expect(new Set(runs.map((d) => d.run_key)).size).toBe(2);
    const recMail = receivedBy(sink, rec.slug);
    expect(recMail.size).toBe(RECIPIENTS);
    expect([...recMail.values()].every((n) => n === 2)).toBe(true);
    // The occurrences while the worker was down (dueAt, dueAt+1 s, …) collapsed into one run for
    // the latest of them, made when the worker came back.
    expect(Date.parse(runs[0].scheduled_at!)).toBeGreaterThanOrEqual(restartedAt - 1_000);
    expect(runs[0].status_reason).toMatch(/earlier occurrence\(s\) were missed/);
    const campaign = await db.selectFrom('campaigns').select('status').where('id', '=', recurring.id).executeTakeFirstOrThrow();
    expect(campaign.status).toBe('completed');
  });

  // Several workers share one database only on PostgreSQL (dialects.ts leaves it out without PG).
  if (dialect !== 'postgres') return;
  it('three workers on PostgreSQL fire each occurrence once', { timeout: 40_000 }, async () => {
    const env = get();
    const deps = { ...env.deps, clock: { now: () => new Date() } };
    const db = env.store.db;
    const rec = await seedAudienceWithoutQuietHours(deps, 'Three workers');
    const c = await rec.draft('Every second, three workers');
    const RUNS = 3;
    await setSchedule(deps, rec.actor, c.id, { cron: '* * * * * *', max_runs: RUNS });
    const workers = [startWorker(env.url, sink.url), startWorker(env.url, sink.url), startWorker(env.url, sink.url)];
    children.push(...workers);
    // Launch once the workers are up, so that they compete for every occurrence.
    await sleep(1_200);
    await sendCampaign(deps, rec.actor, c.id);
    await waitFor('all runs to complete', async () => {
      const r = await db.selectFrom('deliveries').select('status').where('campaign_id', '=', c.id).execute();
      return r.length >= RUNS && r.every((d) => d.status === 'completed');
    });
    // A little longer: a worker that wrongly fired again would show up now.
    await sleep(800);
    await Promise.all(workers.map(stopWorkerProcess));
    const runs = await db.selectFrom('deliveries').select(['id', 'run_key', 'scheduled_at']).where('campaign_id', '=', c.id).orderBy('id').execute();
    expect(runs).toHaveLength(RUNS);
    expect(new Set(runs.map((d) => d.scheduled_at)).size).toBe(RUNS);
    const perRun = await db
      .selectFrom('messages')
      .select(['delivery_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('contact_id').distinct().as('contacts')])
      .where('campaign_id', '=', c.id)
      .groupBy('delivery_id')
      .execute();
    expect(perRun.map((r) => [Number(r.n), Number(r.contacts)])).toEqual(Array.from({ length: RUNS }, () => [RECIPIENTS, RECIPIENTS]));
    const mail = receivedBy(sink, rec.slug);
    expect(mail.size).toBe(RECIPIENTS);
    expect([...mail.values()]).toEqual(Array.from({ length: RECIPIENTS }, () => RUNS));
  });
});
