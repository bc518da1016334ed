// Confirmation requests for 'unconfirmed' subscriptions on double opt-in lists that have not been
// asked yet, whatever path created the subscription (API, import, bulk upsert). "Asked" means a
// request is out, or one was made after the subscription last changed: a declined or expired
// request is not repeated until the subscription is set to 'unconfirmed' again (no re-spamming
// on every import), and a contact without an email address cannot be asked at all.
import { type Kysely, sql } from 'kysely';
import { consentSettings } from '../../core/consent-settings.ts';
import type { Database } from '../../store/schema.ts';
import type { AppDeps } from '../deps.ts';

/** Rows per worker call; the rest waits for the next tick. */
export const ENSURE_BATCH = 1000;
const IN_CHUNK = 1000;

interface MissingFilter {
  accountId?: number;
  listId?: number;
  contactIds?: readonly number[];
}

function findMissing(db: Kysely<Database>, filter: MissingFilter, limit: number) {
  let q = db
    .selectFrom('subscriptions as s')
    .innerJoin('lists as l', (j) => j.onRef('l.id', '=', 's.list_id').onRef('l.account_id', '=', 's.account_id'))
    .innerJoin('contacts as c', (j) => j.onRef('c.id', '=', 's.contact_id').onRef('c.account_id', '=', 's.account_id'))
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .select(['s.account_id', 's.contact_id', 's.list_id', 'a.settings'])
    .where('s.status', '=', 'unconfirmed')
    .where('l.opt_in', '=', 'double')
    .where('c.email', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('consent_requests as r')
            .select(sql`1`.as('one'))
            .whereRef('r.account_id', '=', 's.account_id')
            .whereRef('r.contact_id', '=', 's.contact_id')
            .whereRef('r.list_id', '=', 's.list_id')
            .where((eb) => eb.or([eb('r.status', '=', 'pending'), eb('r.requested_at', '>=', eb.ref('s.updated_at'))])),
        ),
      ),
    );
  if (filter.accountId !== undefined) q = q.where('s.account_id', '=', filter.accountId);
  if (filter.listId !== undefined) q = q.where('s.list_id', '=', filter.listId);
  if (filter.contactIds !== undefined) q = q.where('s.contact_id', 'in', [...filter.contactIds]);
  return q.orderBy('s.list_id').orderBy('s.contact_id').limit(limit).execute();
}

async function createMissing(deps: AppDeps, filter: MissingFilter, limit: number, source: string, now: Date): Promise<number> {
  const { db } = deps.store;
  const rows = await findMissing(db, filter, limit);
  if (rows.length === 0) return 0;
  const requestedAt = now.toISOString();
  const expiryByAccount = new Map<number, string>();
  const values = rows.map((r) => {
    const accountId = Number(r.account_id);
    let expiresAt = expiryByAccount.get(accountId);
    if (expiresAt === undefined) {
      expiresAt = new Date(now.getTime() + consentSettings(r.settings).expiry_hours * 3600_000).toISOString();
      expiryByAccount.set(accountId, expiresAt);
    }
    return {
      account_id: accountId,
      contact_id: Number(r.contact_id),
      list_id: Number(r.list_id),
      status: 'pending',
      requested_at: requestedAt,
      expires_at: expiresAt,
      source,
    };
  });
  // A request another worker created in between wins (one pending per contact and list).
  const inserted = await db
    .insertInto('consent_requests')
    .values(values)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n);
}

/**
 * For the lead to call after an import or a bulk subscribe on a double opt-in list: asks every
 * named contact whose subscription there is 'unconfirmed' and not asked yet. Returns how many
 * requests were created.
 */
export async function requestConsentForUnconfirmed(
  deps: AppDeps,
  accountId: number,
  listId: number,
  contactIds: readonly number[],
  source = 'bulk',
): Promise<number> {
  const ids = [...new Set(contactIds)];
  let created = 0;
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    const chunk = ids.slice(i, i + IN_CHUNK);
    created += await createMissing(deps, { accountId, listId, contactIds: chunk }, chunk.length, source, deps.clock.now());
  }
  return created;
}

/** Worker step: the safety net that asks what no caller asked (at most ENSURE_BATCH per call). */
export async function ensureConsentRequests(deps: AppDeps, now: Date, limit = ENSURE_BATCH): Promise<number> {
  return createMissing(deps, {}, limit, 'worker', now);
}
