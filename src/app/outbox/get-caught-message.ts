// One caught message of the actor's account, parsed, or its raw source; another account's
// message is "not found".
import type { CaughtMessageRow } from '../../store/schema.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { type CaughtMessageDetail, toCaughtMessageDetail } from './caught-message-view.ts';

async function findCaughtMessageRow(deps: AppDeps, actor: Actor, id: number): Promise<CaughtMessageRow> {
  const row = await deps.store.db
    .selectFrom('caught_messages')
    .selectAll()
    .where('account_id', '=', actor.accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('caught message', id);
  return row;
}

export async function getCaughtMessage(deps: AppDeps, actor: Actor, id: number): Promise<CaughtMessageDetail> {
  return toCaughtMessageDetail(await findCaughtMessageRow(deps, actor, id));
}

/** The message exactly as the catcher received it (RFC 5322 source). */
export async function getCaughtMessageRaw(deps: AppDeps, actor: Actor, id: number): Promise<string> {
  return (await findCaughtMessageRow(deps, actor, id)).raw;
}
