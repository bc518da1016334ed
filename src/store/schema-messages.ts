// Kysely table types of one-off messages (F0.8). Conventions: see schema.ts.
import type { Generated, Selectable } from 'kysely';

export interface OneOffMessagesTable {
  id: Generated<number>;
  account_id: number;
  campaign_id: number;
  delivery_id: number;
  contact_id: number;
  /** 0/1 */
  transactional: number;
  idempotency_key: string | null;
  request_hash: string;
  created_by: string;
  created_at: string;
}

export interface MessageTables {
  one_off_messages: OneOffMessagesTable;
}

export type OneOffMessageRow = Selectable<OneOffMessagesTable>;
