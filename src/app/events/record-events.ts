// The one way events enter Herald (tracking, bounces, complaints, webhooks, the dispatcher):
// a batch is written in one transaction — the event rows, and the first time of each outcome on
// its ledger row (messages.opened_at, bounced_at …), so per-message status and campaign KPIs are
// plain indexed counts. Callers on hot paths buffer events and call this per batch.
import { CompiledQuery, type Kysely } from 'kysely';
import type { DialectCapabilities } from '../../store/dialect-capabilities.ts';
import { joinKey } from '../../store/queries/ledger.ts';
import type { Database } from '../../store/schema.ts';
import type { EventType } from '../../store/schema-events.ts';
import type { AppDeps } from '../deps.ts';

export interface EventInput {
  accountId: number;
  /** The ledger row it is about; null for events that could not be matched (kept for the record). */
  messageId: number | null;
  type: EventType;
  occurredAt: string;
  /** Opens and clicks: made by a machine (privacy proxy, scanner) rather than a person. */
  machine?: boolean | null;
  data?: Record<string, unknown>;
  /**
   * The ledger row's ids, when the caller read them from that row itself (the dispatcher, which
   * claimed it for this account): saves looking them up again. Never from outside input.
   */
  ledger?: { campaignId: number; deliveryId: number; contactId: number };
}

/** Which ledger column records the first event of a type (and, for people, the first human one). */
const FIRST_COLUMN: Partial<Record<EventType, string>> = {
  delivered: 'delivered_at',
  bounced: 'bounced_at',
  complained: 'complained_at',
  opened: 'opened_at',
  clicked: 'clicked_at',
  unsubscribed: 'unsubscribed_at',
};
const FIRST_HUMAN_COLUMN: Partial<Record<EventType, string>> = { opened: 'human_opened_at', clicked: 'human_clicked_at' };

async function setFirstTimes(db: Kysely<Database>, caps: DialectCapabilities, column: string, firsts: Map<number, string>): Promise<void> {
  if (firsts.size === 0) return;
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return caps.name === 'postgres' ? `$${params.length}` : '?';
  };
  const tuples = [...firsts].map(([id, at]) => `(CAST(${p(id)} AS bigint), ${p(at)})`).join(',');
  // The column name comes from the fixed tables above, never from input.
  await db.executeQuery(
    CompiledQuery.raw(
      `WITH v(id, at) AS (VALUES ${tuples}) UPDATE messages SET ${column} = v.at FROM v WHERE messages.id = ${joinKey(caps)} AND messages.${column} IS NULL`,
      params,
    ),
  );
}

export async function recordEvents(deps: AppDeps, events: readonly EventInput[]): Promise<number> {
  if (events.length === 0) return 0;
  const { db, caps } = deps.store;
  const now = deps.clock.now().toISOString();
  const ids = [...new Set(events.filter((e) => !e.ledger).map((e) => e.messageId).filter((id): id is number => id !== null))];
  return db.transaction().execute(async (trx) => {
    const ledger = new Map<number, { account_id: number; campaign_id: number; delivery_id: number; contact_id: number }>();
    for (let i = 0; i < ids.length; i += 5000) {
      const rows = await trx
        .selectFrom('messages')
        .select(['id', 'account_id', 'campaign_id', 'delivery_id', 'contact_id'])
        .where('id', 'in', ids.slice(i, i + 5000))
        .execute();
      for (const r of rows) ledger.set(r.id, r);
    }
    // An event may only touch a message of its own account.
    const rows = events.map((e) => {
      const known = e.ledger && e.messageId !== null ? { account_id: e.accountId, campaign_id: e.ledger.campaignId, delivery_id: e.ledger.deliveryId, contact_id: e.ledger.contactId } : undefined;
      const m = known ?? (e.messageId !== null ? ledger.get(e.messageId) : undefined);
      const mine = m && m.account_id === e.accountId ? m : undefined;
      return {
        account_id: e.accountId,
        campaign_id: mine?.campaign_id ?? null,
        delivery_id: mine?.delivery_id ?? null,
        message_id: mine ? e.messageId : null,
        contact_id: mine?.contact_id ?? null,
        type: e.type,
        machine: e.machine === undefined || e.machine === null ? null : e.machine ? 1 : 0,
        data: JSON.stringify(e.data ?? {}),
        occurred_at: e.occurredAt,
        created_at: now,
      };
    });
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('message_events').values(rows.slice(i, i + 500)).execute();

    const firsts = new Map<string, Map<number, string>>();
    const note = (column: string | undefined, id: number, at: string) => {
      if (!column) return;
      const m = firsts.get(column) ?? new Map<number, string>();
      const prev = m.get(id);
      if (!prev || at < prev) m.set(id, at);
      firsts.set(column, m);
    };
    for (const r of rows) {
      if (r.message_id === null) continue;
      const type = r.type as EventType;
      note(FIRST_COLUMN[type], r.message_id, r.occurred_at);
      if (r.machine === 0) note(FIRST_HUMAN_COLUMN[type], r.message_id, r.occurred_at);
    }
    for (const [column, m] of firsts) await setFirstTimes(trx, caps, column, m);
    return rows.length;
  });
}
