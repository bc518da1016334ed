// Campaign and delivery states and the transitions between them. Use cases ask this table
// instead of comparing strings, so that an illegal move is refused the same way everywhere.

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** A delivery adds `preparing` (the ledger is being written) to the campaign's states. */
export const DELIVERY_STATUSES = ['scheduled', 'preparing', 'sending', 'paused', 'completed', 'cancelled'] as const;
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

/** The campaign's status follows its current delivery's ('preparing' shows as 'sending'). */
export function campaignStatusOf(delivery: DeliveryStatus): CampaignStatus {
  return delivery === 'preparing' ? 'sending' : delivery;
}
