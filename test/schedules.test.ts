// F4.3 scheduling on both dialects with a test clock: send times in the account's zone (DST
// included), cron rules and zones checked (nothing changes on error), recurring campaigns whose
// occurrences become runs with their own ledgers (real SMTP sink), the missed-run policies after
// a gap, confirmation per run, pause/resume, and the end of a schedule (ends_at, max_runs).
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { invalid } from '../src/app/errors.ts';
import { reportCliError } from '../src/cli/cli-context.ts';
import { cancelCampaign, pauseCampaign, resumeCampaign } from '../src/app/campaigns/control-campaign.ts';
import { sendCampaign } from '../src/app/campaigns/send-campaign.ts';
import { createCampaign } from '../src/app/campaigns/write-campaign.ts';
import type { Actor } from '../src/app/deps.ts';
import { updatePacingPolicy } from '../src/app/pacing/account-policy.ts';
import { fireDueSchedules } from '../src/app/schedules/fire-due-schedules.ts';
import { getSchedule, setSchedule } from '../src/app/schedules/write-schedule.ts';
import { MISSED_RUN_GRACE_MS } from '../src/core/schedules/missed-runs.ts';
import { createDeliveryWorker } from '../src/workers/delivery-worker.ts';
import { describeEachDialect, type TestEnv } from './support/dialects.ts';
import { createTestApi, type TestApi } from './support/http.ts';
import { seedContacts, seedList, seedTemplate } from './support/seed.ts';
import { smtpSinkForBlock } from './support/smtp-sink-for-block.ts';
import { runUntilIdle } from './support/run-worker.ts';

it('a campaign runs filter with an unknown status is refused, naming it (the CLI has no schema in front)', async () => {
  const { listCampaignDeliveries } = await import('../src/app/deliveries/read-deliveries.ts');
  const deps = {} as never;
  await expect(listCampaignDeliveries(deps, { accountId: 1, role: 'owner', label: 'cli' }, 1, { limit: 10, status: 'foo' })).rejects.toMatchObject({
    code: 'invalid_input',
    field: 'status',
    message: expect.stringContaining('unknown run status "foo"; one of scheduled, awaiting_confirmation'),
  });
});

it('the CLI names a refused field once, also when the message starts with it', () => {
  const written: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    reportCliError(invalid('timezone', 'timezone: "Europe/Berln" is not an IANA time zone such as "Europe/Berlin"'));
    reportCliError(invalid('cron', 'never fires'));
  } finally {
    spy.mockRestore();
  }
  expect(written).toEqual(['error: timezone: "Europe/Berln" is not an IANA time zone such as "Europe/Berlin"\n', 'error: cron: never fires\n']);
});

describeEachDialect('scheduling: send times and recurring campaigns', (get) => {
  const smtp = smtpSinkForBlock();
  let api: TestApi;
  let actor: Actor;
  let list: number;
  let template: number;
  let slug = 0;

  beforeAll(async () => {
    const env = get();
    env.clock.set('2026-03-02T10:00:00.000Z');
    api = await createTestApi(env);
    actor = { accountId: api.accountId, role: 'owner', label: 'test' };
    // Recipients' quiet hours would hold automated runs at night; these tests are about the schedule.
    await updatePacingPolicy(env.deps, actor, { timezone: 'Europe/Berlin', quiet_hours: { enabled: false } });
    list = await seedList(env.store.db, api.accountId, 'Customers');
    template = await seedTemplate(env.store.db, api.accountId);
    await seedContacts(env.store.db, api.accountId, [
      { email: 'anna@example.com', first_name: 'Anna', lists: [[list, 'subscribed']] },
      { email: 'ben@example.com', first_name: 'Ben', lists: [[list, 'subscribed']] },
      { email: 'cleo@example.com', lists: [[list, 'subscribed']] },
    ]);
  });
  afterAll(async () => {
    await api.app.close();
  });

  async function draft(name = `Weekly ${++slug}`) {
    return createCampaign(get().deps, actor, { name, template_id: template, from_email: 'news@studio.example.com', audience: { list_ids: [list] } });
  }
  const runs = (env: TestEnv, campaignId: number) =>
    env.store.db.selectFrom('deliveries').selectAll().where('campaign_id', '=', campaignId).orderBy('id').execute();
  const scheduleRow = (env: TestEnv, campaignId: number) =>
    env.store.db.selectFrom('campaign_schedules').selectAll().where('campaign_id', '=', campaignId).executeTakeFirstOrThrow();

  it('refuses invalid cron rules, zones and windows naming the field, and changes nothing', async () => {
    const env = get();
    env.clock.set('2026-03-02T10:00:00.000Z');
    const c = await draft();
    const url = `/api/v1/campaigns/${c.id}/schedule`;
    const cases: Array<[unknown, string, RegExp]> = [
      [{ cron: '61 * * * *' }, 'cron', /cron: "61 \* \* \* \*" is not a valid cron rule.*minute/],
      [{ cron: 'every monday' }, 'cron', /cron: .*5 fields/],
      [{ cron: '0 9 * * 1 * 2027' }, 'cron', /cron: /],
      [{ cron: '0 0 31 2 *' }, 'cron', /never fires/],
      [{ cron: '0 9 * * 1', timezone: 'Mars/Olympus' }, 'timezone', /timezone: "Mars\/Olympus" is not an IANA time zone/],
      [{ cron: '0 9 * * 1', starts_at: '2026-04-01T00:00', ends_at: '2026-03-20T00:00' }, 'ends_at', /ends_at: .* must be after starts_at/],
      [{ cron: '0 9 * * 1', ends_at: '2026-03-01T00:00' }, 'ends_at', /in the past/],
      [{ cron: '0 9 1 1 *', ends_at: '2026-06-01T00:00' }, 'ends_at', /no occurrence/],
      [{ cron: '0 9 * * 1', starts_at: 'next week' }, 'starts_at', /starts_at: "next week" is not an ISO 8601 time/],
      [{ cron: '0 9 * * 1', starts_at: '2026-03-29T02:30', timezone: 'Europe/Berlin' }, 'starts_at', /does not exist in Europe\/Berlin/],
    ];
    for (const [body, field, message] of cases) {
      const res = await api.call('PUT', url, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.json.error.field, JSON.stringify(body)).toBe(field);
      expect(res.json.error.message).toMatch(message);
    }
    // The route's schema refuses an unknown policy before the use case runs.
    expect((await api.call('PUT', url, { cron: '0 9 * * 1', missed_runs: 'twice' })).status).toBe(400);
    const after = await env.store.db.selectFrom('campaigns').select(['kind', 'status']).where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ kind: 'one-off', status: 'draft' });
    expect(await env.store.db.selectFrom('campaign_schedules').selectAll().where('campaign_id', '=', c.id).execute()).toEqual([]);
    expect((await api.call('GET', url)).status).toBe(404);
  });

  it('reads a local send time in the account zone, across DST, and refuses gaps and past times', async () => {
    const env = get();
    env.clock.set('2026-03-02T10:00:00.000Z');
    const c = await draft('One-off');
    const send = (at: string) => api.call('POST', `/api/v1/campaigns/${c.id}/send`, { at });
    // Berlin is UTC+1 in winter, UTC+2 in summer.
    let res = await send('2026-12-01T09:00');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ status: 'scheduled', scheduled_at: '2026-12-01T08:00:00.000Z' });
    res = await send('2026-07-01T09:00');
    expect(res.json.scheduled_at).toBe('2026-07-01T07:00:00.000Z');
    // The clocks go from 02:00 to 03:00 on 2026-03-29: 02:30 does not exist.
    res = await send('2026-03-29T02:30');
    expect(res.status).toBe(422);
    expect(res.json.error).toMatchObject({ code: 'invalid_input', field: 'at' });
    expect(res.json.error.message).toMatch(/2026-03-29T02:30 does not exist in Europe\/Berlin/);
    res = await send('2026-03-01T09:00');
    expect(res.status).toBe(422);
    expect(res.json.error.field).toBe('at');
    expect(res.json.error.message).toMatch(/in the past/);
    res = await send('tomorrow at nine');
    expect(res.status).toBe(422);
    expect(res.json.error.field).toBe('at');
    // Refusals changed nothing: still the July time.
    expect((await api.call('GET', `/api/v1/campaigns/${c.id}`)).json.scheduled_at).toBe('2026-07-01T07:00:00.000Z');
    // With an offset the zone does not matter.
    res = await send('2026-07-01T09:00:00-04:00');
    expect(res.json.scheduled_at).toBe('2026-07-01T13:00:00.000Z');
    await cancelCampaign(env.deps, actor, c.id);
  });

  it('sets a schedule, shows the next occurrences in UTC and in the zone, activates on launch, and can be removed from a draft', async () => {
    const env = get();
    env.clock.set('2026-03-02T10:00:00.000Z'); // a Monday, 11:00 in Berlin: this week's 09:00 has passed
    const c = await draft();
    const put = await api.call('PUT', `/api/v1/campaigns/${c.id}/schedule`, { cron: '0 9 * * 1', timezone: 'Europe/Berlin' });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    expect(put.json).toMatchObject({ cron: '0 9 * * 1', timezone: 'Europe/Berlin', missed_runs: 'run_once', confirm_each_run: false, next_run_at: null });
    expect(put.json.upcoming).toEqual([
      { at: '2026-03-09T08:00:00.000Z', local: '2026-03-09T09:00:00+01:00' },
      { at: '2026-03-16T08:00:00.000Z', local: '2026-03-16T09:00:00+01:00' },
      { at: '2026-03-23T08:00:00.000Z', local: '2026-03-23T09:00:00+01:00' },
      // Summer time from 29 March: still 09:00 in Berlin, an hour earlier in UTC.
      { at: '2026-03-30T07:00:00.000Z', local: '2026-03-30T09:00:00+02:00' },
      { at: '2026-04-06T07:00:00.000Z', local: '2026-04-06T09:00:00+02:00' },
    ]);
    expect((await api.call('GET', `/api/v1/campaigns/${c.id}`)).json.kind).toBe('recurring');

    // Removed from the draft: a one-off again.
    expect((await api.call('DELETE', `/api/v1/campaigns/${c.id}/schedule`)).status).toBe(204);
    expect((await api.call('GET', `/api/v1/campaigns/${c.id}`)).json).toMatchObject({ kind: 'one-off', status: 'draft' });

    // starts_at (local in the schedule's zone) pushes the first occurrence; launching with `at` too.
    await api.call('PUT', `/api/v1/campaigns/${c.id}/schedule`, { cron: '0 9 * * 1', starts_at: '2026-03-20T00:00' });
    const launched = await api.call('POST', `/api/v1/campaigns/${c.id}/send`, {});
    expect(launched.status, JSON.stringify(launched.json)).toBe(200);
    expect(launched.json).toMatchObject({ kind: 'recurring', status: 'active', scheduled_at: '2026-03-23T08:00:00.000Z' });
    const s = await getSchedule(env.deps, actor, c.id);
    expect(s.timezone).toBe('Europe/Berlin'); // the account's zone by default
    expect(s.next_run_at).toBe('2026-03-23T08:00:00.000Z');
    expect(s.upcoming[0].at).toBe('2026-03-23T08:00:00.000Z');
    // Once active, the schedule is not removed nor changed (cancel or pause first).
    expect((await api.call('DELETE', `/api/v1/campaigns/${c.id}/schedule`)).json.error.code).toBe('invalid_state');
    expect((await api.call('PUT', `/api/v1/campaigns/${c.id}/schedule`, { cron: '0 10 * * 1' })).status).toBe(409);

    const later = await draft();
    await setSchedule(env.deps, actor, later.id, { cron: '0 9 * * 1' });
    const at = await api.call('POST', `/api/v1/campaigns/${later.id}/send`, { at: '2026-04-01T12:00' });
    expect(at.json).toMatchObject({ status: 'active', scheduled_at: '2026-04-06T07:00:00.000Z' });
    await cancelCampaign(env.deps, actor, c.id);
    await cancelCampaign(env.deps, actor, later.id);
  });

  it('each occurrence becomes one run with its own ledger, stats and KPIs; several workers fire it once', async () => {
    const env = get();
    env.clock.set('2026-03-02T10:00:00.000Z');
    const worker = createDeliveryWorker(env.deps, smtp.transport);
    const c = await draft();
    await setSchedule(env.deps, actor, c.id, { cron: '0 9 * * *', timezone: 'Europe/Berlin' });
    await sendCampaign(env.deps, actor, c.id);
    // Not due yet.
    await runUntilIdle(worker);
    expect(await runs(env, c.id)).toEqual([]);

    const before = smtp.sink.count();
    env.clock.set('2026-03-03T08:00:01.000Z');
    // Three workers at once on the due occurrence: one run.
    const fired = await Promise.all([fireDueSchedules(env.deps, env.clock.now()), fireDueSchedules(env.deps, env.clock.now()), fireDueSchedules(env.deps, env.clock.now())]);
    expect(fired.reduce((a, b) => a + b, 0)).toBe(1);
    await runUntilIdle(worker);
    env.clock.set('2026-03-04T08:00:30.000Z');
    await runUntilIdle(worker);

    const all = await runs(env, c.id);
    expect(all.map((d) => [d.run_key, d.status, d.scheduled_at, d.created_by])).toEqual([
      ['cron:2026-03-03T08:00:00.000Z', 'completed', '2026-03-03T08:00:00.000Z', 'scheduler'],
      ['cron:2026-03-04T08:00:00.000Z', 'completed', '2026-03-04T08:00:00.000Z', 'scheduler'],
    ]);
    expect(smtp.sink.count() - before).toBe(6);
    const received = smtp.sink.messages.slice(before).flatMap((m) => m.to).sort();
    expect(received).toEqual(['anna@example.com', 'anna@example.com', 'ben@example.com', 'ben@example.com', 'cleo@example.com', 'cleo@example.com']);

    const list = await api.call('GET', `/api/v1/campaigns/${c.id}/deliveries`);
    expect(list.status).toBe(200);
    expect(list.json.items.map((d: { run_key: string; counts: unknown; total: number }) => [d.run_key, d.counts, d.total])).toEqual([
      ['cron:2026-03-04T08:00:00.000Z', { sent: 3 }, 3],
      ['cron:2026-03-03T08:00:00.000Z', { sent: 3 }, 3],
    ]);
    const first = all[0].id;
    const one = await api.call('GET', `/api/v1/deliveries/${first}`);
    expect(one.json).toMatchObject({ id: first, status: 'completed', counts: { sent: 3 } });
    const stats = await api.call('GET', `/api/v1/deliveries/${first}/stats`);
    expect(stats.status).toBe(200);
    expect(stats.json).toMatchObject({ campaign_id: c.id, delivery: { id: first, status: 'completed' }, total: 3, sent: 3 });
    expect(stats.json.kpis.sent).toBe(3);
    expect(stats.json.runs).toBe('one');
    // The campaign's own numbers add up every run; its `delivery` is the latest.
    const overall = await api.call('GET', `/api/v1/campaigns/${c.id}/stats`);
    expect(overall.json).toMatchObject({ runs: 'all', total: 6, sent: 6, delivery: { id: all[1].id } });
    expect(overall.json.kpis.sent).toBe(6);
    expect(overall.json.hourly.reduce((n: number, h: { sent: number }) => n + h.sent, 0)).toBe(6);
    // Each run's ledger is its own.
    const perRun = await env.store.db.selectFrom('messages').select(['delivery_id', (eb) => eb.fn.countAll<number>().as('n')]).where('campaign_id', '=', c.id).groupBy('delivery_id').execute();
    expect(perRun.map((r) => Number(r.n))).toEqual([3, 3]);
    expect((await scheduleRow(env, c.id)).next_run_at).toBe('2026-03-05T08:00:00.000Z');
    await cancelCampaign(env.deps, actor, c.id);
  });

  it('after a gap: run_once makes one run for the latest missed occurrence; skip records it skipped, except within the grace period', async () => {
    const env = get();
    env.clock.set('2026-03-02T10:00:00.000Z');
    const worker = createDeliveryWorker(env.deps, smtp.transport);
    const once = await draft();
    const skip = await draft();
    await setSchedule(env.deps, actor, once.id, { cron: '0 * * * *', missed_runs: 'run_once' });
    await setSchedule(env.deps, actor, skip.id, { cron: '0 * * * *', missed_runs: 'skip' });
    await sendCampaign(env.deps, actor, once.id);
    await sendCampaign(env.deps, actor, skip.id);
    // Launched at 10:00 (the first occurrence is 10:00 itself); Herald was down until 15:30:
    // occurrences 10:00 … 14:00 are not run, 15:00 is the latest.
    env.clock.set('2026-03-02T15:30:00.000Z');
    const before = smtp.sink.count();
    await runUntilIdle(worker);
    const onceRuns = await runs(env, once.id);
    expect(onceRuns.map((d) => [d.run_key, d.status])).toEqual([['cron:2026-03-02T15:00:00.000Z', 'completed']]);
    expect(onceRuns[0].status_reason).toMatch(/late: .*run_once.*5 earlier occurrence/);
    const skipRuns = await runs(env, skip.id);
    expect(skipRuns.map((d) => [d.run_key, d.status])).toEqual([['cron:2026-03-02T15:00:00.000Z', 'skipped']]);
    expect(skipRuns[0].status_reason).toMatch(/missed: Herald was not running at 2026-03-02T15:00:00.000Z.*skip/);
    expect(skipRuns[0].finished_at).toBe('2026-03-02T15:30:00.000Z');
    expect(smtp.sink.count() - before).toBe(3);
    const note = await env.store.db.selectFrom('notifications').selectAll().where('account_id', '=', actor.accountId).where('kind', '=', 'run_skipped').execute();
    expect(note).toHaveLength(1);
    expect(note[0]).toMatchObject({ subject_type: 'delivery', subject_id: skipRuns[0].id });
    for (const id of [once.id, skip.id]) expect((await scheduleRow(env, id)).next_run_at).toBe('2026-03-02T16:00:00.000Z');
    // The skipped run shows in the history with its reason.
    const history = await api.call('GET', `/api/v1/campaigns/${skip.id}/deliveries`);
    expect(history.json.items[0]).toMatchObject({ status: 'skipped', run_key: 'cron:2026-03-02T15:00:00.000Z', counts: {} });

    // Within the grace period (written down: 10 minutes) a late occurrence still runs under skip.
    expect(MISSED_RUN_GRACE_MS).toBe(10 * 60_000);
    env.clock.set('2026-03-02T16:09:59.000Z');
    await runUntilIdle(worker);
    expect((await runs(env, skip.id)).map((d) => [d.run_key, d.status])).toEqual([
      ['cron:2026-03-02T15:00:00.000Z', 'skipped'],
      ['cron:2026-03-02T16:00:00.000Z', 'completed'],
    ]);
    // Just past it: skipped.
    env.clock.set('2026-03-02T17:10:01.000Z');
    await runUntilIdle(worker);
    expect((await runs(env, skip.id)).at(-1)).toMatchObject({ run_key: 'cron:2026-03-02T17:00:00.000Z', status: 'skipped' });
    await cancelCampaign(env.deps, actor, once.id);
    await cancelCampaign(env.deps, actor, skip.id);
  });

  it('confirm_each_run: a run waits for confirmation, then sends; another is skipped', async () => {
    const env = get();
    env.clock.set('2026-03-02T10:00:00.000Z');
    const worker = createDeliveryWorker(env.deps, smtp.transport);
    const c = await draft();
    await setSchedule(env.deps, actor, c.id, { cron: '0 * * * *', confirm_each_run: true });
    await sendCampaign(env.deps, actor, c.id);
    env.clock.set('2026-03-02T11:00:05.000Z');
    const before = smtp.sink.count();
    await runUntilIdle(worker);
    let [run] = await runs(env, c.id);
    expect(run).toMatchObject({ run_key: 'cron:2026-03-02T11:00:00.000Z', status: 'awaiting_confirmation' });
    expect(smtp.sink.count()).toBe(before);
    const note = await env.store.db.selectFrom('notifications').selectAll().where('kind', '=', 'run_awaiting_confirmation').where('subject_id', '=', run.id).execute();
    expect(note).toHaveLength(1);
    expect(note[0].body).toContain(`/api/v1/deliveries/${run.id}/confirm`);
    // An analyst may look but not confirm.
    const { createApiKey } = await import('../src/app/accounts/api-keys.ts');
    const { key: analyst } = await createApiKey(env.deps, { accountId: api.accountId, name: 'analyst', role: 'analyst' });
    expect((await api.call('POST', `/api/v1/deliveries/${run.id}/confirm`, undefined, analyst)).status).toBe(403);

    const confirmed = await api.call('POST', `/api/v1/deliveries/${run.id}/confirm`);
    expect(confirmed.status, JSON.stringify(confirmed.json)).toBe(200);
    expect(confirmed.json).toMatchObject({ status: 'scheduled', status_reason: expect.stringMatching(/^confirmed by api_key:/) });
    expect((await api.call('POST', `/api/v1/deliveries/${run.id}/confirm`)).status).toBe(409);
    await runUntilIdle(worker);
    [run] = await runs(env, c.id);
    expect(run.status).toBe('completed');
    expect(smtp.sink.count() - before).toBe(3);

    env.clock.set('2026-03-02T12:00:05.000Z');
    await runUntilIdle(worker);
    const second = (await runs(env, c.id))[1];
    expect(second.status).toBe('awaiting_confirmation');
    const skipped = await api.call('POST', `/api/v1/deliveries/${second.id}/skip`);
    expect(skipped.json).toMatchObject({ status: 'skipped', status_reason: expect.stringMatching(/^skipped by /) });
    await runUntilIdle(worker);
    expect(smtp.sink.count() - before).toBe(3);
    const audit = await env.store.db.selectFrom('audit_log').select('action').where('subject', 'in', [`delivery:${run.id}`, `delivery:${second.id}`]).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['delivery.confirm', 'delivery.skip']);

    // A run nobody confirmed is superseded when the next one comes due: never sent late, never piling up.
    env.clock.set('2026-03-02T13:00:05.000Z');
    await runUntilIdle(worker);
    env.clock.set('2026-03-02T14:00:05.000Z');
    await runUntilIdle(worker);
    const [third, fourth] = (await runs(env, c.id)).slice(2);
    expect(third).toMatchObject({ run_key: 'cron:2026-03-02T13:00:00.000Z', status: 'skipped', status_reason: expect.stringMatching(/not confirmed before the next run/) });
    expect(fourth).toMatchObject({ run_key: 'cron:2026-03-02T14:00:00.000Z', status: 'awaiting_confirmation' });
    expect((await api.call('POST', `/api/v1/deliveries/${third.id}/confirm`)).status).toBe(409);
    expect(smtp.sink.count() - before).toBe(3);
    await cancelCampaign(env.deps, actor, c.id);
  });

  it('a paused campaign does not run the occurrences it was paused through', async () => {
    const env = get();
    env.clock.set('2026-03-02T10:00:00.000Z');
    const worker = createDeliveryWorker(env.deps, smtp.transport);
    const c = await draft();
    await setSchedule(env.deps, actor, c.id, { cron: '0 * * * *' });
    await sendCampaign(env.deps, actor, c.id);
    env.clock.set('2026-03-02T11:00:01.000Z');
    await runUntilIdle(worker);
    env.clock.set('2026-03-02T11:30:00.000Z');
    expect((await pauseCampaign(env.deps, actor, c.id)).status).toBe('paused');
    // While paused the schedule may be changed; a bad rule still changes nothing.
    expect((await api.call('PUT', `/api/v1/campaigns/${c.id}/schedule`, { cron: '0 * * * *', missed_runs: 'skip' })).json.missed_runs).toBe('skip');
    expect((await api.call('PUT', `/api/v1/campaigns/${c.id}/schedule`, { cron: '0 25 * * *' })).status).toBe(422);
    expect((await scheduleRow(env, c.id)).cron).toBe('0 * * * *');
    // …and so may the campaign itself (sender, audience): the next runs use the change. Active, it may not.
    const edited = await api.call('PATCH', `/api/v1/campaigns/${c.id}`, { from_name: 'Studio Weekly' });
    expect(edited.status, JSON.stringify(edited.json)).toBe(200);
    expect(edited.json).toMatchObject({ status: 'paused', from_name: 'Studio Weekly' });
    env.clock.set('2026-03-02T14:30:00.000Z');
    await runUntilIdle(worker);
    expect((await runs(env, c.id)).map((d) => d.run_key)).toEqual(['cron:2026-03-02T11:00:00.000Z']);
    expect((await resumeCampaign(env.deps, actor, c.id)).status).toBe('active');
    expect((await scheduleRow(env, c.id)).next_run_at).toBe('2026-03-02T15:00:00.000Z');
    await runUntilIdle(worker);
    env.clock.set('2026-03-02T15:00:02.000Z');
    await runUntilIdle(worker);
    expect((await runs(env, c.id)).map((d) => [d.run_key, d.status])).toEqual([
      ['cron:2026-03-02T11:00:00.000Z', 'completed'],
      ['cron:2026-03-02T15:00:00.000Z', 'completed'],
    ]);
    expect(smtp.sink.messages.at(-1)?.raw).toMatch(/^From: Studio Weekly <news@studio\.example\.com>/m);
    const activeEdit = await api.call('PATCH', `/api/v1/campaigns/${c.id}`, { from_name: 'Again' });
    expect(activeEdit.status).toBe(409);
    expect(activeEdit.json.error.message).toMatch(/pause a recurring or triggered campaign to edit it/);
    await cancelCampaign(env.deps, actor, c.id);
  });

  it('a campaign whose ends_at passed while it was paused completes on resume, without a run', async () => {
    const env = get();
    env.clock.set('2026-03-02T10:30:00.000Z');
    const worker = createDeliveryWorker(env.deps, smtp.transport);
    const c = await draft();
    await setSchedule(env.deps, actor, c.id, { cron: '0 * * * *', ends_at: '2026-03-02T14:00' });
    await sendCampaign(env.deps, actor, c.id);
    await pauseCampaign(env.deps, actor, c.id);
    env.clock.set('2026-03-02T15:00:00.000Z');
    expect((await resumeCampaign(env.deps, actor, c.id)).status).toBe('active');
    expect((await scheduleRow(env, c.id)).next_run_at).toBeNull();
    await runUntilIdle(worker);
    expect((await api.call('GET', `/api/v1/campaigns/${c.id}`)).json.status).toBe('completed');
    expect(await runs(env, c.id)).toEqual([]);
  });

  it('max_runs and ends_at complete the campaign; a gap past ends_at runs only an occurrence before it', async () => {
    const env = get();
    env.clock.set('2026-03-02T10:00:00.000Z');
    const worker = createDeliveryWorker(env.deps, smtp.transport);
    const limited = await draft();
    const window = await draft();
    await setSchedule(env.deps, actor, limited.id, { cron: '0 * * * *', max_runs: 2 });
    // ends_at is local in the account's zone: 13:30 in Berlin is 12:30 UTC, so 11:00 and 12:00 UTC run.
    await setSchedule(env.deps, actor, window.id, { cron: '0 * * * *', ends_at: '2026-03-02T13:30' });
    await sendCampaign(env.deps, actor, limited.id);
    await sendCampaign(env.deps, actor, window.id);
    for (const t of ['11:00:01', '12:00:01', '13:00:01']) {
      env.clock.set(`2026-03-02T${t}.000Z`);
      await runUntilIdle(worker);
    }
    expect((await runs(env, limited.id)).map((d) => d.run_key)).toEqual(['cron:2026-03-02T11:00:00.000Z', 'cron:2026-03-02T12:00:00.000Z']);
    expect((await api.call('GET', `/api/v1/campaigns/${limited.id}`)).json.status).toBe('completed');
    expect(await scheduleRow(env, limited.id)).toMatchObject({ next_run_at: null, runs_created: 2 });
    expect((await getSchedule(env.deps, actor, limited.id)).upcoming).toEqual([]);

    expect((await runs(env, window.id)).map((d) => d.run_key)).toEqual(['cron:2026-03-02T11:00:00.000Z', 'cron:2026-03-02T12:00:00.000Z']);
    expect((await api.call('GET', `/api/v1/campaigns/${window.id}`)).json.status).toBe('completed');
    // Herald down from before the first occurrence until after ends_at: one run, the last before ends_at.
    const gap = await draft();
    await setSchedule(env.deps, actor, gap.id, { cron: '0 * * * *', ends_at: '2026-03-02T16:30' });
    await sendCampaign(env.deps, actor, gap.id);
    env.clock.set('2026-03-02T20:00:00.000Z');
    await runUntilIdle(worker);
    expect((await runs(env, gap.id)).map((d) => d.run_key)).toEqual(['cron:2026-03-02T15:00:00.000Z']);
    expect((await api.call('GET', `/api/v1/campaigns/${gap.id}`)).json.status).toBe('completed');
  });
});
