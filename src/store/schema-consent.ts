// Kysely table types of the consent work (see schema.ts for the conventions).
import type { Generated } from 'kysely';

/**
 * One double opt-in confirmation request (F1.11): the email that asks a contact to confirm a
 * subscription, and what they answered. At most one is `pending` per (contact, list); decided
 * ones stay as the record of consent.
 */
export interface ConsentRequestsTable {
  id: Generated<number>;
  account_id: number;
  contact_id: number;
  list_id: number;
  /** pending | confirmed | declined | expired */
  status: string;
  requested_at: string;
  expires_at: string;
  /** When the confirmation email was handed off; null = still to send. */
  sent_at: string | null;
  /** A deferred hand-off is retried from this time on (null = at once). */
  send_after: string | null;
  send_attempts: Generated<number>;
  /** The transport's last reply, for "why did they never get it?". */
  last_response: string | null;
  confirmed_at: string | null;
  declined_at: string | null;
  /** What asked for consent: "api", "import", "worker", "api_key:3", … */
  source: string | null;
  /** JSON {ip, user_agent, time, source} captured with the answer. */
  evidence: string | null;
}

export interface ConsentTables {
  consent_requests: ConsentRequestsTable;
}
