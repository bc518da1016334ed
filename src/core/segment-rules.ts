// The segment rule language (JSON) and its validation. A segment is a tree of `all` / `any` /
// `not` over leaf conditions on a contact: its attributes and fields, list membership, channel
// reachability and engagement. Pure: problems come back with the path of the offending part
// ("rules.all[2].value") so the API can name it; the store compiles a valid tree to SQL.
import { ATTRIBUTE_KEY } from './contact-input.ts';

export const SEGMENT_OPERATORS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'contains',
  'starts_with',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
  'not_exists',
  'is_true',
  'is_false',
] as const;
export type SegmentOperator = (typeof SEGMENT_OPERATORS)[number];

/** Contact columns a rule may test; all are text (created_at is an ISO timestamp, compared as text). */
export const SEGMENT_FIELDS = ['email', 'phone', 'first_name', 'last_name', 'timezone', 'locale', 'created_at'] as const;
export type SegmentField = (typeof SEGMENT_FIELDS)[number];

export const SUBSCRIPTION_STATES = ['subscribed', 'unconfirmed', 'unsubscribed'] as const;
export const REACHABLE_CHANNELS = ['email', 'sms'] as const;
export const ENGAGEMENTS = ['opened', 'clicked', 'sent'] as const;

/** A number compares numerically, a string as text, a boolean as JSON true/false. */
export type RuleScalar = string | number | boolean;

export interface AttributeCondition {
  attribute: string;
  op: SegmentOperator;
  value?: RuleScalar | RuleScalar[];
}
export interface FieldCondition {
  field: SegmentField;
  op: SegmentOperator;
  value?: RuleScalar | RuleScalar[];
}
export interface ListCondition {
  in_list: number;
  /** Without a status: any subscription that is not "unsubscribed". */
  status?: (typeof SUBSCRIPTION_STATES)[number];
}
export interface ReachableCondition {
  reachable: (typeof REACHABLE_CHANNELS)[number];
}
export interface EngagedCondition {
  engaged: (typeof ENGAGEMENTS)[number];
  within_days: number;
}
export interface AllRule {
  all: SegmentRule[];
}
export interface AnyRule {
  any: SegmentRule[];
}
export interface NotRule {
  not: SegmentRule;
}

export type SegmentCondition = AttributeCondition | FieldCondition | ListCondition | ReachableCondition | EngagedCondition;
export type SegmentRule = AllRule | AnyRule | NotRule | SegmentCondition;

/** Deep trees and huge rule sets make slow SQL and unreadable segments; both are refused. */
export const MAX_RULE_DEPTH = 8;
export const MAX_RULE_LEAVES = 200;
/** Values of one in / not_in condition. */
export const MAX_IN_VALUES = 1000;
export const MAX_WITHIN_DAYS = 3650;
const MAX_TEXT_VALUE = 4000;

export interface RuleProblem {
  path: string;
  reason: string;
}

export type RuleValidation = { ok: true; rules: SegmentRule } | { ok: false; problem: RuleProblem };

// Which value each operator takes: none, one scalar, or a non-empty array of scalars.
const NO_VALUE = new Set<SegmentOperator>(['exists', 'not_exists', 'is_true', 'is_false']);
const LIST_VALUE = new Set<SegmentOperator>(['in', 'not_in']);
const TEXT_ONLY = new Set<SegmentOperator>(['contains', 'starts_with']);
const RANGE = new Set<SegmentOperator>(['gt', 'gte', 'lt', 'lte']);
const BOOLEAN_TESTS = new Set<SegmentOperator>(['is_true', 'is_false']);

const LEAF_KEYS = ['attribute', 'field', 'in_list', 'reachable', 'engaged'] as const;
const NODE_KEYS = ['all', 'any', 'not'] as const;

class Invalid extends Error {
  readonly path: string;
  constructor(path: string, reason: string) {
    super(reason);
    this.path = path;
  }
}

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? `"${v.slice(0, 40)}"` : String(v));

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new Invalid(`${path}.${key}`, `is not a known key here (allowed: ${allowed.join(', ')})`);
  }
}

function checkScalar(v: unknown, path: string): RuleScalar {
  if (typeof v === 'string') {
    if (v.length > MAX_TEXT_VALUE) throw new Invalid(path, `is longer than ${MAX_TEXT_VALUE} characters`);
    return v;
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Invalid(path, 'must be a finite number');
    return v;
  }
  if (typeof v === 'boolean') return v;
  throw new Invalid(path, `must be a string, number or boolean, got ${describe(v)}`);
}

function checkComparison(obj: Record<string, unknown>, path: string, isField: boolean): { op: SegmentOperator; value?: RuleScalar | RuleScalar[] } {
  const op = obj.op;
  if (typeof op !== 'string' || !(SEGMENT_OPERATORS as readonly string[]).includes(op)) {
    throw new Invalid(`${path}.op`, `${describe(op)} is not an operator; one of ${SEGMENT_OPERATORS.join(', ')}`);
  }
  const o = op as SegmentOperator;
  if (isField && BOOLEAN_TESTS.has(o)) throw new Invalid(`${path}.op`, `${o} applies to attributes only; contact fields are text`);
  const has = Object.hasOwn(obj, 'value');
  if (NO_VALUE.has(o)) {
    if (has) throw new Invalid(`${path}.value`, `${o} takes no value`);
    return { op: o };
  }
  if (!has) throw new Invalid(`${path}.value`, `${o} needs a value`);
  const value = obj.value;
  if (LIST_VALUE.has(o)) {
    if (!Array.isArray(value) || value.length === 0) throw new Invalid(`${path}.value`, `${o} needs a non-empty array of values`);
    if (value.length > MAX_IN_VALUES) throw new Invalid(`${path}.value`, `${o} takes at most ${MAX_IN_VALUES} values`);
    const out = value.map((v, i) => {
      const s = checkScalar(v, `${path}.value[${i}]`);
      if (typeof s === 'boolean') throw new Invalid(`${path}.value[${i}]`, `${o} compares strings or numbers; use is_true / is_false for booleans`);
      if (isField && typeof s !== 'string') throw new Invalid(`${path}.value[${i}]`, 'contact fields are text: the value must be a string');
      return s;
    });
    return { op: o, value: out };
  }
  const s = checkScalar(value, `${path}.value`);
  if (TEXT_ONLY.has(o) && (typeof s !== 'string' || s === '')) throw new Invalid(`${path}.value`, `${o} needs a non-empty string`);
  if (RANGE.has(o) && typeof s === 'boolean') throw new Invalid(`${path}.value`, `${o} compares numbers or strings, not booleans`);
  if (isField && typeof s !== 'string') throw new Invalid(`${path}.value`, 'contact fields are text: the value must be a string');
  return { op: o, value: s };
}

function checkPositiveInt(v: unknown, path: string, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) throw new Invalid(path, `must be a whole number from 1 to ${max}, got ${describe(v)}`);
  return v;
}

function checkOneOf<T extends string>(v: unknown, allowed: readonly T[], path: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw new Invalid(path, `${describe(v)} is not one of ${allowed.join(', ')}`);
  return v as T;
}

function checkLeaf(obj: Record<string, unknown>, path: string): SegmentCondition {
  const kinds = LEAF_KEYS.filter((k) => Object.hasOwn(obj, k));
  if (kinds.length > 1) throw new Invalid(path, `a condition has exactly one of ${LEAF_KEYS.join(', ')}; this one has ${kinds.join(' and ')}`);
  switch (kinds[0]) {
    case 'attribute': {
      onlyKeys(obj, ['attribute', 'op', 'value'], path);
      if (typeof obj.attribute !== 'string' || !ATTRIBUTE_KEY.test(obj.attribute)) {
        throw new Invalid(`${path}.attribute`, 'an attribute name is letters, digits and _ (starting with a letter, at most 64)');
      }
      return { attribute: obj.attribute, ...checkComparison(obj, path, false) };
    }
    case 'field': {
      onlyKeys(obj, ['field', 'op', 'value'], path);
      const field = checkOneOf(obj.field, SEGMENT_FIELDS, `${path}.field`);
      return { field, ...checkComparison(obj, path, true) };
    }
    case 'in_list': {
      onlyKeys(obj, ['in_list', 'status'], path);
      const in_list = checkPositiveInt(obj.in_list, `${path}.in_list`, Number.MAX_SAFE_INTEGER);
      if (obj.status === undefined) return { in_list };
      return { in_list, status: checkOneOf(obj.status, SUBSCRIPTION_STATES, `${path}.status`) };
    }
    case 'reachable':
      onlyKeys(obj, ['reachable'], path);
      return { reachable: checkOneOf(obj.reachable, REACHABLE_CHANNELS, `${path}.reachable`) };
    case 'engaged':
      onlyKeys(obj, ['engaged', 'within_days'], path);
      return {
        engaged: checkOneOf(obj.engaged, ENGAGEMENTS, `${path}.engaged`),
        within_days: checkPositiveInt(obj.within_days, `${path}.within_days`, MAX_WITHIN_DAYS),
      };
    default:
      throw new Invalid(path, `is neither a group (${NODE_KEYS.join(', ')}) nor a condition (${LEAF_KEYS.join(', ')})`);
  }
}

function checkRule(v: unknown, path: string, depth: number, leaves: { n: number }): SegmentRule {
  if (!isPlainObject(v)) throw new Invalid(path, `must be an object, got ${describe(v)}`);
  const groups = NODE_KEYS.filter((k) => Object.hasOwn(v, k));
  if (groups.length === 0) {
    leaves.n++;
    if (leaves.n > MAX_RULE_LEAVES) throw new Invalid(path, `a segment has at most ${MAX_RULE_LEAVES} conditions`);
    return checkLeaf(v, path);
  }
  if (groups.length > 1 || Object.keys(v).length > 1) throw new Invalid(path, `a group has exactly one key: all, any or not`);
  if (depth >= MAX_RULE_DEPTH) throw new Invalid(path, `rules nest at most ${MAX_RULE_DEPTH} groups deep`);
  const key = groups[0];
  if (key === 'not') return { not: checkRule(v.not, `${path}.not`, depth + 1, leaves) };
  const children = v[key];
  if (!Array.isArray(children)) throw new Invalid(`${path}.${key}`, 'must be an array of rules');
  // `all: []` is "every contact" (the "all customers" audience, F0.6); an empty `any` matches
  // no one, which is never what a person meant.
  if (key === 'any' && children.length === 0) throw new Invalid(`${path}.any`, 'needs at least one rule');
  const rules = children.map((c, i) => checkRule(c, `${path}.${key}[${i}]`, depth + 1, leaves));
  return key === 'all' ? { all: rules } : { any: rules };
}

/** Checks a rule tree given as JSON; `path` names the root in problems (default "rules"). */
export function validateSegmentRules(input: unknown, path = 'rules'): RuleValidation {
  try {
    return { ok: true, rules: checkRule(input, path, 0, { n: 0 }) };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, problem: { path: err.path, reason: err.message } };
    throw err;
  }
}

/** Every node of a tree with its path, depth first (for checks that need the store, e.g. list ids). */
export function* walkSegmentRules(rule: SegmentRule, path = 'rules'): Generator<{ rule: SegmentRule; path: string }> {
  yield { rule, path };
  if ('all' in rule) for (const [i, r] of rule.all.entries()) yield* walkSegmentRules(r, `${path}.all[${i}]`);
  else if ('any' in rule) for (const [i, r] of rule.any.entries()) yield* walkSegmentRules(r, `${path}.any[${i}]`);
  else if ('not' in rule) yield* walkSegmentRules(rule.not, `${path}.not`);
}

/** The list ids a tree refers to, with the path of each `in_list` (first use of each id). */
export function listIdsInRules(rule: SegmentRule, path = 'rules'): Array<{ listId: number; path: string }> {
  const seen = new Set<number>();
  const out: Array<{ listId: number; path: string }> = [];
  for (const { rule: r, path: p } of walkSegmentRules(rule, path)) {
    if ('in_list' in r && !seen.has(r.in_list)) {
      seen.add(r.in_list);
      out.push({ listId: r.in_list, path: `${p}.in_list` });
    }
  }
  return out;
}

