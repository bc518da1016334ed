// Campaign KPIs (F4.5) from counts, live rather than hourly: delivered %, bounces + errors %,
// opens % (human and total), clicks % (unique clickers; total clicks), unsubscribes, complaints.
// Pure: the caller counts, this turns counts into rates with one definition each.

export interface KpiCounts {
  toSend: number;
  sent: number;
  failed: number;
  /** Sent messages that bounced afterwards (DSN, provider webhook). */
  bouncedAfterSent: number;
  uniqueOpeners: number;
  uniqueHumanOpeners: number;
  opensTotal: number;
  opensHuman: number;
  uniqueClickers: number;
  uniqueHumanClickers: number;
  clicksTotal: number;
  clicksHuman: number;
  unsubscribes: number;
  complaints: number;
}

export interface CampaignKpis extends KpiCounts {
  /** Accepted by the receiving server and not bounced afterwards. */
  delivered: number;
  delivered_rate: number | null;
  /** (refused at the hand-off + bounced afterwards) / handed off. */
  bounce_error_rate: number | null;
  open_rate: number | null;
  human_open_rate: number | null;
  click_rate: number | null;
  human_click_rate: number | null;
  unsubscribe_rate: number | null;
  complaint_rate: number | null;
}

const rate = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 10_000) / 10_000 : null);

export function campaignKpis(c: KpiCounts): CampaignKpis {
  const handedOff = c.sent + c.failed;
  const delivered = Math.max(0, c.sent - c.bouncedAfterSent);
  return {
    ...c,
    delivered,
    delivered_rate: rate(delivered, handedOff),
    bounce_error_rate: rate(c.failed + c.bouncedAfterSent, handedOff),
    open_rate: rate(c.uniqueOpeners, delivered),
    human_open_rate: rate(c.uniqueHumanOpeners, delivered),
    click_rate: rate(c.uniqueClickers, delivered),
    human_click_rate: rate(c.uniqueHumanClickers, delivered),
    unsubscribe_rate: rate(c.unsubscribes, delivered),
    complaint_rate: rate(c.complaints, delivered),
  };
}
