// One-click unsubscribe (RFC 8058) from the signed link in a message: the contact leaves the
// lists that message was sent to, at once and for every later send (the dispatcher re-checks
// subscriptions just before each hand-off). Replaying the same request changes nothing.
import type { AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { parseAudience } from '../campaigns/campaign-input.ts';
import { recordEvents } from '../events/record-events.ts';
import { verifyToken } from '../links/signed-token.ts';

export interface UnsubscribeTarget {
  messageId: number;
  accountId: number;
  contactId: number;
  address: string | null;
  accountName: string;
  lists: Array<{ id: number; name: string; status: string | null }>;
}

/** What a token points at; not_found for a forged, truncated or unknown token (no detail leaks). */
export async function findUnsubscribeTarget(deps: AppDeps, token: string): Promise<UnsubscribeTarget> {
  const messageId = verifyToken(deps.config.secret, 'unsubscribe', token);
  if (messageId === null) throw new AppError('not_found', 'this unsubscribe link is not valid', 'token');
  const { db } = deps.store;
  const m = await db
    .selectFrom('messages')
    .innerJoin('campaigns', 'campaigns.id', 'messages.campaign_id')
    .innerJoin('accounts', 'accounts.id', 'messages.account_id')
    .select(['messages.id', 'messages.account_id', 'messages.contact_id', 'messages.address', 'campaigns.audience', 'accounts.name'])
    .where('messages.id', '=', messageId)
    .executeTakeFirst();
  if (!m) throw new AppError('not_found', 'this unsubscribe link is not valid', 'token');
  const listIds = parseAudience(m.audience).list_ids;
  const lists = listIds.length
    ? await db
        .selectFrom('lists')
        .leftJoin('subscriptions', (j) => j.onRef('subscriptions.list_id', '=', 'lists.id').on('subscriptions.contact_id', '=', m.contact_id))
        .select(['lists.id', 'lists.name', 'subscriptions.status'])
        .where('lists.id', 'in', listIds)
        .where('lists.account_id', '=', m.account_id)
        .execute()
    : [];
  return { messageId: m.id, accountId: m.account_id, contactId: m.contact_id, address: m.address, accountName: m.name, lists };
}

export async function unsubscribeByToken(deps: AppDeps, token: string): Promise<{ target: UnsubscribeTarget; changed: number }> {
  const target = await findUnsubscribeTarget(deps, token);
  const ids = target.lists.filter((l) => l.status !== null && l.status !== 'unsubscribed').map((l) => l.id);
  let changed = 0;
  if (ids.length) {
    const r = await deps.store.db
      .updateTable('subscriptions')
      .set({ status: 'unsubscribed', source: 'one-click', updated_at: deps.clock.now().toISOString() })
      .where('contact_id', '=', target.contactId)
      .where('account_id', '=', target.accountId)
      .where('list_id', 'in', ids)
      .where('status', '<>', 'unsubscribed')
      .executeTakeFirst();
    changed = Number(r.numUpdatedRows);
  }
  if (changed > 0) {
    await recordEvents(deps, [
      { accountId: target.accountId, messageId: target.messageId, type: 'unsubscribed', occurredAt: deps.clock.now().toISOString(), data: { source: 'one-click', lists: ids } },
    ]);
  }
  deps.log.info({ messageId: target.messageId, contactId: target.contactId, changed }, 'one-click unsubscribe');
  return { target: { ...target, lists: target.lists.map((l) => ({ ...l, status: l.status === null ? null : 'unsubscribed' })) }, changed };
}
