// Message (ledger row) statuses and what each means for the queue.
//
//   queued ──claim──▶ claimed ──mark──▶ sending ──hand-off──▶ sent | deferred | failed
//     ▲                  │ lease expired: back to queued (it was never handed off)
//     │                  ▼
//     └── deferred      sending + lease expired ──▶ uncertain (the hand-off may have happened)
//                                                     └─ policy "resend": queued, flagged possible_duplicate
//   skipped (with a reason) and cancelled are decided without a hand-off.

export const MESSAGE_STATUSES = [
  'queued',
  'claimed',
  'sending',
  'sent',
  'deferred',
  'failed',
  'skipped',
  'uncertain',
  'cancelled',
] as const;

export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** Rows that still need work; a delivery completes when none of its rows is in these states. */
export const OPEN_STATUSES: readonly MessageStatus[] = ['queued', 'claimed', 'sending', 'deferred'];

/** Rows a worker may claim when due. */
export const CLAIMABLE_STATUSES: readonly MessageStatus[] = ['queued', 'deferred'];

/** What to do with rows whose hand-off was under way when their process died. */
export const UNCERTAIN_POLICIES = ['resend', 'hold'] as const;
export type UncertainPolicy = (typeof UNCERTAIN_POLICIES)[number];
