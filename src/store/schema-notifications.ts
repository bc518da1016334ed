// Kysely table types of the notification email copies (F2.2); conventions: see schema.ts.
import type { Selectable } from 'kysely';

export type NotificationEmailStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface NotificationEmailsTable {
  notification_id: number;
  user_id: number;
  status: string;
  attempts: number;
  last_error: string | null;
  send_after: string | null;
  lease_until: string | null;
  sent_at: string | null;
  created_at: string;
}

export interface NotificationEmailTables {
  notification_emails: NotificationEmailsTable;
}

export type NotificationEmailRow = Selectable<NotificationEmailsTable>;
