// Kysely table types of the suppressions work (see schema.ts for the conventions).
import type { Generated, Selectable } from 'kysely';

export interface SuppressionsTable {
  id: Generated<number>;
  account_id: number;
  /** 'email' | 'sms' | … : an email suppression never blocks an SMS to the same contact. */
  channel: string;
  /** Normalized: lower-case e-mail, E.164 phone number. */
  address: string;
  /** 'blocklist' | 'bounce' | 'complaint' | 'unsubscribe' */
  reason: string;
  /** Who or what put it there: "api_key:3", "cli", "bounce: 550 5.1.1 …", "one-click". */
  source: string;
  note: string | null;
  created_at: string;
  /** From this instant on the row no longer suppresses. */
  expires_at: string | null;
  /** Set by a manual removal (or when an expired row is replaced): the row stays for the audit. */
  removed_at: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  account_id: number;
  /** The actor's label: "api_key:3", "cli". */
  actor: string;
  /** "suppression.add", "suppression.remove", … */
  action: string;
  /** What it acted on: "email:x@example.com". */
  subject: string;
  /** JSON document with the details. */
  data: string;
  created_at: string;
}

export interface SuppressionTables {
  suppressions: SuppressionsTable;
  audit_log: AuditLogTable;
}

export type SuppressionRow = Selectable<SuppressionsTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
