// Reading sender domains of the actor's account; another account's domain is "not found".
import type { SenderDomainRow } from '../../store/schema.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { type SenderDomainView, toSenderDomainView } from './sender-domain-view.ts';

export async function findSenderDomainRow(deps: AppDeps, actor: Actor, id: number): Promise<SenderDomainRow> {
  const row = await deps.store.db
    .selectFrom('sender_domains')
    .selectAll()
    .where('account_id', '=', actor.accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('sender domain', id);
  return row;
}

export async function getSenderDomain(deps: AppDeps, actor: Actor, id: number): Promise<SenderDomainView> {
  return toSenderDomainView(await findSenderDomainRow(deps, actor, id));
}

/** An account has a handful of sender domains: no paging. */
export async function listSenderDomains(deps: AppDeps, actor: Actor): Promise<SenderDomainView[]> {
  const rows = await deps.store.db
    .selectFrom('sender_domains')
    .selectAll()
    .where('account_id', '=', actor.accountId)
    .orderBy('domain')
    .execute();
  return rows.map(toSenderDomainView);
}
