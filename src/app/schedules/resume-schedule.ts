// A recurring campaign that resumes after a pause does not make up for the occurrences it was
// paused through: its next run is the first occurrence from now on (within ends_at).
import { compileCron, occurrenceAfter, occurrenceAtOrAfter } from '../../core/schedules/cron-rule.ts';
import type { CampaignRow } from '../../store/schema.ts';
import type { AppDeps } from '../deps.ts';

/** Called before the campaign moves back to active, so no worker fires a paused-through occurrence. */
export async function rescheduleAfterPause(deps: AppDeps, campaign: CampaignRow): Promise<void> {
  if (campaign.kind !== 'recurring' || campaign.status !== 'paused') return;
  const s = await deps.store.db.selectFrom('campaign_schedules').selectAll().where('campaign_id', '=', campaign.id).executeTakeFirst();
  if (!s) return;
  const compiled = compileCron(s.cron, s.timezone);
  if (!compiled.ok) return;
  const now = deps.clock.now();
  let next = occurrenceAtOrAfter(compiled.rule, now);
  // Never the occurrence that already has a run.
  if (next && s.last_run_at && next.getTime() <= Date.parse(s.last_run_at)) next = occurrenceAfter(compiled.rule, new Date(s.last_run_at));
  if (next && s.ends_at && next.getTime() >= Date.parse(s.ends_at)) next = null;
  if (s.max_runs !== null && s.runs_created >= s.max_runs) next = null;
  await deps.store.db
    .updateTable('campaign_schedules')
    .set({ next_run_at: next?.toISOString() ?? null, updated_at: now.toISOString() })
    .where('campaign_id', '=', campaign.id)
    .execute();
}
