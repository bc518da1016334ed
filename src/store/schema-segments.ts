// Kysely table types of the segments work (see schema.ts for the conventions).
import type { Generated, Selectable } from 'kysely';

/** A saved segment: named rules (src/core/segment-rules.ts) over the account's contacts. */
export interface SegmentsTable {
  id: Generated<number>;
  account_id: number;
  /** Unique in the account. */
  name: string;
  description: string | null;
  /** The rule tree as JSON text, validated when it was saved. */
  rules: string;
  created_at: string;
  updated_at: string;
}

export interface SegmentTables {
  segments: SegmentsTable;
}

export type SegmentRow = Selectable<SegmentsTable>;
