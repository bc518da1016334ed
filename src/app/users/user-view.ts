// What the API and the CLI show of a user: never the password hash.
import type { UserRow } from '../../store/schema-orchestration.ts';

export interface UserView {
  id: number;
  email: string;
  name: string | null;
  role: string;
  disabled: boolean;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  disabled_at: string | null;
}

export type UserViewRow = Pick<UserRow, 'id' | 'email' | 'name' | 'role' | 'created_at' | 'updated_at' | 'last_login_at' | 'disabled_at'>;

export const USER_VIEW_COLUMNS = ['id', 'email', 'name', 'role', 'created_at', 'updated_at', 'last_login_at', 'disabled_at'] as const;

export function toUserView(row: UserViewRow): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled_at !== null,
    created_at: row.created_at,
    updated_at: row.updated_at,
    last_login_at: row.last_login_at,
    disabled_at: row.disabled_at,
  };
}
