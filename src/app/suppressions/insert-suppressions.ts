// The one write path of suppressions, manual and automatic: retire expired entries of the same
// addresses and reason (their slot in the unique index is needed and they no longer suppress),
// then insert, skipping addresses that already have an entry in force. Run it inside a
// transaction; statements are chunked to the dialect's parameter limit.
import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../../store/dialect-capabilities.ts';
import type { Database } from '../../store/schema.ts';
import type { SuppressionRow } from '../../store/schema-suppressions.ts';

export interface NewSuppression {
  channel: string;
  /** Already normalized for the channel. */
  address: string;
  reason: string;
  source: string;
  note: string | null;
  expires_at: string | null;
}

const COLUMNS_PER_ROW = 8;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Inserts the rows not already in force; returns the inserted rows (an address appears once). */
export async function insertSuppressions(
  trx: Kysely<Database>,
  caps: DialectCapabilities,
  accountId: number,
  rows: readonly NewSuppression[],
  now: string,
): Promise<SuppressionRow[]> {
  const unique = new Map<string, NewSuppression>();
  for (const r of rows) {
    const key = `${r.channel}\n${r.reason}\n${r.address}`;
    if (!unique.has(key)) unique.set(key, r);
  }
  const groups = new Map<string, { channel: string; reason: string; addresses: string[] }>();
  for (const r of unique.values()) {
    const key = `${r.channel}\n${r.reason}`;
    const g = groups.get(key) ?? { channel: r.channel, reason: r.reason, addresses: [] };
    g.addresses.push(r.address);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    for (const part of chunks(g.addresses, caps.maxParameters - 10)) {
      await trx
        .updateTable('suppressions')
        // The entry ended when it expired; recording that instant keeps the history truthful.
        .set((eb) => ({ removed_at: eb.ref('expires_at') }))
        .where('account_id', '=', accountId)
        .where('channel', '=', g.channel)
        .where('reason', '=', g.reason)
        .where('address', 'in', part)
        .where('removed_at', 'is', null)
        .where('expires_at', '<=', now)
        .execute();
    }
  }
  const inserted: SuppressionRow[] = [];
  for (const part of chunks([...unique.values()], Math.floor(caps.maxParameters / COLUMNS_PER_ROW))) {
    const values = part.map((r) => ({ account_id: accountId, ...r, created_at: now }));
    // No conflict target: the only unique index is the "one entry in force" one, and an entry in
    // force is exactly what should make the insert a no-op (idempotent bounces, repeated imports).
    inserted.push(...(await trx.insertInto('suppressions').values(values).onConflict((oc) => oc.doNothing()).returningAll().execute()));
  }
  return inserted;
}
