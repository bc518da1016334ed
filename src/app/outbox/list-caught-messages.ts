// The account's caught messages, newest first, a page at a time (keyset: `before` is the last id
// seen). Filters: `to` (one recipient address, exact, any case) and `q` (text in the subject).
// The catcher keeps at most a few thousand messages, so the filters scan without an index.
import { sql } from 'kysely';
import type { Actor, AppDeps } from '../deps.ts';
import { type CaughtMessageSummary, toCaughtMessageSummary } from './caught-message-view.ts';

export interface CaughtMessagePage {
  items: CaughtMessageSummary[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  next_before: number | null;
}

export interface OutboxFilter {
  limit?: number;
  before?: number;
  to?: string;
  q?: string;
}

/** LIKE treats % and _ as wildcards; addresses often contain "_". */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listCaughtMessages(deps: AppDeps, actor: Actor, filter: OutboxFilter = {}): Promise<CaughtMessagePage> {
  const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
  let query = deps.store.db
    .selectFrom('caught_messages')
    .select(['id', 'message_id', 'mail_from', 'rcpt_to', 'subject', 'size', 'received_at'])
    .where('account_id', '=', actor.accountId);
  if (filter.before) query = query.where('id', '<', filter.before);
  if (filter.to) {
    // rcpt_to is a JSON array of strings: match one element exactly by its quotes.
    const pattern = `%${likeEscape(JSON.stringify(filter.to.trim().toLowerCase()))}%`;
    query = query.where(sql<boolean>`lower(rcpt_to) like ${pattern} escape '\\'`);
  }
  if (filter.q) {
    const pattern = `%${likeEscape(filter.q.toLowerCase())}%`;
    query = query.where(sql<boolean>`lower(subject) like ${pattern} escape '\\'`);
  }
  const rows = await query
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(toCaughtMessageSummary);
  return { items, next_before: rows.length > limit ? items[items.length - 1].id : null };
}
