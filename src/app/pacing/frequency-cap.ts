// The per-contact frequency cap: contacts that already got `max_messages` messages in the last
// `per_days` days. One grouped query per chunk of contacts (a dispatch batch is one chunk).
import type { Kysely } from 'kysely';
import type { PacingPolicy } from '../../core/pacing/pacing-policy.ts';
import type { Database } from '../../store/schema.ts';

/** Well under both dialects' parameter limits. */
const CHUNK = 10_000;

export async function loadFrequencyCapped(
  db: Kysely<Database>,
  accountId: number,
  contactIds: readonly number[],
  policy: Pick<PacingPolicy, 'frequency_cap'>,
  now: Date,
): Promise<Set<number>> {
  const capped = new Set<number>();
  const cap = policy.frequency_cap;
  if (!cap || contactIds.length === 0) return capped;
  const since = new Date(now.getTime() - cap.per_days * 86_400_000).toISOString();
  for (let i = 0; i < contactIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('messages')
      .select('contact_id')
      .where('account_id', '=', accountId)
      .where('contact_id', 'in', contactIds.slice(i, i + CHUNK))
      // sent_at is set only by a hand-off the receiving server accepted.
      .where('sent_at', '>=', since)
      .groupBy('contact_id')
      .having((eb) => eb.fn.countAll(), '>=', cap.max_messages)
      .execute();
    for (const r of rows) capped.add(Number(r.contact_id));
  }
  return capped;
}
