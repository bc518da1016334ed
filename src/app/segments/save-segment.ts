// Creating and changing a segment. The name is unique in the account; the rules are checked
// whole (shape, the account's lists) before anything is written.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { checkNameAndDescription } from '../name-and-description.ts';
import { isUniqueViolation } from '../contacts/unique-violation.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, invalid } from '../errors.ts';
import { checkSegmentRules } from './check-rules.ts';
import { requireSegment } from './find-segment.ts';
import { type SegmentView, toSegmentView } from './segment-view.ts';

export interface SegmentInput {
  name?: string;
  description?: string | null;
  rules?: unknown;
}

interface SegmentValues {
  name?: string;
  description?: string | null;
  rules?: string;
}

async function checkSegmentInput(db: Kysely<Database>, accountId: number, input: SegmentInput, creating: boolean): Promise<SegmentValues> {
  const out: SegmentValues = checkNameAndDescription(input, creating, 'segment');
  if (input.rules !== undefined || creating) {
    if (input.rules === undefined) throw invalid('rules', 'a segment needs rules (e.g. {"all": []} for every contact)');
    out.rules = JSON.stringify(await checkSegmentRules(db, accountId, input.rules));
  }
  return out;
}

async function assertNameIsFree(db: Kysely<Database>, accountId: number, name: string, exceptId: number | null) {
  let q = db.selectFrom('segments').select('id').where('account_id', '=', accountId).where('name', '=', name);
  if (exceptId !== null) q = q.where('id', '!=', exceptId);
  const other = await q.executeTakeFirst();
  if (other) throw new AppError('conflict', `segment ${other.id} is already named "${name}"`, 'name', { segment_id: Number(other.id) });
}

const nameTaken = (err: unknown) => (isUniqueViolation(err) ? new AppError('conflict', 'another segment already has this name', 'name') : err);

export async function createSegment(deps: AppDeps, actor: Actor, input: SegmentInput): Promise<SegmentView> {
  const now = deps.clock.now().toISOString();
  try {
    return await deps.store.db.transaction().execute(async (trx) => {
      const values = await checkSegmentInput(trx, actor.accountId, input, true);
      await assertNameIsFree(trx, actor.accountId, values.name!, null);
      const row = await trx
        .insertInto('segments')
        .values({
          account_id: actor.accountId,
          name: values.name!,
          description: values.description ?? null,
          rules: values.rules!,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSegmentView(row);
    });
  } catch (err) {
    throw nameTaken(err);
  }
}

export async function updateSegment(deps: AppDeps, actor: Actor, id: number, input: SegmentInput): Promise<SegmentView> {
  const now = deps.clock.now().toISOString();
  try {
    return await deps.store.db.transaction().execute(async (trx) => {
      await requireSegment(trx, actor.accountId, id);
      const values = await checkSegmentInput(trx, actor.accountId, input, false);
      if (values.name !== undefined) await assertNameIsFree(trx, actor.accountId, values.name, id);
      const row = await trx
        .updateTable('segments')
        .set({ ...values, updated_at: now })
        .where('account_id', '=', actor.accountId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSegmentView(row);
    });
  } catch (err) {
    throw nameTaken(err);
  }
}
