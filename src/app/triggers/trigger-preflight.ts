// The pre-flight "Audience" item of a triggered campaign: it has no lists (each event names its
// recipients), so what must hold is that a trigger is set on a declared type and no list is chosen;
// the item also says how many entities catch-up would reach at launch.
import type { Actor, AppDeps } from '../deps.ts';
import type { CheckItem } from '../explain/preflight.ts';
import { parseAudience } from '../campaigns/campaign-input.ts';
import { loadCampaignRow } from '../campaigns/read-campaigns.ts';
import { matchingEntities } from './catch-up.ts';

export async function triggerAudienceItem(deps: AppDeps, actor: Actor, campaignId: number): Promise<CheckItem> {
  const campaign = await loadCampaignRow(deps, actor, campaignId);
  const { db } = deps.store;
  const trigger = await db.selectFrom('campaign_triggers').selectAll().where('campaign_id', '=', campaignId).where('account_id', '=', actor.accountId).executeTakeFirst();
  if (!trigger) {
    return {
      id: 'audience',
      status: 'blocking',
      title: 'Audience',
      detail: 'triggered campaign without a trigger: no event would ever reach anyone',
      fix: { hint: 'set the trigger', api: `PUT /api/v1/campaigns/${campaignId}/trigger {"event_type"}`, cli: `herald campaigns trigger ${campaignId} --event <type>` },
    };
  }
  const audience = parseAudience(campaign.audience);
  if (audience.list_ids.length) {
    return {
      id: 'audience',
      status: 'blocking',
      title: 'Audience',
      detail: `a triggered campaign sends to the contacts each event names; it must have no lists (it has ${audience.list_ids.join(', ')})`,
      fix: { hint: 'remove the lists; narrow with a segment or exclusions instead', api: `PATCH /api/v1/campaigns/${campaignId} {"audience":{"list_ids":[]}}` },
    };
  }
  const declared = await db.selectFrom('event_types').select('name').where('account_id', '=', actor.accountId).where('name', '=', trigger.event_type).executeTakeFirst();
  if (!declared) {
    return {
      id: 'audience',
      status: 'blocking',
      title: 'Audience',
      detail: `the trigger listens to "${trigger.event_type}", which is not a declared event type`,
      fix: { hint: 'declare the event type', api: 'POST /api/v1/event-types {"name"}', cli: `herald event-types add ${trigger.event_type}` },
    };
  }
  const entities = await matchingEntities(db, trigger);
  const narrowed = [audience.segment_id ? 'a segment' : null, audience.exclude_segment_ids.length ? 'segment exclusions' : null, audience.exclude_list_ids.length ? 'exclusion lists' : null].filter(Boolean);
  const catchUp = entities.length
    ? `; ${entities.length} entit${entities.length === 1 ? 'y is' : 'ies are'} already in the trigger state (catch-up: ${trigger.catch_up === 'send' ? 'sent to at launch' : `listed for review, GET /api/v1/campaigns/${campaignId}/catch-up`})`
    : '';
  return {
    id: 'audience',
    status: 'ok',
    title: 'Audience',
    detail: `triggered by "${trigger.event_type}"${trigger.condition ? ' when its condition matches' : ''}: sends to the contacts each event names${narrowed.length ? `, narrowed by ${narrowed.join(', ')}` : ''}${catchUp}`,
    fix: null,
  };
}
