// The suppression facts for a batch of addresses of one channel, for decideMessage: entries in
// force only (not removed, not expired at `now`), the strongest reason when an address has several.
// One query per 10,000 addresses (the preparer's and the dispatcher's batch size), served by the
// suppressions_lookup index; 10,000 parameters stay under both dialects' limits (SQLite 32,766,
// PostgreSQL 65,535), so the chunk size is fixed here and no Store is needed.
import type { Kysely } from 'kysely';
import type { SuppressionFact } from '../../core/decide-message.ts';
import { isSuppressionReason, strongerSuppression } from '../../core/suppression-reason.ts';
import type { Database } from '../../store/schema.ts';

const ADDRESSES_PER_QUERY = 10_000;

/**
 * Keys of the map are the addresses as given (contacts store them normalized, as suppressions do);
 * addresses without an entry in force are absent.
 */
export async function loadSuppressionFacts(
  db: Kysely<Database>,
  accountId: number,
  channel: string,
  addresses: string[],
  now: string,
): Promise<Map<string, SuppressionFact>> {
  const facts = new Map<string, SuppressionFact>();
  const wanted = [...new Set(addresses)];
  for (let i = 0; i < wanted.length; i += ADDRESSES_PER_QUERY) {
    const rows = await db
      .selectFrom('suppressions')
      .select(['address', 'reason', 'source', 'created_at'])
      .where('account_id', '=', accountId)
      .where('channel', '=', channel)
      .where('address', 'in', wanted.slice(i, i + ADDRESSES_PER_QUERY))
      .where('removed_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .execute();
    for (const r of rows) {
      // A reason outside the vocabulary could only come from a hand-edited row: it suppresses nothing.
      if (!isSuppressionReason(r.reason)) continue;
      const fact: SuppressionFact = { reason: r.reason, source: r.source, created_at: r.created_at };
      facts.set(r.address, strongerSuppression(facts.get(r.address), fact));
    }
  }
  return facts;
}
