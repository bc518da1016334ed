// The condition language of a trigger: which events fire it. A tree of `all` / `any` / `not` over
// leaf tests on the event, e.g. {"all":[{"field":"data.status","op":"eq","value":"for_sale"}]}.
// A field is `type`, `entity` or a dotted path into the event's data (`data.job.status`).
// Pure: the validator returns every problem with its path ("condition.all[0].op") so the API can
// name it; the evaluator answers for one event.

export const CONDITION_OPS = ['eq', 'ne', 'in', 'not_in', 'exists', 'not_exists', 'gt', 'gte', 'lt', 'lte', 'contains'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export type ConditionScalar = string | number | boolean | null;

export interface LeafCondition {
  field: string;
  op: ConditionOp;
  value?: ConditionScalar | ConditionScalar[];
}
export interface AllCondition {
  all: EventCondition[];
}
export interface AnyCondition {
  any: EventCondition[];
}
export interface NotCondition {
  not: EventCondition;
}
export type EventCondition = AllCondition | AnyCondition | NotCondition | LeafCondition;

/** What a condition sees of an event. */
export interface ConditionEvent {
  type: string;
  entity: string;
  data: Record<string, unknown>;
}

export interface ConditionProblem {
  path: string;
  message: string;
}

export const MAX_CONDITION_DEPTH = 8;
export const MAX_CONDITION_LEAVES = 100;
const FIELD = /^(type|entity|data(\.[A-Za-z0-9_-]{1,64}){1,8})$/;
const ORDERED_OPS: readonly ConditionOp[] = ['gt', 'gte', 'lt', 'lte'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isScalar(v: unknown): v is ConditionScalar {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Every problem of a condition, each with its path; empty when it is valid. */
export function validateCondition(value: unknown, path = 'condition'): ConditionProblem[] {
  const problems: ConditionProblem[] = [];
  let leaves = 0;
  const visit = (node: unknown, at: string, depth: number): void => {
    if (!isObject(node)) {
      problems.push({ path: at, message: 'must be an object: {"all":[…]}, {"any":[…]}, {"not":{…}} or {"field","op","value"}' });
      return;
    }
    if (depth > MAX_CONDITION_DEPTH) {
      problems.push({ path: at, message: `nests deeper than ${MAX_CONDITION_DEPTH} levels` });
      return;
    }
    const keys = Object.keys(node);
    for (const group of ['all', 'any'] as const) {
      if (group in node) {
        if (keys.length !== 1) problems.push({ path: at, message: `"${group}" must be the only key, found ${keys.join(', ')}` });
        const items = node[group];
        if (!Array.isArray(items)) {
          problems.push({ path: `${at}.${group}`, message: 'must be an array of conditions' });
          return;
        }
        for (const [i, item] of items.entries()) visit(item, `${at}.${group}[${i}]`, depth + 1);
        return;
      }
    }
    if ('not' in node) {
      if (keys.length !== 1) problems.push({ path: at, message: `"not" must be the only key, found ${keys.join(', ')}` });
      visit(node.not, `${at}.not`, depth + 1);
      return;
    }
    leaves++;
    for (const k of keys) if (k !== 'field' && k !== 'op' && k !== 'value') problems.push({ path: `${at}.${k}`, message: 'is not a condition key (field, op, value; or all, any, not)' });
    if (typeof node.field !== 'string' || !FIELD.test(node.field)) {
      problems.push({ path: `${at}.field`, message: `must be "type", "entity" or a path into the event data such as "data.status" (got ${JSON.stringify(node.field ?? null)})` });
    }
    const op = node.op;
    if (typeof op !== 'string' || !(CONDITION_OPS as readonly string[]).includes(op)) {
      problems.push({ path: `${at}.op`, message: `must be one of ${CONDITION_OPS.join(', ')} (got ${JSON.stringify(op ?? null)})` });
      return;
    }
    const v = node.value;
    if (op === 'exists' || op === 'not_exists') {
      if (v !== undefined) problems.push({ path: `${at}.value`, message: `${op} takes no value` });
    } else if (op === 'in' || op === 'not_in') {
      if (!Array.isArray(v) || v.length === 0 || !v.every(isScalar)) problems.push({ path: `${at}.value`, message: `${op} needs a non-empty array of strings, numbers, booleans or null` });
    } else if (ORDERED_OPS.includes(op as ConditionOp)) {
      if (typeof v !== 'number' && typeof v !== 'string') problems.push({ path: `${at}.value`, message: `${op} needs a number or a string (ISO times compare as text)` });
    } else if (op === 'contains') {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') problems.push({ path: `${at}.value`, message: 'contains needs a string (substring) or a scalar (array element)' });
    } else if (!isScalar(v) || v === undefined) {
      problems.push({ path: `${at}.value`, message: `${op} needs a string, number, boolean or null` });
    }
  };
  visit(value, path, 1);
  if (leaves > MAX_CONDITION_LEAVES) problems.push({ path, message: `has ${leaves} tests; at most ${MAX_CONDITION_LEAVES}` });
  return problems;
}

/** The value at a field of the event; undefined when the path does not exist. */
export function fieldValue(event: ConditionEvent, field: string): unknown {
  if (field === 'type') return event.type;
  if (field === 'entity') return event.entity;
  let cur: unknown = event.data;
  for (const part of field.split('.').slice(1)) {
    if (!isObject(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = cur[part];
  }
  return cur;
}

function same(a: unknown, b: unknown): boolean {
  return a === b;
}

function compare(actual: unknown, expected: unknown): number | null {
  if (typeof actual === 'number' && typeof expected === 'number') return actual - expected;
  if (typeof actual === 'string' && typeof expected === 'string') return actual < expected ? -1 : actual > expected ? 1 : 0;
  // A number against a numeric string (data from forms often is): compare as numbers.
  if ((typeof actual === 'string' || typeof actual === 'number') && (typeof expected === 'string' || typeof expected === 'number')) {
    const a = Number(actual);
    const e = Number(expected);
    if (actual !== '' && expected !== '' && Number.isFinite(a) && Number.isFinite(e)) return a - e;
  }
  return null;
}

function testLeaf(leaf: LeafCondition, event: ConditionEvent): boolean {
  const actual = fieldValue(event, leaf.field);
  switch (leaf.op) {
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'not_exists':
      return actual === undefined || actual === null;
    case 'eq':
      return same(actual, leaf.value);
    // A missing field is "not equal": `ne` is the exact negation of `eq`.
    case 'ne':
      return !same(actual, leaf.value);
    case 'in':
      return (leaf.value as ConditionScalar[]).some((v) => same(actual, v));
    case 'not_in':
      return !(leaf.value as ConditionScalar[]).some((v) => same(actual, v));
    case 'contains':
      if (typeof actual === 'string' && typeof leaf.value === 'string') return actual.includes(leaf.value);
      if (Array.isArray(actual)) return actual.some((v) => same(v, leaf.value));
      return false;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const c = compare(actual, leaf.value);
      if (c === null) return false;
      return leaf.op === 'gt' ? c > 0 : leaf.op === 'gte' ? c >= 0 : leaf.op === 'lt' ? c < 0 : c <= 0;
    }
  }
}

/** Whether the event satisfies a valid condition; null (no condition) matches every event. */
export function matchesCondition(condition: EventCondition | null, event: ConditionEvent): boolean {
  if (condition === null) return true;
  if ('all' in condition) return condition.all.every((c) => matchesCondition(c, event));
  if ('any' in condition) return condition.any.some((c) => matchesCondition(c, event));
  if ('not' in condition) return !matchesCondition(condition.not, event);
  return testLeaf(condition, event);
}
