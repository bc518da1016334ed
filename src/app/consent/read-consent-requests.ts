// Reading consent requests of the acting account: a page (filtered by status, list or contact)
// or one request with the evidence of its answer.
import type { Kysely } from 'kysely';
import { isConsentRequestStatus } from '../../core/consent-answer.ts';
import type { Database } from '../../store/schema.ts';
import type { Page } from '../contacts/list-contacts.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { invalid, notFound } from '../errors.ts';
import { type ConsentRequestRow, type ConsentRequestView, toConsentRequestView } from './consent-request-view.ts';

export interface ConsentRequestQuery {
  status?: string;
  list_id?: number;
  contact_id?: number;
  after?: number;
  limit?: number;
}

export function selectConsentRequests(db: Kysely<Database>, accountId: number) {
  return db
    .selectFrom('consent_requests')
    .innerJoin('contacts', 'contacts.id', 'consent_requests.contact_id')
    .innerJoin('lists', 'lists.id', 'consent_requests.list_id')
    .selectAll('consent_requests')
    .select(['contacts.email', 'lists.name as list_name'])
    .where('consent_requests.account_id', '=', accountId);
}

export async function listConsentRequests(deps: AppDeps, actor: Actor, query: ConsentRequestQuery): Promise<Page<ConsentRequestView>> {
  if (query.status !== undefined && !isConsentRequestStatus(query.status)) {
    throw invalid('status', `"${query.status}" is not a consent request status; one of pending, confirmed, declined, expired`);
  }
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
  let select = selectConsentRequests(deps.store.db, actor.accountId);
  if (query.status !== undefined) select = select.where('consent_requests.status', '=', query.status);
  if (query.list_id !== undefined) select = select.where('consent_requests.list_id', '=', query.list_id);
  if (query.contact_id !== undefined) select = select.where('consent_requests.contact_id', '=', query.contact_id);
  if (query.after !== undefined) select = select.where('consent_requests.id', '>', query.after);
  const rows = (await select.orderBy('consent_requests.id').limit(limit + 1).execute()) as ConsentRequestRow[];
  const items = rows.slice(0, limit).map((r) => toConsentRequestView(r, false));
  return { items, next_after: rows.length > limit ? items[items.length - 1].id : null };
}

export async function getConsentRequest(deps: AppDeps, actor: Actor, id: number): Promise<ConsentRequestView> {
  const row = (await selectConsentRequests(deps.store.db, actor.accountId).where('consent_requests.id', '=', id).executeTakeFirst()) as
    | ConsentRequestRow
    | undefined;
  if (!row) throw notFound('consent request', id);
  return toConsentRequestView(row, true);
}
