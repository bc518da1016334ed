// The trigger condition language: a table of conditions and events with the expected answer, and
// the validator's problems with their paths.
import { describe, expect, it } from 'vitest';
import { type EventCondition, matchesCondition, validateCondition } from '../src/core/triggers/event-condition.ts';
import { parseDelay } from '../src/core/triggers/delay.ts';

const event = { type: 'job.status_changed', entity: 'job-42', data: { status: 'for_sale', photos: 12, price: '19.90', tags: ['portrait', 'school'], customer: { vip: true }, note: null } };

const cases: Array<[string, EventCondition | null, boolean]> = [
  ['no condition matches every event', null, true],
  ['eq on data', { field: 'data.status', op: 'eq', value: 'for_sale' }, true],
  ['eq is exact (no case folding)', { field: 'data.status', op: 'eq', value: 'FOR_SALE' }, false],
  ['eq does not coerce types', { field: 'data.photos', op: 'eq', value: '12' }, false],
  ['ne', { field: 'data.status', op: 'ne', value: 'draft' }, true],
  ['ne on a missing field is true (the negation of eq)', { field: 'data.missing', op: 'ne', value: 'x' }, true],
  ['in', { field: 'data.status', op: 'in', value: ['draft', 'for_sale'] }, true],
  ['not_in', { field: 'data.status', op: 'not_in', value: ['draft', 'for_sale'] }, false],
  ['exists', { field: 'data.photos', op: 'exists' }, true],
  ['exists is false for null', { field: 'data.note', op: 'exists' }, false],
  ['not_exists on a missing field', { field: 'data.gone', op: 'not_exists' }, true],
  ['gt numeric', { field: 'data.photos', op: 'gt', value: 10 }, true],
  ['lte numeric', { field: 'data.photos', op: 'lte', value: 11 }, false],
  ['numeric string compares as a number', { field: 'data.price', op: 'gte', value: 19.9 }, true],
  ['ordered op on a missing field is false', { field: 'data.gone', op: 'lt', value: 5 }, false],
  ['contains in a string', { field: 'data.status', op: 'contains', value: 'sale' }, true],
  ['contains in an array', { field: 'data.tags', op: 'contains', value: 'school' }, true],
  ['contains not in the array', { field: 'data.tags', op: 'contains', value: 'wedding' }, false],
  ['nested path', { field: 'data.customer.vip', op: 'eq', value: true }, true],
  ['path through a scalar is missing', { field: 'data.status.x', op: 'exists' }, false],
  ['entity', { field: 'entity', op: 'eq', value: 'job-42' }, true],
  ['type', { field: 'type', op: 'contains', value: 'status' }, true],
  ['all: every test', { all: [{ field: 'data.status', op: 'eq', value: 'for_sale' }, { field: 'data.photos', op: 'gt', value: 100 }] }, false],
  ['any: one test', { any: [{ field: 'data.status', op: 'eq', value: 'draft' }, { field: 'data.photos', op: 'gt', value: 1 }] }, true],
  ['not', { not: { field: 'data.status', op: 'eq', value: 'for_sale' } }, false],
  ['empty all is true, empty any is false', { all: [{ all: [] }, { not: { any: [] } }] }, true],
];

describe('trigger conditions', () => {
  for (const [name, condition, expected] of cases) {
    it(name, () => {
      if (condition) expect(validateCondition(condition)).toEqual([]);
      expect(matchesCondition(condition, event)).toBe(expected);
    });
  }

  it('names the path of each problem', () => {
    expect(validateCondition({ all: [{ field: 'data.status', op: 'equals', value: 'x' }] })).toEqual([
      { path: 'condition.all[0].op', message: expect.stringContaining('must be one of eq, ne') },
    ]);
    expect(validateCondition({ all: [{ field: 'status', op: 'eq', value: 'x' }] })[0]).toMatchObject({ path: 'condition.all[0].field', message: expect.stringContaining('"data.status"') });
    expect(validateCondition({ any: [{ not: { field: 'data.a', op: 'in', value: [] } }] })[0].path).toBe('condition.any[0].not.value');
    expect(validateCondition({ field: 'data.a', op: 'exists', value: 1 })[0].path).toBe('condition.value');
    expect(validateCondition({ field: 'data.a', op: 'gt', value: true })[0].path).toBe('condition.value');
    expect(validateCondition({ field: 'data.a', op: 'eq' })[0].path).toBe('condition.value');
    expect(validateCondition({ all: [], any: [] })[0].message).toContain('only key');
    expect(validateCondition({ all: {} })[0].path).toBe('condition.all');
    expect(validateCondition([])[0].path).toBe('condition');
    expect(validateCondition({ field: 'data.a', op: 'eq', value: 1, extra: 2 })[0].path).toBe('condition.extra');
    let deep: unknown = { field: 'data.a', op: 'exists' };
    for (let i = 0; i < 10; i++) deep = { not: deep };
    expect(validateCondition(deep).some((p) => p.message.includes('deeper'))).toBe(true);
    const many = { any: Array.from({ length: 101 }, () => ({ field: 'data.a', op: 'exists' })) };
    expect(validateCondition(many).some((p) => p.message.includes('at most 100'))).toBe(true);
  });

  it('parses delays', () => {
    expect(parseDelay('10m')).toEqual({ ok: true, seconds: 600 });
    expect(parseDelay('90s')).toEqual({ ok: true, seconds: 90 });
    expect(parseDelay('2h')).toEqual({ ok: true, seconds: 7200 });
    expect(parseDelay('1d')).toEqual({ ok: true, seconds: 86_400 });
    expect(parseDelay('15')).toEqual({ ok: true, seconds: 900 });
    expect(parseDelay('soon').ok).toBe(false);
    expect(parseDelay('91d').ok).toBe(false);
  });
});
