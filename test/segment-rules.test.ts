// The rule language's shape check: what is accepted, and that every refusal names the path of
// the offending part so an editor can point at it.
import { describe, expect, it } from 'vitest';
import { listIdsInRules, MAX_RULE_DEPTH, MAX_RULE_LEAVES, validateSegmentRules } from '../src/core/segment-rules.ts';

const ok = (rules: unknown) => {
  const r = validateSegmentRules(rules);
  if (!r.ok) throw new Error(`expected valid, got ${r.problem.path}: ${r.problem.reason}`);
  return r.rules;
};
const problem = (rules: unknown) => {
  const r = validateSegmentRules(rules);
  if (r.ok) throw new Error(`expected a problem for ${JSON.stringify(rules)}`);
  return r.problem;
};

describe('segment rule validation', () => {
  it('accepts every kind of condition, nested groups and the F0.6 "without available photos" rule', () => {
    const rules = {
      all: [
        { attribute: 'available_photos', op: 'lte', value: 0 },
        { any: [{ attribute: 'plan', op: 'in', value: ['pro', 'team', 3] }, { not: { field: 'email', op: 'contains', value: '@gmail.' } }] },
        { field: 'created_at', op: 'gte', value: '2026-01-01' },
        { attribute: 'vip', op: 'is_true' },
        { attribute: 'vip', op: 'eq', value: false },
        { field: 'phone', op: 'not_exists' },
        { in_list: 4, status: 'unconfirmed' },
        { in_list: 5 },
        { reachable: 'sms' },
        { engaged: 'sent', within_days: 30 },
        { engaged: 'opened', within_days: 7 },
      ],
    };
    expect(ok(rules)).toEqual(rules);
    expect(ok({ all: [] })).toEqual({ all: [] });
  });

  it.each([
    [{ all: [{ attribute: 'plan', op: 'eq' }] }, 'rules.all[0].value', 'needs a value'],
    [{ all: [{ attribute: 'plan', op: 'exists', value: 1 }] }, 'rules.all[0].value', 'takes no value'],
    [{ all: [{ attribute: 'plan', op: 'like', value: 'x' }] }, 'rules.all[0].op', 'is not an operator'],
    [{ all: [{ attribute: '1plan', op: 'eq', value: 'x' }] }, 'rules.all[0].attribute', 'attribute name'],
    [{ all: [{ attribute: 'a'.repeat(65), op: 'eq', value: 'x' }] }, 'rules.all[0].attribute', 'attribute name'],
    [{ all: [{ field: 'password', op: 'eq', value: 'x' }] }, 'rules.all[0].field', 'is not one of email'],
    [{ all: [{ field: 'email', op: 'eq', value: 3 }] }, 'rules.all[0].value', 'fields are text'],
    [{ all: [{ field: 'email', op: 'is_true' }] }, 'rules.all[0].op', 'attributes only'],
    [{ any: [{ reachable: 'email' }, { attribute: 'plan', op: 'in', value: [] }] }, 'rules.any[1].value', 'non-empty array'],
    [{ all: [{ attribute: 'plan', op: 'in', value: ['a', null] }] }, 'rules.all[0].value[1]', 'string, number or boolean'],
    [{ all: [{ attribute: 'plan', op: 'in', value: [true] }] }, 'rules.all[0].value[0]', 'is_true'],
    [{ all: [{ attribute: 'plan', op: 'contains', value: 5 }] }, 'rules.all[0].value', 'non-empty string'],
    [{ all: [{ attribute: 'plan', op: 'gt', value: true }] }, 'rules.all[0].value', 'not booleans'],
    [{ all: [{ attribute: 'plan', op: 'eq', value: { x: 1 } }] }, 'rules.all[0].value', 'string, number or boolean'],
    [{ all: [{ attribute: 'plan', op: 'eq', value: 'x', extra: 1 }] }, 'rules.all[0].extra', 'not a known key'],
    [{ all: [{ in_list: 0 }] }, 'rules.all[0].in_list', 'whole number'],
    [{ all: [{ in_list: 2, status: 'gone' }] }, 'rules.all[0].status', 'is not one of subscribed'],
    [{ all: [{ reachable: 'fax' }] }, 'rules.all[0].reachable', 'is not one of email, sms'],
    [{ all: [{ engaged: 'sent', within_days: 0 }] }, 'rules.all[0].within_days', 'whole number from 1'],
    [{ all: [{ engaged: 'liked', within_days: 3 }] }, 'rules.all[0].engaged', 'is not one of opened'],
    [{ all: [{ in_list: 2, reachable: 'sms' }] }, 'rules.all[0]', 'exactly one of'],
    [{ all: [{ all: [], any: [] }] }, 'rules.all[0]', 'exactly one key'],
    [{ all: [{}] }, 'rules.all[0]', 'neither a group'],
    [{ all: {} }, 'rules.all', 'array of rules'],
    [{ any: [] }, 'rules.any', 'at least one rule'],
    [{ not: [1] }, 'rules.not', 'must be an object'],
    [[], 'rules', 'must be an object'],
    ['plan = pro', 'rules', 'must be an object'],
  ])('refuses %j at %s', (rules, path, reason) => {
    const p = problem(rules);
    expect(p.path).toBe(path);
    expect(p.reason).toContain(reason);
  });

  it('limits the depth and the number of conditions', () => {
    let deep: unknown = { reachable: 'email' };
    for (let i = 0; i < MAX_RULE_DEPTH; i++) deep = { not: deep };
    expect(validateSegmentRules(deep).ok).toBe(true);
    const tooDeep = problem({ all: [deep] });
    expect(tooDeep.path).toBe(`rules.all[0]${'.not'.repeat(MAX_RULE_DEPTH - 1)}`);
    expect(tooDeep.reason).toContain(`at most ${MAX_RULE_DEPTH}`);

    const leaf = { reachable: 'email' };
    expect(validateSegmentRules({ all: Array(MAX_RULE_LEAVES).fill(leaf) }).ok).toBe(true);
    const tooMany = problem({ all: Array(MAX_RULE_LEAVES + 1).fill(leaf) });
    expect(tooMany.path).toBe(`rules.all[${MAX_RULE_LEAVES}]`);
    expect(tooMany.reason).toContain(`at most ${MAX_RULE_LEAVES} conditions`);
  });

  it('finds the lists a tree refers to and the engagement it cannot evaluate yet, with their paths', () => {
    const rules = ok({ any: [{ in_list: 3 }, { not: { all: [{ in_list: 9, status: 'subscribed' }, { in_list: 3 }, { engaged: 'clicked', within_days: 2 }] } }] });
    expect(listIdsInRules(rules)).toEqual([
      { listId: 3, path: 'rules.any[0].in_list' },
      { listId: 9, path: 'rules.any[1].not.all[0].in_list' },
    ]);
  });
});
