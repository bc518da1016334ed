// Asking one contact to confirm one subscription: called when a subscription is created or set
// to 'unconfirmed', and by the API to ask again after a request expired or was declined.
import { consentSettings } from '../../core/consent-settings.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, notFound } from '../errors.ts';
import type { ConsentRequestRow, ConsentRequestView } from './consent-request-view.ts';
import { toConsentRequestView } from './consent-request-view.ts';
import { selectConsentRequests } from './read-consent-requests.ts';

export interface RequestConsentInput {
  contactId: number;
  listId: number;
  /** What asks: "api", "signup-form", "api_key:3", … */
  source: string;
}

/**
 * Creates a pending request, or returns the one already out (`created: false`). The subscription
 * must be 'unconfirmed' and the contact must have an email address to receive the question.
 */
export async function requestConsent(
  deps: AppDeps,
  accountId: number,
  input: RequestConsentInput,
): Promise<{ request: ConsentRequestView; created: boolean }> {
  const now = deps.clock.now();
  return deps.store.db.transaction().execute(async (trx) => {
    const sub = await trx
      .selectFrom('subscriptions')
      .innerJoin('contacts', 'contacts.id', 'subscriptions.contact_id')
      .innerJoin('accounts', 'accounts.id', 'subscriptions.account_id')
      .select(['subscriptions.status', 'contacts.email', 'accounts.settings'])
      .where('subscriptions.account_id', '=', accountId)
      .where('subscriptions.list_id', '=', input.listId)
      .where('subscriptions.contact_id', '=', input.contactId)
      .executeTakeFirst();
    if (!sub) {
      const contact = await trx.selectFrom('contacts').select('id').where('account_id', '=', accountId).where('id', '=', input.contactId).executeTakeFirst();
      if (!contact) throw notFound('contact', input.contactId, 'contact_id');
      const list = await trx.selectFrom('lists').select('id').where('account_id', '=', accountId).where('id', '=', input.listId).executeTakeFirst();
      if (!list) throw notFound('list', input.listId, 'list_id');
      throw new AppError('invalid_state', `contact ${input.contactId} is not on list ${input.listId}; subscribe it as "unconfirmed" first`, 'contact_id');
    }
    if (sub.status !== 'unconfirmed') {
      throw new AppError('invalid_state', `the subscription is "${sub.status}"; only an "unconfirmed" one can be asked to confirm`, 'contact_id');
    }
    if (!sub.email) throw new AppError('invalid_state', `contact ${input.contactId} has no email address to send the confirmation to`, 'contact_id');

    const pendingRow = () =>
      selectConsentRequests(trx, accountId)
        .where('consent_requests.contact_id', '=', input.contactId)
        .where('consent_requests.list_id', '=', input.listId)
        .where('consent_requests.status', '=', 'pending')
        .executeTakeFirst() as Promise<ConsentRequestRow | undefined>;
    const existing = await pendingRow();
    if (existing) return { request: toConsentRequestView(existing, true), created: false };

    const expiresAt = new Date(now.getTime() + consentSettings(sub.settings).expiry_hours * 3600_000).toISOString();
    const inserted = await trx
      .insertInto('consent_requests')
      .values({
        account_id: accountId,
        contact_id: input.contactId,
        list_id: input.listId,
        status: 'pending',
        requested_at: now.toISOString(),
        expires_at: expiresAt,
        source: input.source,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    const row = await pendingRow();
    if (!row) throw new Error(`consent request for contact ${input.contactId} on list ${input.listId} vanished`);
    return { request: toConsentRequestView(row, true), created: inserted !== undefined };
  });
}

/** The API's "ask again": allowed when no request is out (the last one expired or was declined). */
export async function reRequestConsent(deps: AppDeps, actor: Actor, body: { contact_id: number; list_id: number }): Promise<ConsentRequestView> {
  const { request, created } = await requestConsent(deps, actor.accountId, { contactId: body.contact_id, listId: body.list_id, source: actor.label });
  if (!created) {
    throw new AppError('conflict', `consent request ${request.id} is still pending until ${request.expires_at}`, 'contact_id', { consent_request_id: request.id });
  }
  return request;
}
