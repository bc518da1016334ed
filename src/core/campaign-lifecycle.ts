// Campaign and delivery states and the transitions between them. Use cases ask this table
// instead of comparing strings, so that an illegal move is refused the same way everywhere.

/**
 * What a campaign is:
 * - one-off: sent once, now or at a time;
 * - recurring: a delivery per occurrence of a cron rule (F4.3);
 * - triggered: a delivery per trigger firing (F0.1, E6);
 * - message: a single message to one contact (F0.8), through the same ledger.
 */
export const CAMPAIGN_KINDS = ['one-off', 'recurring', 'triggered', 'message'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

/**
 * A one-off campaign's status follows its delivery. A recurring or triggered campaign's status is
 * its own (`active` while its schedule or trigger is on); each run has its delivery's status.
 */
export const CAMPAIGN_STATUSES = ['draft', 'awaiting_approval', 'scheduled', 'active', 'sending', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/**
 * A delivery adds `preparing` (the ledger is being written), `awaiting_confirmation` (a recurring
 * run that waits for someone with deliveries:start) and `skipped` (a run missed while Herald was
 * down, skipped by the schedule's policy; it has no ledger).
 */
export const DELIVERY_STATUSES = ['scheduled', 'awaiting_confirmation', 'preparing', 'sending', 'paused', 'completed', 'cancelled', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export type CampaignAction = 'send' | 'schedule' | 'pause' | 'resume' | 'cancel' | 'edit';

const ALLOWED: Record<CampaignAction, readonly CampaignStatus[]> = {
  send: ['draft', 'scheduled'],
  schedule: ['draft', 'scheduled'],
  pause: ['sending', 'scheduled'],
  resume: ['paused'],
  cancel: ['scheduled', 'sending', 'paused'],
  edit: ['draft', 'scheduled'],
};

export function canCampaign(action: CampaignAction, status: string): boolean {
  return (ALLOWED[action] as readonly string[]).includes(status);
}

export function allowedFrom(action: CampaignAction): readonly CampaignStatus[] {
  return ALLOWED[action];
}

/** Kinds whose status is their own, not their latest delivery's (see CAMPAIGN_STATUSES). */
export function campaignFollowsDelivery(kind: string): boolean {
  return kind !== 'recurring' && kind !== 'triggered';
}

/** The campaign's status follows its current delivery's ('preparing' shows as 'sending'). */
export function campaignStatusOf(delivery: DeliveryStatus): CampaignStatus {
  if (delivery === 'preparing') return 'sending';
  if (delivery === 'awaiting_confirmation') return 'scheduled';
  if (delivery === 'skipped') return 'completed';
  return delivery;
}
