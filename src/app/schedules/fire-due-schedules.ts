// The worker step that fires recurring campaigns. For each active schedule whose next_run_at has
// come, the worker claims the occurrence with a compare-and-set on next_run_at (moving it to the
// first occurrence after now); only the worker whose update matched creates the run, in the same
// transaction, with run key "cron:<occurrence>" (unique per campaign: the second guard). So with
// any number of workers, and across restarts, each occurrence becomes at most one run, and a crash
// between the claim and the run rolls both back.
import { compileCron, countOccurrences, occurrenceAfter, occurrenceAtOrBefore } from '../../core/schedules/cron-rule.ts';
import { type MissedRunsPolicy, planOccurrence } from '../../core/schedules/missed-runs.ts';
import { createDelivery } from '../deliveries/create-delivery.ts';
import type { AppDeps } from '../deps.ts';
import { notify } from '../notifications/notify.ts';
import type { CampaignSchedulesTable } from '../../store/schema-schedules.ts';
import { localTime } from './write-schedule.ts';

/** Schedules looked at per pass; the rest wait for the next pass (which comes at once while there is work). */
const PER_PASS = 20;

type DueSchedule = CampaignSchedulesTable & { name: string };

export async function fireDueSchedules(deps: AppDeps, now: Date): Promise<number> {
  const due = await deps.store.db
    .selectFrom('campaign_schedules as s')
    .innerJoin('campaigns as c', 'c.id', 's.campaign_id')
    .selectAll('s')
    .select('c.name')
    .where('c.status', '=', 'active')
    .where('c.kind', '=', 'recurring')
    // Null while active: the schedule ended while the campaign was paused (ends_at passed); it completes.
    .where((eb) => eb.or([eb('s.next_run_at', '<=', now.toISOString()), eb('s.next_run_at', 'is', null)]))
    .orderBy('s.next_run_at')
    .limit(PER_PASS)
    .execute();
  let fired = 0;
  for (const s of due) if (await fireOccurrence(deps, s, now)) fired++;
  return fired;
}

async function fireOccurrence(deps: AppDeps, s: DueSchedule, now: Date): Promise<boolean> {
  const compiled = compileCron(s.cron, s.timezone);
  if (!compiled.ok) {
    // Validated when it was set; only a changed cron library could get here. Loud, never silent.
    deps.log.error({ campaignId: s.campaign_id, cron: s.cron }, `schedule cannot be read: ${compiled.message}`);
    return false;
  }
  const rule = compiled.rule;
  if (s.next_run_at === null) {
    const done = await deps.store.db
      .updateTable('campaigns')
      .set({ status: 'completed', updated_at: now.toISOString() })
      .where('id', '=', s.campaign_id)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return Number(done.numUpdatedRows) > 0;
  }
  const due = new Date(s.next_run_at);
  const endsAt = s.ends_at ? new Date(s.ends_at) : null;
  // The latest occurrence that has come (and is before ends_at): Herald may have been down past several.
  const horizon = endsAt && endsAt.getTime() <= now.getTime() ? new Date(endsAt.getTime() - 1) : now;
  const latestSeen = occurrenceAtOrBefore(rule, horizon);
  const occurrence = latestSeen && latestSeen.getTime() > due.getTime() ? latestSeen : due;
  const missedBefore = occurrence.getTime() > due.getTime() ? countOccurrences(rule, due, occurrence) : 0;
  const plan = planOccurrence({
    occurrence,
    now,
    missedBefore,
    policy: s.missed_runs as MissedRunsPolicy,
    confirmEachRun: s.confirm_each_run === 1,
  });
  const runs = s.runs_created + (plan.status === 'skipped' ? 0 : 1);
  let next = occurrenceAfter(rule, new Date(Math.max(now.getTime(), occurrence.getTime())));
  if (next && endsAt && next.getTime() >= endsAt.getTime()) next = null;
  if (s.max_runs !== null && runs >= s.max_runs) next = null;
  const nowIso = now.toISOString();
  const occurrenceIso = occurrence.toISOString();

  const run = await deps.store.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('campaign_schedules')
      .set({ next_run_at: next?.toISOString() ?? null, last_run_at: occurrenceIso, runs_created: runs, updated_at: nowIso })
      .where('campaign_id', '=', s.campaign_id)
      .where('next_run_at', '=', s.next_run_at)
      // Not while a pause or cancel that came in since the read is committed.
      .where((eb) => eb.exists(eb.selectFrom('campaigns').select('id').where('id', '=', s.campaign_id).where('status', '=', 'active')))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return null; // another worker fired it
    const delivery = await createDelivery(trx, {
      accountId: s.account_id,
      campaignId: s.campaign_id,
      scheduledAt: occurrence,
      status: plan.status,
      runKey: `cron:${occurrenceIso}`,
      statusReason: plan.reason,
      createdBy: 'scheduler',
      now,
    });
    if (!delivery.created) return null;
    if (plan.status === 'awaiting_confirmation') {
      // An older run still waiting for its confirmation is superseded by this one: confirming it
      // now would send last week's mailing late, and unconfirmed runs would pile up one per occurrence.
      await trx
        .updateTable('deliveries')
        .set({ status: 'skipped', status_reason: `not confirmed before the next run (${occurrenceIso}) came due`, finished_at: nowIso, updated_at: nowIso })
        .where('campaign_id', '=', s.campaign_id)
        .where('status', '=', 'awaiting_confirmation')
        .where('id', '!=', delivery.id)
        .execute();
    }
    if (next === null) {
      // The schedule has ended (ends_at or max_runs): the campaign is completed; its runs go on.
      await trx.updateTable('campaigns').set({ status: 'completed', updated_at: nowIso }).where('id', '=', s.campaign_id).where('status', '=', 'active').execute();
    } else {
      await trx.updateTable('campaigns').set({ scheduled_at: next.toISOString() }).where('id', '=', s.campaign_id).execute();
    }
    const when = `${localTime(occurrence, s.timezone)} (${s.timezone})`;
    if (plan.status === 'skipped') {
      await notify(
        deps,
        {
          accountId: s.account_id,
          kind: 'run_skipped',
          title: `Run of "${s.name}" at ${when} was skipped`,
          body: plan.reason ?? '',
          data: { campaign_id: s.campaign_id, delivery_id: delivery.id, occurrence: occurrenceIso, missed_before: plan.missedBefore },
          subject: { type: 'delivery', id: delivery.id },
          dedupeKey: `run_skipped:${s.campaign_id}:${occurrenceIso}`,
        },
        trx,
      );
    } else if (plan.status === 'awaiting_confirmation') {
      await notify(
        deps,
        {
          accountId: s.account_id,
          kind: 'run_awaiting_confirmation',
          title: `Run of "${s.name}" at ${when} waits for confirmation`,
          body: `Confirm it with POST /api/v1/deliveries/${delivery.id}/confirm (herald runs confirm ${delivery.id}) or skip it with …/skip.${plan.reason ? ` ${plan.reason}` : ''}`,
          data: { campaign_id: s.campaign_id, delivery_id: delivery.id, occurrence: occurrenceIso },
          subject: { type: 'delivery', id: delivery.id },
          dedupeKey: `run_awaiting_confirmation:${s.campaign_id}:${occurrenceIso}`,
        },
        trx,
      );
    }
    return delivery.id;
  });
  if (run !== null) deps.log.info({ campaignId: s.campaign_id, deliveryId: run, occurrence: occurrenceIso, status: plan.status }, 'recurring run created');
  return run !== null;
}
