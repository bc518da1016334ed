// Opens and clicks of a campaign, counted from the event rows (F1.7: three clicks by one person
// are three clicks and one clicker). Totals count every request; `human` counts leave out
// privacy proxies and scanners; unique counts are distinct contacts.
import { sql } from 'kysely';
import type { AppDeps } from '../deps.ts';

export interface TrackingCounts {
  opens_total: number;
  opens_human: number;
  unique_openers: number;
  unique_human_openers: number;
  clicks_total: number;
  clicks_human: number;
  unique_clickers: number;
  unique_human_clickers: number;
  /** Most clicked first. */
  clicks_by_url: Array<{ url: string; clicks: number; clicks_human: number; unique_clickers: number; unique_human_clickers: number }>;
}

export async function trackingCounts(deps: AppDeps, accountId: number, campaignId: number): Promise<TrackingCounts> {
  const { db, caps } = deps.store;
  const human = sql<number>`case when machine = 0 then 1 else 0 end`;
  const humanContact = sql<number | null>`case when machine = 0 then contact_id end`;
  const totals = await db
    .selectFrom('message_events')
    .select((eb) => [
      'type',
      eb.fn.countAll<number>().as('total'),
      eb.fn.sum<number>(human).as('human'),
      eb.fn.count<number>('contact_id').distinct().as('unique_contacts'),
      eb.fn.count<number>(humanContact).distinct().as('unique_human_contacts'),
    ])
    .where('account_id', '=', accountId)
    .where('campaign_id', '=', campaignId)
    .where('type', 'in', ['opened', 'clicked'])
    .groupBy('type')
    .execute();
  const of = (type: string) => totals.find((t) => t.type === type);
  const opened = of('opened');
  const clicked = of('clicked');

  // The link's target is in the event's JSON; the one place the dialects differ in reading it.
  const url = caps.name === 'postgres' ? sql<string>`(data::jsonb ->> 'url')` : sql<string>`json_extract(data, '$.url')`;
  const byUrl = await db
    .selectFrom('message_events')
    .select((eb) => [
      url.as('url'),
      eb.fn.countAll<number>().as('clicks'),
      eb.fn.sum<number>(human).as('clicks_human'),
      eb.fn.count<number>('contact_id').distinct().as('unique_clickers'),
      eb.fn.count<number>(humanContact).distinct().as('unique_human_clickers'),
    ])
    .where('account_id', '=', accountId)
    .where('campaign_id', '=', campaignId)
    .where('type', '=', 'clicked')
    .groupBy(url)
    .orderBy('clicks', 'desc')
    .orderBy(url)
    .execute();

  const n = (v: unknown) => Number(v ?? 0);
  return {
    opens_total: n(opened?.total),
    opens_human: n(opened?.human),
    unique_openers: n(opened?.unique_contacts),
    unique_human_openers: n(opened?.unique_human_contacts),
    clicks_total: n(clicked?.total),
    clicks_human: n(clicked?.human),
    unique_clickers: n(clicked?.unique_contacts),
    unique_human_clickers: n(clicked?.unique_human_contacts),
    clicks_by_url: byUrl
      .filter((r) => r.url !== null)
      .map((r) => ({
        url: r.url,
        clicks: n(r.clicks),
        clicks_human: n(r.clicks_human),
        unique_clickers: n(r.unique_clickers),
        unique_human_clickers: n(r.unique_human_clickers),
      })),
  };
}
