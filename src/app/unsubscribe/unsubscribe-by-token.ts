// One-click unsubscribe (RFC 8058) from the signed link in a message: the contact leaves the
// lists that message was sent to, at once and for every later send (the dispatcher re-checks
// subscriptions just before each hand-off). Replaying the same request changes nothing.
// A message of a run with an explicit audience (a trigger firing, a one-off message) was sent to
// contacts named by an event, not to lists: there the unsubscribe is a suppression of the address on
// that channel (reason "unsubscribe"), so later triggered messages are skipped as `unsubscribed`.
import type { AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { parseAudience } from '../campaigns/campaign-input.ts';
import { recordEvents } from '../events/record-events.ts';
import { verifyToken } from '../links/signed-token.ts';
import { insertSuppressions } from '../suppressions/insert-suppressions.ts';

export interface UnsubscribeTarget {
  messageId: number;
  accountId: number;
  contactId: number;
  address: string | null;
  accountName: string;
  lists: Array<{ id: number; name: string; status: string | null }>;
  /** For a run with an explicit audience (no lists): the address's unsubscribe suppression on the channel. */
  suppression: { channel: string; suppressed: boolean } | null;
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
    .innerJoin('deliveries', 'deliveries.id', 'messages.delivery_id')
    .select(['messages.id', 'messages.account_id', 'messages.contact_id', 'messages.address', 'messages.channel', 'campaigns.audience', 'deliveries.audience as run_audience', 'accounts.name'])
    .where('messages.id', '=', messageId)
    .executeTakeFirst();
  if (!m) throw new AppError('not_found', 'this unsubscribe link is not valid', 'token');
  const explicit = m.run_audience ? Boolean(parseAudience(m.run_audience).contact_ids) : false;
  const listIds = explicit ? [] : parseAudience(m.audience).list_ids;
  let suppression: UnsubscribeTarget['suppression'] = null;
  if (explicit && m.address) {
    const now = deps.clock.now().toISOString();
    const found = await db
      .selectFrom('suppressions')
      .select('id')
      .where('account_id', '=', m.account_id)
      .where('channel', '=', m.channel)
      .where('address', '=', m.address)
      .where('reason', '=', 'unsubscribe')
      .where('removed_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .executeTakeFirst();
    suppression = { channel: m.channel, suppressed: Boolean(found) };
  }
  const lists = listIds.length
    ? await db
        .selectFrom('lists')
        .leftJoin('subscriptions', (j) => j.onRef('subscriptions.list_id', '=', 'lists.id').on('subscriptions.contact_id', '=', m.contact_id))
        .select(['lists.id', 'lists.name', 'subscriptions.status'])
        .where('lists.id', 'in', listIds)
        .where('lists.account_id', '=', m.account_id)
        .execute()
    : [];
  return { messageId: m.id, accountId: m.account_id, contactId: m.contact_id, address: m.address, accountName: m.name, lists, suppression };
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
  let suppressed = false;
  if (target.suppression && !target.suppression.suppressed && target.address) {
    const { channel } = target.suppression;
    const address = target.address;
    const now = deps.clock.now().toISOString();
    const inserted = await deps.store.db
      .transaction()
      .execute((trx) =>
        insertSuppressions(trx, deps.store.caps, target.accountId, [{ channel, address, reason: 'unsubscribe', source: 'one-click', note: `unsubscribe link of message ${target.messageId}`, expires_at: null }], now),
      );
    suppressed = inserted.length > 0;
    changed += inserted.length;
  }
  if (changed > 0) {
    await recordEvents(deps, [
      { accountId: target.accountId, messageId: target.messageId, type: 'unsubscribed', occurredAt: deps.clock.now().toISOString(), data: { source: 'one-click', lists: ids, ...(suppressed ? { suppression: target.suppression?.channel } : {}) } },
    ]);
  }
  deps.log.info({ messageId: target.messageId, contactId: target.contactId, changed }, 'one-click unsubscribe');
  return {
    target: {
      ...target,
      lists: target.lists.map((l) => ({ ...l, status: l.status === null ? null : 'unsubscribed' })),
      suppression: target.suppression ? { ...target.suppression, suppressed: true } : null,
    },
    changed,
  };
}
