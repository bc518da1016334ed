// CSV export of a campaign's audience as its ledger recorded it: every contact of the latest
// delivery with the message status, the reason and what the reason means (F1.2, E1). Streams
// pages of 5,000 ledger rows in id order. Before the first send it exports a dry run instead.
import { REASONS, isReason } from '../../core/reasons.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import type { Channel } from '../../core/channels.ts';
import { parseAudience } from '../campaigns/campaign-input.ts';
import { loadCampaignRow } from '../campaigns/read-campaigns.ts';
import { audienceScope } from '../deliveries/audience-facts.ts';
import { planAudience } from '../deliveries/plan-audience.ts';
import { csvLine } from './csv-line.ts';
import { type CsvExport, EXPORT_PAGE_SIZE } from './export-segment-csv.ts';

const COLUMNS = ['contact_id', 'email', 'status', 'reason', 'reason_meaning'];

/** Checks the campaign and its delivery (404 / 409 before any byte is written). */
export async function openCampaignAudienceExport(deps: AppDeps, actor: Actor, campaignId: number): Promise<CsvExport> {
  const { db } = deps.store;
  const campaign = await db
    .selectFrom('campaigns')
    .select(['id', 'name'])
    .where('account_id', '=', actor.accountId)
    .where('id', '=', campaignId)
    .executeTakeFirst();
  if (!campaign) throw notFound('campaign', campaignId);
  const delivery = await db
    .selectFrom('deliveries')
    .select('id')
    .where('account_id', '=', actor.accountId)
    .where('campaign_id', '=', campaignId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!delivery) return dryRunExport(deps, actor, campaignId);
  const deliveryId = Number(delivery.id);
  return {
    filename: `campaign-${campaignId}-delivery-${deliveryId}-audience.csv`,
    async run(write) {
      await write(csvLine(COLUMNS));
      let after = 0;
      let rows = 0;
      for (;;) {
        // A contact deleted since the delivery keeps its ledger row; the address used stands in.
        const page = await db
          .selectFrom('messages as m')
          .leftJoin('contacts as c', (j) => j.onRef('c.id', '=', 'm.contact_id').on('c.account_id', '=', actor.accountId))
          .select(['m.id', 'm.contact_id', 'm.channel', 'm.address', 'm.status', 'm.reason', 'c.email'])
          .where('m.account_id', '=', actor.accountId)
          .where('m.delivery_id', '=', deliveryId)
          .where('m.id', '>', after)
          .orderBy('m.id')
          .limit(EXPORT_PAGE_SIZE)
          .execute();
        if (page.length === 0) break;
        let chunk = '';
        for (const m of page) {
          const email = m.email ?? (m.channel === 'email' ? m.address : null);
          const meaning = m.reason && isReason(m.reason) ? REASONS[m.reason] : '';
          chunk += csvLine([m.contact_id, email, m.status, m.reason, meaning]);
        }
        await write(chunk);
        rows += page.length;
        after = Number(page[page.length - 1].id);
        if (page.length < EXPORT_PAGE_SIZE) break;
      }
      return { rows };
    },
  };
}

/**
 * Before a send there is no ledger: export what the decision says today for every contact of the
 * audience (a dry run of the same code path the preparation uses; nothing is written).
 */
async function dryRunExport(deps: AppDeps, actor: Actor, campaignId: number): Promise<CsvExport> {
  const campaign = await loadCampaignRow(deps, actor, campaignId);
  const scope = await audienceScope(deps, actor.accountId, campaign.channel as Channel, parseAudience(campaign.audience));
  return {
    filename: `campaign-${campaignId}-audience-dry-run.csv`,
    async run(write) {
      await write(csvLine(COLUMNS));
      let rows = 0;
      await planAudience(deps, scope, async (page) => {
        let chunk = '';
        for (const { row, decision } of page) {
          const status = decision.kind === 'send' ? 'would_send' : decision.kind === 'defer' ? 'would_wait' : 'would_skip';
          const reason = decision.kind === 'send' ? null : decision.reason;
          chunk += csvLine([row.contact_id, row.email, status, reason, reason ? REASONS[reason] : '']);
        }
        rows += page.length;
        await write(chunk);
      });
      return { rows };
    },
  };
}

export async function exportCampaignAudienceCsv(deps: AppDeps, actor: Actor, campaignId: number, write: (chunk: string) => void | Promise<void>): Promise<{ rows: number }> {
  return (await openCampaignAudienceExport(deps, actor, campaignId)).run(write);
}
