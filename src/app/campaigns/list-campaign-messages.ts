// A campaign's ledger rows: every recipient with its status and reason, filterable.
import type { Actor, AppDeps } from '../deps.ts';
import { loadCampaignRow } from './read-campaigns.ts';

export interface MessageFilter {
  status?: string;
  reason?: string;
  contact_id?: number;
  possible_duplicate?: boolean;
  delivery_id?: number;
  after?: number;
  limit: number;
}

export async function listCampaignMessages(deps: AppDeps, actor: Actor, campaignId: number, f: MessageFilter) {
  await loadCampaignRow(deps, actor, campaignId);
  let q = deps.store.db
    .selectFrom('messages')
    .leftJoin('contacts', 'contacts.id', 'messages.contact_id')
    .select([
      'messages.id',
      'messages.delivery_id',
      'messages.contact_id',
      'contacts.email as contact_email',
      'messages.channel',
      'messages.address',
      'messages.status',
      'messages.reason',
      'messages.attempts',
      'messages.next_attempt_at',
      'messages.possible_duplicate',
      'messages.response',
      'messages.failure_class',
      'messages.message_id_header',
      'messages.sent_at',
      'messages.created_at',
      'messages.updated_at',
    ])
    // By the campaign's deliveries: the (delivery_id, …) index serves it, so the ledger needs no
    // campaign index of its own (one index less to update for every row a preparation writes).
    .where('messages.delivery_id', 'in', deps.store.db.selectFrom('deliveries').select('id').where('campaign_id', '=', campaignId))
    .where('messages.account_id', '=', actor.accountId)
    .orderBy('messages.id')
    .limit(f.limit + 1);
  if (f.status) q = q.where('messages.status', '=', f.status);
  if (f.reason) q = q.where('messages.reason', '=', f.reason);
  if (f.contact_id) q = q.where('messages.contact_id', '=', f.contact_id);
  if (f.delivery_id) q = q.where('messages.delivery_id', '=', f.delivery_id);
  if (f.possible_duplicate !== undefined) q = q.where('messages.possible_duplicate', '=', f.possible_duplicate ? 1 : 0);
  if (f.after) q = q.where('messages.id', '>', f.after);
  const rows = await q.execute();
  const more = rows.length > f.limit;
  const items = rows.slice(0, f.limit).map((r) => ({ ...r, possible_duplicate: r.possible_duplicate === 1 }));
  return { items, next_after: more ? items[items.length - 1].id : null };
}
