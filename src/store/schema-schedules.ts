// Kysely table types of recurring campaigns (see schema.ts for the conventions).

/**
 * The schedule of a recurring campaign (one per campaign). `next_run_at` is the next occurrence
 * to fire; a worker fires it by moving next_run_at forward with a compare-and-set on its old value,
 * so with any number of workers each occurrence is claimed once. Null: nothing more to fire
 * (not launched yet, or ended).
 */
export interface CampaignSchedulesTable {
  campaign_id: number;
  account_id: number;
  /** Five fields (minute precision) or six (seconds first), read in `timezone`. */
  cron: string;
  /** IANA zone the rule is read in. */
  timezone: string;
  /** 1: each run waits in awaiting_confirmation until someone with deliveries:start confirms it. */
  confirm_each_run: number;
  /** run_once | skip: what happens to occurrences missed while Herald was down. */
  missed_runs: string;
  starts_at: string | null;
  /** Exclusive: no occurrence at or after it runs. */
  ends_at: string | null;
  max_runs: number | null;
  next_run_at: string | null;
  /** The occurrence of the last run created (or skipped). */
  last_run_at: string | null;
  /** Runs created (skipped runs do not count towards max_runs). */
  runs_created: number;
  created_at: string;
  updated_at: string;
}

export interface ScheduleTables {
  campaign_schedules: CampaignSchedulesTable;
}
