// "Why did (or will) this campaign reach so few?" — the audience funnel with counts, from the
// ledger once the delivery is prepared, else from a dry run of the same decision (nothing written).
import { type FunnelStep, buildFunnel, summarizeFunnel } from '../../core/audience-funnel.ts';
import type { Channel } from '../../core/channels.ts';
import { parseAudience } from '../campaigns/campaign-input.ts';
import { currentDeliveryId, loadCampaignRow } from '../campaigns/read-campaigns.ts';
import { type AudienceScope, audienceScope } from '../deliveries/audience-facts.ts';
import { planAudience } from '../deliveries/plan-audience.ts';
import type { Actor, AppDeps } from '../deps.ts';

export interface CampaignDiagnosis {
  campaign_id: number;
  source: 'ledger' | 'dry_run';
  delivery_id: number | null;
  lists: Array<{ id: number; name: string; members: number; subscribed: number }>;
  exclude_lists: Array<{ id: number; name: string; members: number }>;
  funnel: FunnelStep[];
  summary: string;
}

async function listSizes(deps: AppDeps, accountId: number, ids: number[]) {
  if (ids.length === 0) return [];
  const rows = await deps.store.db
    .selectFrom('lists')
    .leftJoin('subscriptions', 'subscriptions.list_id', 'lists.id')
    .select([
      'lists.id',
      'lists.name',
      (eb) => eb.fn.count<number>('subscriptions.contact_id').as('members'),
      (eb) => eb.fn.sum<number>(eb.case().when('subscriptions.status', '=', 'subscribed').then(1).else(0).end()).as('subscribed'),
    ])
    .where('lists.account_id', '=', accountId)
    .where('lists.id', 'in', ids)
    .groupBy(['lists.id', 'lists.name'])
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, members: Number(r.members), subscribed: Number(r.subscribed ?? 0) }));
}

/** Counts per reason and "pending" from a dry run of the audience plan. */
export async function dryRunCounts(deps: AppDeps, scope: AudienceScope) {
  const byReason: Record<string, number> = {};
  let total = 0;
  let sendNow = 0;
  await planAudience(deps, scope, async (page) => {
    total += page.length;
    for (const { decision } of page) {
      if (decision.kind === 'send') sendNow++;
      else byReason[decision.reason] = (byReason[decision.reason] ?? 0) + 1;
    }
  });
  return { total, byReason, sendNow };
}

export async function diagnoseCampaign(deps: AppDeps, actor: Actor, campaignId: number): Promise<CampaignDiagnosis> {
  const campaign = await loadCampaignRow(deps, actor, campaignId);
  const audience = parseAudience(campaign.audience);
  const lists = await listSizes(deps, actor.accountId, audience.list_ids);
  const excludeLists = (await listSizes(deps, actor.accountId, audience.exclude_list_ids)).map(({ subscribed: _s, ...l }) => l);
  const deliveryId = await currentDeliveryId(deps, campaignId);
  const delivery = deliveryId
    ? await deps.store.db.selectFrom('deliveries').select(['id', 'prepared_at']).where('id', '=', deliveryId).executeTakeFirst()
    : undefined;

  let funnel: FunnelStep[];
  let source: CampaignDiagnosis['source'];
  if (delivery?.prepared_at) {
    source = 'ledger';
    const groups = await deps.store.db
      .selectFrom('messages')
      .select(['status', 'reason', (eb) => eb.fn.countAll<number>().as('n')])
      .where('delivery_id', '=', delivery.id)
      .groupBy(['status', 'reason'])
      .execute();
    const byReason: Record<string, number> = {};
    let total = 0;
    let pending = 0;
    for (const g of groups) {
      const n = Number(g.n);
      total += n;
      if (g.reason) byReason[g.reason] = (byReason[g.reason] ?? 0) + n;
      else if (g.status !== 'sent') pending += n;
    }
    funnel = buildFunnel({ total, byReason, pending });
  } else {
    source = 'dry_run';
    const scope = await audienceScope(deps, actor.accountId, campaign.channel as Channel, audience);
    const counts = await dryRunCounts(deps, scope);
    // In a dry run nothing is sent yet: "sent" shows what would go now.
    funnel = buildFunnel({ total: counts.total, byReason: counts.byReason, pending: 0 });
  }
  // A triggered campaign has no lists: each run's recipients are the contacts its event named.
  const triggered = campaign.kind === 'triggered';
  const summary =
    triggered && source === 'dry_run'
      ? `triggered campaign: each event names its recipients; no run has been prepared yet (GET /api/v1/campaigns/${campaignId}/catch-up lists entities already in the trigger state)`
      : summarizeFunnel(
          funnel,
          triggered ? [{ name: `the contacts named by the event of run ${delivery?.id}`, members: funnel[0]?.count ?? 0 }] : lists.map((l) => ({ name: l.name, members: l.members })),
          source === 'dry_run',
        );
  return { campaign_id: campaignId, source, delivery_id: delivery?.id ?? null, lists, exclude_lists: excludeLists, funnel, summary };
}
