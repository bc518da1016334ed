// A page of the account's audit log, newest last (keyset paging on id, like every other list).
import { sql } from 'kysely';
import type { AuditLogRow } from '../../store/schema-suppressions.ts';
import type { Actor, AppDeps } from '../deps.ts';

export interface AuditEntryView {
  id: number;
  actor: string;
  action: string;
  subject: string;
  data: Record<string, unknown>;
  created_at: string;
}

export interface ListAuditQuery {
  after?: number;
  limit?: number;
  /** Exact action ("suppression.add"), or a prefix ending in a dot ("suppression."). */
  action?: string;
}

export function toAuditEntryView(row: AuditLogRow): AuditEntryView {
  return { id: row.id, actor: row.actor, action: row.action, subject: row.subject, data: JSON.parse(row.data), created_at: row.created_at };
}

export async function listAudit(deps: AppDeps, actor: Actor, query: ListAuditQuery): Promise<{ items: AuditEntryView[]; next_after: number | null }> {
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
  let select = deps.store.db.selectFrom('audit_log').selectAll().where('account_id', '=', actor.accountId);
  if (query.after !== undefined) select = select.where('id', '>', query.after);
  if (query.action) {
    const action = query.action;
    if (action.endsWith('.')) {
      const prefix = `${action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      select = select.where(sql<boolean>`action like ${prefix} escape '\\'`);
    } else {
      select = select.where('action', '=', action);
    }
  }
  const rows = await select.orderBy('id').limit(limit + 1).execute();
  const items = rows.slice(0, limit).map(toAuditEntryView);
  return { items, next_after: rows.length > limit ? items[items.length - 1].id : null };
}
