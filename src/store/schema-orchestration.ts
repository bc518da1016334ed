// Kysely table types of the orchestration work (users, notifications); the new deliveries and
// campaigns columns are in schema.ts. Conventions: see schema.ts.
import type { Generated, Selectable } from 'kysely';

export interface UsersTable {
  id: Generated<number>;
  account_id: number;
  email: string;
  name: string | null;
  password_hash: string;
  role: string;
  /** JSON: {"enabled": boolean, "kinds": NotificationKind[]} (empty kinds: all). */
  notify_email: Generated<string>;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  disabled_at: string | null;
  /** Soft deletion (migration 0011): the row stays so that "user:<id>" keeps naming one person. */
  deleted_at: Generated<string | null>;
}

export interface NotificationsTable {
  id: Generated<number>;
  account_id: number;
  kind: string;
  severity: string;
  title: string;
  body: string;
  data: Generated<string>;
  permission: string;
  subject_type: string | null;
  subject_id: number | null;
  dedupe_key: string | null;
  created_at: string;
}

export interface NotificationStatesTable {
  notification_id: number;
  principal: string;
  read_at: string | null;
  deleted_at: string | null;
}

export interface OrchestrationTables {
  users: UsersTable;
  notifications: NotificationsTable;
  notification_states: NotificationStatesTable;
}

export type UserRow = Selectable<UsersTable>;
export type NotificationRow = Selectable<NotificationsTable>;
