// Setting, reading and removing a campaign's schedule. Setting one on a draft makes the campaign
// recurring; removing it makes it a one-off draft again. Every field is checked before anything is
// written: a wrong cron rule, zone or window changes nothing, and the error names the field.
import { compileCron, type CronRule, occurrencesFrom } from '../../core/schedules/cron-rule.ts';
import { MISSED_RUNS_POLICIES, type MissedRunsPolicy } from '../../core/schedules/missed-runs.ts';
import { DateTime } from 'luxon';
import type { CampaignRow } from '../../store/schema.ts';
import type { CampaignSchedulesTable } from '../../store/schema-schedules.ts';
import { loadCampaignRow } from '../campaigns/read-campaigns.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { accountTimeZone, parseTimeInZone } from './parse-send-time.ts';
import { moveCampaign } from '../campaigns/move-campaign.ts';

export interface ScheduleInput {
  cron: string;
  timezone?: string | null;
  confirm_each_run?: boolean;
  missed_runs?: MissedRunsPolicy;
  starts_at?: string | null;
  ends_at?: string | null;
  max_runs?: number | null;
}

export interface Occurrence {
  at: string;
  /** The same instant in the schedule's zone, with its offset. */
  local: string;
}

export interface ScheduleView {
  campaign_id: number;
  campaign_status: string;
  cron: string;
  timezone: string;
  confirm_each_run: boolean;
  missed_runs: MissedRunsPolicy;
  starts_at: string | null;
  ends_at: string | null;
  max_runs: number | null;
  next_run_at: string | null;
  last_run_at: string | null;
  runs_created: number;
  /** The next five occurrences that would run (after starts_at, before ends_at, within max_runs). */
  upcoming: Occurrence[];
  created_at: string;
  updated_at: string;
}

/** Campaign states in which the schedule may be changed: before launch, or while paused. */
const EDITABLE = ['draft', 'paused'];

function checkEditable(campaign: CampaignRow, action: string): void {
  if (campaign.kind !== 'one-off' && campaign.kind !== 'recurring') {
    throw new AppError('invalid_state', `campaign ${campaign.id} is ${campaign.kind}; only a one-off or recurring campaign can have a schedule`, 'kind');
  }
  if (!EDITABLE.includes(campaign.status) || (campaign.status === 'paused' && campaign.kind !== 'recurring')) {
    throw new AppError('invalid_state', `campaign ${campaign.id} is ${campaign.status}; its schedule can be ${action} while it is a draft (or a paused recurring campaign)`, 'status');
  }
}

export function localTime(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISO({ suppressMilliseconds: true }) ?? at.toISOString();
}

export async function setSchedule(deps: AppDeps, actor: Actor, campaignId: number, input: ScheduleInput): Promise<ScheduleView> {
  const campaign = await loadCampaignRow(deps, actor, campaignId);
  checkEditable(campaign, 'set');
  const now = deps.clock.now();
  const timezone = input.timezone ?? (await accountTimeZone(deps, actor));
  const compiled = compileCron(input.cron, timezone);
  if (!compiled.ok) throw new AppError('invalid_input', compiled.message, compiled.field);
  const missed = input.missed_runs ?? 'run_once';
  if (!MISSED_RUNS_POLICIES.includes(missed)) throw new AppError('invalid_input', `missed_runs: must be ${MISSED_RUNS_POLICIES.join(' or ')}, got "${missed}"`, 'missed_runs');
  const startsAt = input.starts_at ? parseTimeInZone(input.starts_at, timezone, 'starts_at') : null;
  const endsAt = input.ends_at ? parseTimeInZone(input.ends_at, timezone, 'ends_at') : null;
  if (endsAt && startsAt && endsAt.getTime() <= startsAt.getTime()) {
    throw new AppError('invalid_input', `ends_at: ${endsAt.toISOString()} must be after starts_at ${startsAt.toISOString()}`, 'ends_at');
  }
  if (endsAt && endsAt.getTime() <= now.getTime()) throw new AppError('invalid_input', `ends_at: ${endsAt.toISOString()} is in the past`, 'ends_at');
  const from = new Date(Math.max(now.getTime(), startsAt?.getTime() ?? 0));
  if (occurrencesFrom(compiled.rule, from, 1, endsAt).length === 0) {
    throw new AppError('invalid_input', `ends_at: "${input.cron}" has no occurrence between ${from.toISOString()} and ${endsAt?.toISOString()}`, 'ends_at');
  }
  const nowIso = now.toISOString();
  const row = {
    cron: input.cron.trim(),
    timezone,
    confirm_each_run: input.confirm_each_run ? 1 : 0,
    missed_runs: missed,
    starts_at: startsAt?.toISOString() ?? null,
    ends_at: endsAt?.toISOString() ?? null,
    max_runs: input.max_runs ?? null,
    updated_at: nowIso,
  };
  await deps.store.db.transaction().execute(async (trx) => {
    // The campaign changes kind only from the state it was read in (a concurrent launch wins cleanly).
    await moveCampaign(trx, { campaignId, accountId: actor.accountId, from: [campaign.status], set: { kind: 'recurring', updated_at: nowIso }, doing: 'scheduled' });
    await trx
      .insertInto('campaign_schedules')
      .values({ campaign_id: campaignId, account_id: actor.accountId, ...row, next_run_at: null, last_run_at: null, runs_created: 0, created_at: nowIso })
      .onConflict((oc) => oc.column('campaign_id').doUpdateSet(row))
      .execute();
    await recordAudit({ trx, now: nowIso }, actor, 'campaign.schedule_set', `campaign:${campaignId}`, row);
  });
  return getSchedule(deps, actor, campaignId);
}

export async function loadSchedule(deps: AppDeps, actor: Actor, campaignId: number) {
  await loadCampaignRow(deps, actor, campaignId);
  const row = await deps.store.db
    .selectFrom('campaign_schedules')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('account_id', '=', actor.accountId)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `campaign ${campaignId} has no schedule; set one with PUT /api/v1/campaigns/${campaignId}/schedule`, 'id');
  return row;
}

/** The occurrences that would run next: from next_run_at once launched, else from max(now, starts_at). */
export function upcomingOccurrences(s: Pick<CampaignSchedulesTable, 'starts_at' | 'ends_at' | 'max_runs' | 'runs_created' | 'next_run_at'>, rule: CronRule, now: Date, launched: boolean, n = 5): Date[] {
  if (launched && s.next_run_at === null) return [];
  const from = launched && s.next_run_at ? new Date(s.next_run_at) : new Date(Math.max(now.getTime(), s.starts_at ? Date.parse(s.starts_at) : 0));
  const left = s.max_runs === null ? n : Math.max(0, Math.min(n, s.max_runs - s.runs_created));
  return occurrencesFrom(rule, from, left, s.ends_at ? new Date(s.ends_at) : null);
}

export async function getSchedule(deps: AppDeps, actor: Actor, campaignId: number): Promise<ScheduleView> {
  const campaign = await loadCampaignRow(deps, actor, campaignId);
  const s = await loadSchedule(deps, actor, campaignId);
  const compiled = compileCron(s.cron, s.timezone);
  const launched = campaign.status !== 'draft';
  const upcoming = compiled.ok && ['draft', 'active', 'paused'].includes(campaign.status) ? upcomingOccurrences(s, compiled.rule, deps.clock.now(), launched && campaign.status === 'active') : [];
  return {
    campaign_id: s.campaign_id,
    campaign_status: campaign.status,
    cron: s.cron,
    timezone: s.timezone,
    confirm_each_run: s.confirm_each_run === 1,
    missed_runs: s.missed_runs as MissedRunsPolicy,
    starts_at: s.starts_at,
    ends_at: s.ends_at,
    max_runs: s.max_runs,
    next_run_at: s.next_run_at,
    last_run_at: s.last_run_at,
    runs_created: s.runs_created,
    upcoming: upcoming.map((d) => ({ at: d.toISOString(), local: localTime(d, s.timezone) })),
    created_at: s.created_at,
    updated_at: s.updated_at,
  };
}

/** Removes the schedule of a draft: the campaign is a one-off draft again. */
export async function removeSchedule(deps: AppDeps, actor: Actor, campaignId: number): Promise<void> {
  const campaign = await loadCampaignRow(deps, actor, campaignId);
  await loadSchedule(deps, actor, campaignId);
  if (campaign.status !== 'draft') {
    throw new AppError('invalid_state', `campaign ${campaignId} is ${campaign.status}; a schedule can only be removed from a draft (cancel the campaign to stop it)`, 'status');
  }
  const nowIso = deps.clock.now().toISOString();
  await deps.store.db.transaction().execute(async (trx) => {
    await moveCampaign(trx, { campaignId, accountId: actor.accountId, from: ['draft'], set: { kind: 'one-off', updated_at: nowIso }, doing: 'unscheduled' });
    await trx.deleteFrom('campaign_schedules').where('campaign_id', '=', campaignId).where('account_id', '=', actor.accountId).execute();
    await recordAudit({ trx, now: nowIso }, actor, 'campaign.schedule_removed', `campaign:${campaignId}`, {});
  });
}
