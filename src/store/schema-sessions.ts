// Kysely table types of sign-in: sessions and failed sign-in attempts (migration 0011).
import type { Generated, Selectable } from 'kysely';

export interface SessionsTable {
  id: Generated<number>;
  account_id: number;
  user_id: number;
  token_hash: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  revoked_at: string | null;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  email: string;
  created_at: string;
}

export interface SessionTables {
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
}

export type SessionRow = Selectable<SessionsTable>;
