// The decision's batch loader for double opt-in: one query for a batch of contacts (up to 10,000)
// over the campaign's lists, folded into one ConsentFact per contact (src/core/consent-facts.ts).
// Contacts never asked are absent from the map.
import type { Kysely } from 'kysely';
import { foldConsentFacts } from '../../core/consent-facts.ts';
import type { ConsentFact } from '../../core/decide-message.ts';
import type { Database } from '../../store/schema.ts';

export async function loadConsentFacts(
  db: Kysely<Database>,
  accountId: number,
  contactIds: number[],
  listIds: number[],
): Promise<Map<number, ConsentFact>> {
  if (contactIds.length === 0 || listIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('consent_requests')
    .select(['id', 'contact_id', 'status', 'requested_at', 'expires_at'])
    .where('account_id', '=', accountId)
    .where('contact_id', 'in', contactIds)
    .where('list_id', 'in', listIds)
    .execute();
  return foldConsentFacts(rows.map((r) => ({ ...r, id: Number(r.id), contact_id: Number(r.contact_id) })));
}
