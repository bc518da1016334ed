// One contact with the lists it is on and its consent state on each.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { type ContactView, toContactView } from './contact-view.ts';

export interface ContactSubscriptionView {
  list_id: number;
  list_name: string;
  status: string;
  source: string | null;
  created_at: string;
  updated_at: string;
}

export interface ContactDetail extends ContactView {
  subscriptions: ContactSubscriptionView[];
}

export async function loadContactDetail(db: Kysely<Database>, accountId: number, id: number): Promise<ContactDetail | null> {
  const row = await db.selectFrom('contacts').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const subscriptions = await db
    .selectFrom('subscriptions')
    .innerJoin('lists', 'lists.id', 'subscriptions.list_id')
    .select([
      'subscriptions.list_id',
      'lists.name as list_name',
      'subscriptions.status',
      'subscriptions.source',
      'subscriptions.created_at',
      'subscriptions.updated_at',
    ])
    .where('subscriptions.account_id', '=', accountId)
    .where('subscriptions.contact_id', '=', id)
    .orderBy('subscriptions.list_id')
    .execute();
  return { ...toContactView(row), subscriptions: subscriptions.map((s) => ({ ...s, list_id: Number(s.list_id) })) };
}

export async function getContact(deps: AppDeps, actor: Actor, id: number): Promise<ContactDetail> {
  const detail = await loadContactDetail(deps.store.db, actor.accountId, id);
  if (!detail) throw notFound('contact', id, 'id');
  return detail;
}

/** For the CLI: a contact named by id or by email address. */
export async function findContact(deps: AppDeps, actor: Actor, idOrEmail: string): Promise<ContactDetail> {
  if (/^\d+$/.test(idOrEmail)) return getContact(deps, actor, Number(idOrEmail));
  const row = await deps.store.db
    .selectFrom('contacts')
    .select('id')
    .where('account_id', '=', actor.accountId)
    .where('email', '=', idOrEmail.trim().toLowerCase())
    .executeTakeFirst();
  if (!row) throw notFound('contact', idOrEmail, 'contact');
  return getContact(deps, actor, Number(row.id));
}
