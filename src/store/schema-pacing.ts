// Kysely table types of the pacing work (see schema.ts for the conventions).

/**
 * Sending capacity taken per account, scope and window, shared by every worker process: a row is
 * only ever changed by one conditional upsert, so concurrent reservers never exceed a limit.
 * scope: "daily:<channel>" (window = the account's local midnight as UTC ISO) or
 * "domain:<domain>:minute" (window = the minute, UTC ISO).
 */
export interface SendCountersTable {
  account_id: number;
  scope: string;
  window_start: string;
  count: number;
  /** What the last upsert added (the grant); set in the same statement so it is read back atomically. */
  last_grant: number;
}

/**
 * The complaint-adaptive factor of one account, channel and local day, computed once (by the first
 * worker of the day) from the 7-day complaint rate and yesterday's factor, so every worker and
 * `GET /account/limits` agree on today's limit and can explain it.
 */
export interface LimitAdaptationsTable {
  account_id: number;
  channel: string;
  /** Local date in the account's zone, "2026-03-02". */
  day: string;
  factor: number;
  /** grow | hold | shrink | stop */
  state: string;
  sent_7d: number;
  complaints_7d: number;
  created_at: string;
}

export interface PacingTables {
  send_counters: SendCountersTable;
  limit_adaptations: LimitAdaptationsTable;
}
