// Attaching a trigger to a draft campaign makes it a triggered campaign (F0.1): it sends to the
// contacts each matching event names, narrowed by the campaign's own contact conditions
// (segment_id, exclude_segment_ids, exclude_list_ids). It has no lists of its own. Removing the
// trigger makes it a one-off draft again.
import { validateCondition } from '../../core/triggers/event-condition.ts';
import { MAX_DELAY_SECONDS } from '../../core/triggers/delay.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, invalid, notFound } from '../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { parseAudience } from '../campaigns/campaign-input.ts';
import { loadCampaignRow } from '../campaigns/read-campaigns.ts';
import { checkEventTypeName } from './event-types.ts';
import { CATCH_UP_MODES, type CatchUpMode, type TriggerView, toTriggerView } from './trigger-settings.ts';

export interface TriggerInput {
  event_type: string;
  condition?: unknown;
  delay_minutes?: number;
  catch_up?: CatchUpMode;
}

export function listsOnTriggeredCampaign(campaignId: number, listIds: number[]): AppError {
  return invalid(
    'audience.list_ids',
    `campaign ${campaignId} is triggered: it sends to the contacts each event names, so its audience.list_ids must be empty (it has ${JSON.stringify(listIds)}); narrow the recipients with audience.segment_id, exclude_segment_ids or exclude_list_ids`,
  );
}

async function draftCampaign(deps: AppDeps, actor: Actor, campaignId: number, doing: string) {
  const campaign = await loadCampaignRow(deps, actor, campaignId);
  if (campaign.status !== 'draft') {
    throw new AppError('invalid_state', `campaign ${campaignId} is ${campaign.status}; a trigger can only be ${doing} on a draft (cancel it and copy it to change it)`, 'status');
  }
  if (campaign.kind !== 'one-off' && campaign.kind !== 'triggered') {
    throw new AppError('invalid_state', `campaign ${campaignId} is ${campaign.kind}; only a one-off draft can become triggered`, 'kind');
  }
  return campaign;
}

export async function setTrigger(deps: AppDeps, actor: Actor, campaignId: number, input: TriggerInput): Promise<TriggerView> {
  const campaign = await draftCampaign(deps, actor, campaignId, 'set');
  const eventType = checkEventTypeName(input.event_type, 'event_type');
  const declared = await deps.store.db.selectFrom('event_types').select('name').where('account_id', '=', actor.accountId).execute();
  if (!declared.some((t) => t.name === eventType)) {
    throw invalid('event_type', `event_type "${eventType}" is not declared; declared: ${declared.map((t) => t.name).join(', ') || 'none'}`);
  }
  const condition = input.condition ?? null;
  if (condition !== null) {
    const problems = validateCondition(condition, 'condition');
    if (problems.length) throw invalid(problems[0].path, `${problems[0].path}: ${problems[0].message}`, problems);
  }
  const delaySeconds = Math.round((input.delay_minutes ?? 0) * 60);
  if (!Number.isFinite(delaySeconds) || delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
    throw invalid('delay_minutes', `delay_minutes must be between 0 and ${MAX_DELAY_SECONDS / 60} (90 days)`);
  }
  const catchUp = input.catch_up ?? 'list';
  if (!CATCH_UP_MODES.includes(catchUp)) throw invalid('catch_up', `catch_up must be one of ${CATCH_UP_MODES.join(', ')}`);
  const listIds = parseAudience(campaign.audience).list_ids;
  if (listIds.length) throw listsOnTriggeredCampaign(campaignId, listIds);

  const now = deps.clock.now().toISOString();
  const values = { event_type: eventType, condition: condition === null ? null : JSON.stringify(condition), delay_seconds: delaySeconds, catch_up: catchUp, updated_at: now };
  await deps.store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('campaign_triggers')
      .values({ campaign_id: campaignId, account_id: actor.accountId, ...values, created_at: now })
      .onConflict((oc) => oc.column('campaign_id').doUpdateSet(values))
      .execute();
    await trx.updateTable('campaigns').set({ kind: 'triggered', updated_at: now }).where('id', '=', campaignId).where('account_id', '=', actor.accountId).execute();
    await recordAudit({ trx, now }, actor, 'campaign.trigger_set', `campaign:${campaignId}`, { event_type: eventType, condition, delay_seconds: delaySeconds, catch_up: catchUp });
  });
  return getTrigger(deps, actor, campaignId);
}

export async function getTrigger(deps: AppDeps, actor: Actor, campaignId: number): Promise<TriggerView> {
  await loadCampaignRow(deps, actor, campaignId);
  const row = await deps.store.db.selectFrom('campaign_triggers').selectAll().where('campaign_id', '=', campaignId).where('account_id', '=', actor.accountId).executeTakeFirst();
  if (!row) throw notFound('trigger of campaign', campaignId);
  return toTriggerView(row);
}

export async function removeTrigger(deps: AppDeps, actor: Actor, campaignId: number): Promise<void> {
  await draftCampaign(deps, actor, campaignId, 'removed');
  const now = deps.clock.now().toISOString();
  await deps.store.db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('campaign_triggers').where('campaign_id', '=', campaignId).where('account_id', '=', actor.accountId).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('trigger of campaign', campaignId);
    await trx.updateTable('campaigns').set({ kind: 'one-off', updated_at: now }).where('id', '=', campaignId).where('account_id', '=', actor.accountId).execute();
    await recordAudit({ trx, now }, actor, 'campaign.trigger_removed', `campaign:${campaignId}`, {});
  });
}
