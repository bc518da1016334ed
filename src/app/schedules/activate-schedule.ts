// Launching a recurring campaign: it becomes `active` and its schedule's next_run_at is the first
// occurrence at or after max(now, the launch's `at`, starts_at). Runs in the launch's transaction;
// the workers fire occurrences from then on (fire-due-schedules.ts).
import { compileCron, occurrencesFrom } from '../../core/schedules/cron-rule.ts';
import type { StartArgs } from '../campaigns/start-campaign.ts';
import { AppError } from '../errors.ts';

export async function activateSchedule(args: StartArgs): Promise<void> {
  const { trx, campaign, at, now } = args;
  const s = await trx.selectFrom('campaign_schedules').selectAll().where('campaign_id', '=', campaign.id).executeTakeFirst();
  if (!s) {
    throw new AppError('invalid_state', `campaign ${campaign.id} is recurring but has no schedule; set one with PUT /api/v1/campaigns/${campaign.id}/schedule`, 'schedule');
  }
  const compiled = compileCron(s.cron, s.timezone);
  if (!compiled.ok) throw new AppError('invalid_state', `campaign ${campaign.id}'s schedule is invalid: ${compiled.message}`, 'cron');
  const from = new Date(Math.max(now.getTime(), at.getTime(), s.starts_at ? Date.parse(s.starts_at) : 0));
  const [first] = occurrencesFrom(compiled.rule, from, 1, s.ends_at ? new Date(s.ends_at) : null);
  if (!first) {
    throw new AppError('invalid_state', `campaign ${campaign.id}'s schedule has no occurrence between ${from.toISOString()} and its ends_at ${s.ends_at}`, 'ends_at');
  }
  const nowIso = now.toISOString();
  await trx.updateTable('campaign_schedules').set({ next_run_at: first.toISOString(), updated_at: nowIso }).where('campaign_id', '=', campaign.id).execute();
  await trx
    .updateTable('campaigns')
    .set({ status: 'active', scheduled_at: first.toISOString(), updated_at: nowIso })
    .where('id', '=', campaign.id)
    .where('account_id', '=', campaign.account_id)
    .execute();
}
