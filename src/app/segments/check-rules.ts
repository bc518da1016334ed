// Rules as a caller sends them → a tree that can be evaluated in this account: the pure shape
// check (src/core/segment-rules.ts), then what needs the store — every list a rule names must be
// one of the account's lists.
import type { Kysely } from 'kysely';
import { listIdsInRules, type SegmentRule, validateSegmentRules } from '../../core/segment-rules.ts';
import type { Database } from '../../store/schema.ts';
import { invalid, notFound } from '../errors.ts';

export async function checkSegmentRules(db: Kysely<Database>, accountId: number, input: unknown, path = 'rules'): Promise<SegmentRule> {
  const checked = validateSegmentRules(input, path);
  if (!checked.ok) throw invalid(checked.problem.path, checked.problem.reason);
  const rules = checked.rules;
  const lists = listIdsInRules(rules, path);
  if (lists.length > 0) {
    const found = await db
      .selectFrom('lists')
      .select('id')
      .where('account_id', '=', accountId)
      .where('id', 'in', lists.map((l) => l.listId))
      .execute();
    const known = new Set(found.map((r) => Number(r.id)));
    const unknown = lists.find((l) => !known.has(l.listId));
    if (unknown) throw notFound('list', unknown.listId, unknown.path);
  }
  return rules;
}
