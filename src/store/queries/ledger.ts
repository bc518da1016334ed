// Named SQL for the ledger (the messages table), the queue every worker shares. Each function is
// one statement; the order in which the dispatcher calls them is what makes sending crash-safe:
//   claimDue → markSending (written BEFORE the hand-off) → hand-off → writeOutcomes (AFTER it).
// Statements whose shape is fixed are sent as raw compiled SQL so that the SQLite adapter's
// statement cache and PostgreSQL's parser see the same text every time.
import { CompiledQuery, type Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import type { Database, NewMessageRow } from '../schema.ts';

type Db = Kysely<Database>;

const INSERT_COLUMNS = [
  'account_id',
  'delivery_id',
  'campaign_id',
  'contact_id',
  'channel',
  'address',
  'status',
  'reason',
  'next_attempt_at',
  'created_at',
  'updated_at',
] as const;

/**
 * insert-messages: many ledger rows at once. A row that already exists for (delivery, contact) is
 * left alone, so re-running a preparation after a crash never duplicates or rewrites a decision.
 */
export async function insertMessages(db: Db, caps: DialectCapabilities, rows: NewMessageRow[]): Promise<void> {
  const perRow = INSERT_COLUMNS.length;
  const chunk = Math.min(2000, Math.floor(caps.maxParameters / perRow));
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const params: unknown[] = [];
    const tuples: string[] = [];
    let n = 0;
    for (const r of part) {
      const ph: string[] = [];
      for (const col of INSERT_COLUMNS) {
        params.push((r as Record<string, unknown>)[col] ?? null);
        ph.push(caps.name === 'postgres' ? `$${++n}` : '?');
      }
      tuples.push(`(${ph.join(',')})`);
    }
    const text = `INSERT INTO messages (${INSERT_COLUMNS.join(',')}) VALUES ${tuples.join(',')} ON CONFLICT (delivery_id, contact_id) DO NOTHING`;
    await db.executeQuery(CompiledQuery.raw(text, params));
  }
}

export interface ClaimedMessage {
  id: number;
  delivery_id: number;
  contact_id: number;
  address: string | null;
  attempts: number;
  created_at: string;
}

/**
 * claim-due-messages: take up to `limit` due rows of one delivery with a lease. On PostgreSQL many
 * workers claim disjoint rows with FOR UPDATE SKIP LOCKED; on SQLite the single writer makes the
 * conditional UPDATE atomic. No ORDER BY: the (delivery_id, status, next_attempt_at) index already
 * yields rows in id order for equal times, and sorting a million queued rows per claim would not.
 */
export async function claimDueMessages(
  db: Db,
  caps: DialectCapabilities,
  args: { deliveryId: number; now: string; limit: number; owner: string; leaseUntil: string },
): Promise<ClaimedMessage[]> {
  let due = db
    .selectFrom('messages')
    .select('id')
    .where('delivery_id', '=', args.deliveryId)
    .where('status', 'in', ['queued', 'deferred'])
    .where('next_attempt_at', '<=', args.now)
    .limit(args.limit);
  if (caps.supportsSkipLocked) due = due.forUpdate().skipLocked();
  return db
    .updateTable('messages')
    .set({ status: 'claimed', lease_owner: args.owner, lease_expires_at: args.leaseUntil, updated_at: args.now })
    .where('id', 'in', due)
    .returning(['id', 'delivery_id', 'contact_id', 'address', 'attempts', 'created_at'])
    .execute();
}

/**
 * The join key of an `UPDATE messages … FROM v(id, …)` statement. On SQLite it is written `+v.id`:
 * without statistics, SQLite's planner switches to scanning the whole messages table (with an
 * automatic index on v) once the VALUES list has a few hundred rows, which costs ~25 µs per row on
 * a 60,000-row ledger instead of ~5 and grows with the ledger. The unary plus keeps v.id from being
 * indexed, so the plan stays "scan v, look up messages by rowid" at every size.
 */
export function joinKey(caps: DialectCapabilities): string {
  return caps.name === 'postgres' ? 'v.id' : '+v.id';
}

/**
 * mark-sending: the hand-off marker, written before any of these rows is given to the transport.
 * Only rows still claimed by this owner change (a cancel or a lease takeover in between wins);
 * the caller sends exactly the ids returned. The Message-ID is stored here too, so that a copy or
 * a bounce that arrives before the outcome is written can already be matched to its row.
 */
export async function markSending(
  db: Db,
  caps: DialectCapabilities,
  args: { headers: ReadonlyMap<number, string>; owner: string; now: string; leaseUntil: string },
): Promise<number[]> {
  if (args.headers.size === 0) return [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return caps.name === 'postgres' ? `$${params.length}` : '?';
  };
  const tuples = [...args.headers].map(([id, header]) => `(CAST(${p(id)} AS bigint), ${p(header)})`).join(',');
  const text =
    `WITH v(id, header) AS (VALUES ${tuples}) ` +
    `UPDATE messages SET status = 'sending', attempts = attempts + 1, lease_expires_at = ${p(args.leaseUntil)}, updated_at = ${p(args.now)}, message_id_header = v.header ` +
    `FROM v WHERE messages.id = ${joinKey(caps)} AND messages.status = 'claimed' AND messages.lease_owner = ${p(args.owner)} RETURNING messages.id`;
  const r = await db.executeQuery<{ id: number }>(CompiledQuery.raw(text, params));
  return r.rows.map((row) => Number(row.id));
}

export interface MessageOutcome {
  id: number;
  status: 'sent' | 'deferred' | 'failed' | 'skipped';
  reason: string | null;
  response: string | null;
  failureClass: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
}


/**
 * write-outcomes: what the hand-off returned, for many rows in one statement (a VALUES table
 * joined in UPDATE … FROM, which both SQLite ≥ 3.33 and PostgreSQL understand). Guarded by the
 * lease owner and `sending`, so a worker that lost its lease cannot overwrite a newer outcome.
 */
export async function writeOutcomes(
  db: Db,
  caps: DialectCapabilities,
  args: { outcomes: MessageOutcome[]; owner: string; now: string; fromStatus?: 'sending' | 'claimed' },
): Promise<number> {
  if (args.outcomes.length === 0) return 0;
  const pg = caps.name === 'postgres';
  let n = 0;
  const p = () => (pg ? `$${++n}` : '?');
  const params: unknown[] = [];
  const tuples: string[] = [];
  for (const o of args.outcomes) {
    tuples.push(`(CAST(${p()} AS bigint),${p()},${p()},${p()},${p()},${p()},${p()})`);
    params.push(o.id, o.status, o.reason, o.response, o.failureClass, o.nextAttemptAt, o.sentAt);
  }
  const text =
    `WITH v(id, status, reason, response, failure_class, next_attempt_at, sent_at) AS (VALUES ${tuples.join(',')}) ` +
    `UPDATE messages SET status = v.status, reason = v.reason, response = v.response, failure_class = v.failure_class, ` +
    `next_attempt_at = v.next_attempt_at, sent_at = v.sent_at, lease_owner = NULL, lease_expires_at = NULL, updated_at = ${p()} ` +
    `FROM v WHERE messages.id = ${joinKey(caps)} AND messages.status = ${p()} AND messages.lease_owner = ${p()}`;
  params.push(args.now, args.fromStatus ?? 'sending', args.owner);
  const r = await db.executeQuery(CompiledQuery.raw(text, params));
  return Number(r.numAffectedRows ?? 0);
}

/** release-claimed: give claimed rows back to the queue (pause, shutdown). Never touches `sending`. */
export async function releaseClaimed(db: Db, args: { ids: number[]; owner: string; now: string }): Promise<void> {
  if (args.ids.length === 0) return;
  await db
    .updateTable('messages')
    .set({ status: 'queued', lease_owner: null, lease_expires_at: null, updated_at: args.now })
    .where('id', 'in', args.ids)
    .where('status', '=', 'claimed')
    .where('lease_owner', '=', args.owner)
    .execute();
}

/**
 * recover-expired-claims: rows claimed by a worker that died before marking them `sending` were
 * never handed off, so they simply go back to the queue.
 */
export async function requeueExpiredClaims(db: Db, now: string): Promise<number> {
  const r = await db
    .updateTable('messages')
    .set({ status: 'queued', lease_owner: null, lease_expires_at: null, updated_at: now })
    .where('status', '=', 'claimed')
    .where('lease_expires_at', '<', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** deliveries-with-expired-hand-offs: which deliveries have rows stuck in `sending` past their lease. */
export async function deliveriesWithExpiredSending(db: Db, now: string): Promise<number[]> {
  const rows = await db
    .selectFrom('messages')
    .select('delivery_id')
    .distinct()
    .where('status', '=', 'sending')
    .where('lease_expires_at', '<', now)
    .execute();
  return rows.map((r) => r.delivery_id);
}

/**
 * settle-expired-hand-offs: rows whose hand-off was under way when their worker died. Nobody
 * knows whether the receiving server took them. Policy "resend": queue them again, flagged
 * possible_duplicate (so a duplicate is never unflagged); policy "hold": mark them `uncertain`
 * for a person to decide. One statement per delivery, so no other worker sees a half state.
 */
export async function settleExpiredSending(
  db: Db,
  args: { deliveryId: number; now: string; policy: 'resend' | 'hold' },
): Promise<number> {
  const note = 'uncertain: the sending process stopped during the hand-off';
  const r = await db
    .updateTable('messages')
    .set(
      args.policy === 'resend'
        ? { status: 'queued', possible_duplicate: 1, next_attempt_at: args.now, lease_owner: null, lease_expires_at: null, response: note, updated_at: args.now }
        : { status: 'uncertain', possible_duplicate: 1, lease_owner: null, lease_expires_at: null, response: note, updated_at: args.now },
    )
    .where('delivery_id', '=', args.deliveryId)
    .where('status', '=', 'sending')
    .where('lease_expires_at', '<', args.now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** has-open-messages: does any row of the delivery still need work? */
export async function hasOpenMessages(db: Db, deliveryId: number): Promise<boolean> {
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('delivery_id', '=', deliveryId)
    .where('status', 'in', ['queued', 'claimed', 'sending', 'deferred'])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** cancel-open-messages: everything not yet handed off becomes `cancelled`. */
export async function cancelOpenMessages(db: Db, args: { deliveryId: number; now: string }): Promise<number> {
  const r = await db
    .updateTable('messages')
    .set({ status: 'cancelled', reason: 'cancelled', lease_owner: null, lease_expires_at: null, updated_at: args.now })
    .where('delivery_id', '=', args.deliveryId)
    .where('status', 'in', ['queued', 'claimed', 'deferred', 'uncertain'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
