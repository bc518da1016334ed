// Creating and changing a list. A list name is unique in its account (a conflict names the field).
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { checkNameAndDescription } from '../name-and-description.ts';
import { isUniqueViolation } from '../contacts/unique-violation.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, invalid } from '../errors.ts';
import { requireList } from './find-list.ts';
import { type ListView, loadListView } from './list-view.ts';
import { LIST_OPT_INS } from './subscription-status.ts';

export interface ListInput {
  name?: string;
  description?: string | null;
  opt_in?: string;
}

function checkListInput(input: ListInput, creating: boolean): ListInput {
  const out: ListInput = checkNameAndDescription(input, creating, 'list');
  if (input.opt_in !== undefined) {
    if (!(LIST_OPT_INS as readonly string[]).includes(input.opt_in)) throw invalid('opt_in', `"${input.opt_in}" is not an opt-in mode; one of single, double`);
    out.opt_in = input.opt_in;
  }
  return out;
}

async function assertNameIsFree(db: Kysely<Database>, accountId: number, name: string, exceptId: number | null) {
  let q = db.selectFrom('lists').select('id').where('account_id', '=', accountId).where('name', '=', name);
  if (exceptId !== null) q = q.where('id', '!=', exceptId);
  const other = await q.executeTakeFirst();
  if (other) throw new AppError('conflict', `list ${other.id} is already named "${name}"`, 'name', { list_id: Number(other.id) });
}

const nameTaken = (err: unknown) => isUniqueViolation(err) ? new AppError('conflict', 'another list already has this name', 'name') : err;

export async function createList(deps: AppDeps, actor: Actor, input: ListInput): Promise<ListView> {
  const values = checkListInput(input, true);
  const now = deps.clock.now().toISOString();
  try {
    return await deps.store.db.transaction().execute(async (trx) => {
      await assertNameIsFree(trx, actor.accountId, values.name!, null);
      const row = await trx
        .insertInto('lists')
        .values({
          account_id: actor.accountId,
          name: values.name!,
          description: values.description ?? null,
          opt_in: values.opt_in ?? 'single',
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return loadListView(trx, actor.accountId, row);
    });
  } catch (err) {
    throw nameTaken(err);
  }
}

export async function updateList(deps: AppDeps, actor: Actor, id: number, input: ListInput): Promise<ListView> {
  const values = checkListInput(input, false);
  const now = deps.clock.now().toISOString();
  try {
    return await deps.store.db.transaction().execute(async (trx) => {
      await requireList(trx, actor.accountId, id, 'id');
      if (values.name !== undefined) await assertNameIsFree(trx, actor.accountId, values.name, id);
      const row = await trx
        .updateTable('lists')
        .set({ ...values, updated_at: now })
        .where('account_id', '=', actor.accountId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return loadListView(trx, actor.accountId, row);
    });
  } catch (err) {
    throw nameTaken(err);
  }
}
