// Segment rules → one boolean SQL expression over a contacts row (alias `c` by default), for both
// dialects. The expression is spliced into raw queries (positional placeholders: `?` for SQLite,
// `$n` for PostgreSQL from a given offset) or into Kysely queries (segmentWhere).
//
// Semantics that hold on both dialects (tested by comparing counts):
// - every condition is TRUE or FALSE, never NULL, so `not` and `neq` include contacts that lack
//   the attribute ("plan is not pro" keeps contacts without a plan);
// - a number in a rule compares numerically with attributes stored as JSON numbers or as decimal
//   text ("0", "-1.5": CSV imports store text); anything else is not a number and never matches;
// - a string compares as text (byte order, case-sensitive) with attributes stored as JSON strings;
// - is_true / is_false match JSON true / false and the texts "true" / "false" (any case);
// - in_list without a status means any subscription that is not "unsubscribed".
import { type RawBuilder, sql } from 'kysely';
import { invalid } from '../../app/errors.ts';
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import { ATTRIBUTE_KEY } from '../../core/contact-input.ts';
import { type RuleScalar, SEGMENT_FIELDS, type SegmentOperator, type SegmentRule } from '../../core/segment-rules.ts';

export interface SegmentSqlContext {
  accountId: number;
  /** ISO timestamp: engagement windows ("sent within N days") end here. */
  now: string;
  /** The alias of the contacts row in the surrounding query (default "c"). */
  contactAlias?: string;
  /** PostgreSQL: number placeholders from $(paramOffset + 1) (default 0). Ignored by SQLite. */
  paramOffset?: number;
}

export interface CompiledSegment {
  sql: string;
  params: unknown[];
}

// A fragment is SQL text with the bound values kept in place, so it can be rendered with
// positional placeholders or handed to Kysely, which numbers them itself.
type Part = string | { value: unknown };

const ALIAS = /^[a-z_][a-z0-9_]*$/i;
const DAY_MS = 86_400_000;
// A decimal number written as text; anything else in a text attribute is not a number.
const PG_DECIMAL = `'^-?[0-9]+([.][0-9]+)?$'`;

class Builder {
  readonly parts: Part[] = [];
  readonly #pg: boolean;
  readonly #c: string;
  readonly #ctx: SegmentSqlContext;

  constructor(caps: DialectCapabilities, ctx: SegmentSqlContext) {
    this.#pg = caps.name === 'postgres';
    this.#c = ctx.contactAlias ?? 'c';
    if (!ALIAS.test(this.#c)) throw new Error(`segment SQL: "${this.#c}" is not a plain table alias`);
    this.#ctx = ctx;
  }

  text(s: string): void {
    this.parts.push(s);
  }

  value(v: unknown): void {
    this.parts.push({ value: v });
  }

  values(vs: readonly unknown[]): void {
    vs.forEach((v, i) => {
      if (i > 0) this.text(', ');
      this.value(v);
    });
  }

  rule(r: SegmentRule, path: string): void {
    if ('all' in r || 'any' in r) {
      const children = 'all' in r ? r.all : r.any;
      const key = 'all' in r ? 'all' : 'any';
      if (children.length === 0) {
        this.text(key === 'all' ? '(1 = 1)' : '(1 = 0)');
        return;
      }
      this.text('(');
      children.forEach((child, i) => {
        if (i > 0) this.text(key === 'all' ? ' AND ' : ' OR ');
        this.rule(child, `${path}.${key}[${i}]`);
      });
      this.text(')');
      return;
    }
    if ('not' in r) {
      this.text('(NOT ');
      this.rule(r.not, `${path}.not`);
      this.text(')');
      return;
    }
    // Leaves are made two-valued here, once: a NULL from a missing attribute becomes FALSE.
    this.text('COALESCE((');
    this.condition(r, path);
    this.text('), FALSE)');
  }

  condition(r: Exclude<SegmentRule, { all: unknown } | { any: unknown } | { not: unknown }>, path: string): void {
    const c = this.#c;
    if ('attribute' in r) {
      if (!ATTRIBUTE_KEY.test(r.attribute)) throw invalid(`${path}.attribute`, 'is not a valid attribute name');
      this.comparison(new AttributeRef(this.#pg, c, r.attribute), r.op, r.value, path);
    } else if ('field' in r) {
      if (!(SEGMENT_FIELDS as readonly string[]).includes(r.field)) throw invalid(`${path}.field`, `"${r.field}" is not a contact field`);
      this.comparison(new FieldRef(this.#pg, `${c}.${r.field}`), r.op, r.value, path);
    } else if ('in_list' in r) {
      this.text(`EXISTS (SELECT 1 FROM subscriptions seg_s WHERE seg_s.contact_id = ${c}.id AND seg_s.list_id = `);
      this.value(r.in_list);
      this.text(' AND seg_s.account_id = ');
      this.value(this.#ctx.accountId);
      if (r.status) {
        this.text(' AND seg_s.status = ');
        this.value(r.status);
      } else this.text(` AND seg_s.status <> 'unsubscribed'`);
      this.text(')');
    } else if ('reachable' in r) {
      this.text(r.reachable === 'email' ? `${c}.email IS NOT NULL` : `${c}.phone IS NOT NULL`);
    } else if ('engaged' in r) {
      // Opens and clicks count only people's, not privacy proxies' or link scanners' (E4): the
      // ledger keeps the first human open and click of each message.
      const since = new Date(Date.parse(this.#ctx.now) - r.within_days * DAY_MS).toISOString();
      const column = r.engaged === 'opened' ? 'human_opened_at' : r.engaged === 'clicked' ? 'human_clicked_at' : 'sent_at';
      this.text(`EXISTS (SELECT 1 FROM messages seg_m WHERE seg_m.contact_id = ${c}.id AND seg_m.account_id = `);
      this.value(this.#ctx.accountId);
      this.text(`${r.engaged === 'sent' ? ` AND seg_m.status = 'sent'` : ''} AND seg_m.${column} >= `);
      this.value(since);
      this.text(')');
    } else {
      throw invalid(path, 'is not a condition');
    }
  }

  comparison(ref: ValueRef, op: SegmentOperator, value: RuleScalar | RuleScalar[] | undefined, path: string): void {
    switch (op) {
      case 'exists':
        this.text(ref.exists());
        return;
      case 'not_exists':
        this.text(`NOT (${ref.exists()})`);
        return;
      case 'is_true':
      case 'is_false':
        this.text(ref.isBoolean(op === 'is_true'));
        return;
      case 'eq':
        this.equals(ref, value as RuleScalar);
        return;
      case 'neq':
        this.text('NOT COALESCE(');
        this.equals(ref, value as RuleScalar);
        this.text(', FALSE)');
        return;
      case 'in':
        this.inValues(ref, value as RuleScalar[]);
        return;
      case 'not_in':
        this.text('NOT COALESCE(');
        this.inValues(ref, value as RuleScalar[]);
        this.text(', FALSE)');
        return;
      case 'contains':
      case 'starts_with': {
        // strpos/instr are case-sensitive on both dialects (LIKE is not: SQLite folds ASCII case).
        this.text(`${this.#pg ? 'strpos' : 'instr'}(${ref.text()}, `);
        this.value(value);
        this.text(op === 'contains' ? ') > 0' : ') = 1');
        return;
      }
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte': {
        const sym = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[op];
        this.text(`${typeof value === 'number' ? ref.number() : ref.orderedText()} ${sym} `);
        this.value(value);
        return;
      }
      default:
        throw invalid(`${path}.op`, `"${op}" is not an operator`);
    }
  }

  equals(ref: ValueRef, v: RuleScalar): void {
    if (typeof v === 'boolean') {
      this.text(ref.isBoolean(v));
      return;
    }
    this.text(`${typeof v === 'number' ? ref.number() : ref.text()} = `);
    this.value(v);
  }

  inValues(ref: ValueRef, vs: RuleScalar[]): void {
    // Numbers compare as numbers and strings as text, so a mixed list is two IN tests.
    const groups = [
      { ref: ref.number(), values: vs.filter((v) => typeof v === 'number') },
      { ref: ref.text(), values: vs.filter((v) => typeof v === 'string') },
    ].filter((g) => g.values.length > 0);
    this.text('(');
    groups.forEach((g, i) => {
      this.text(`${i > 0 ? ' OR ' : ''}${g.ref} IN (`);
      this.values(g.values);
      this.text(')');
    });
    this.text(')');
  }
}

/** How a condition reads one value of a contact, per dialect. */
interface ValueRef {
  /** The value as text, or NULL when it is not text. */
  text(): string;
  /** The text for <, > (byte order on both dialects). */
  orderedText(): string;
  /** The value as a number, or NULL when it is not a number. */
  number(): string;
  exists(): string;
  isBoolean(wanted: boolean): string;
}

class FieldRef implements ValueRef {
  readonly #pg: boolean;
  readonly #col: string;
  constructor(pg: boolean, col: string) {
    this.#pg = pg;
    this.#col = col;
  }
  text() {
    return this.#col;
  }
  // PostgreSQL would order by the database's locale; SQLite orders bytes. "C" makes them agree.
  orderedText() {
    return this.#pg ? `${this.#col} COLLATE "C"` : this.#col;
  }
  number() {
    // Unreachable: the validator lets only strings compare with fields.
    return 'NULL';
  }
  exists() {
    return `${this.#col} IS NOT NULL`;
  }
  isBoolean() {
    return 'FALSE';
  }
}

class AttributeRef implements ValueRef {
  readonly #pg: boolean;
  readonly #type: string;
  readonly #raw: string;
  constructor(pg: boolean, c: string, name: string) {
    this.#pg = pg;
    // The name is a checked attribute key ([A-Za-z][A-Za-z0-9_]*), so it is safe as a literal
    // and keeps the JSON path a constant the planner can see.
    if (pg) {
      this.#type = `jsonb_typeof(${c}.attributes::jsonb -> '${name}')`;
      this.#raw = `(${c}.attributes::jsonb ->> '${name}')`;
    } else {
      this.#type = `json_type(${c}.attributes, '$.${name}')`;
      this.#raw = `json_extract(${c}.attributes, '$.${name}')`;
    }
  }
  text() {
    return `(CASE WHEN ${this.#type} = '${this.#pg ? 'string' : 'text'}' THEN ${this.#raw} END)`;
  }
  orderedText() {
    return this.#pg ? `${this.text()} COLLATE "C"` : this.text();
  }
  number() {
    const t = this.#type;
    const raw = this.#raw;
    if (this.#pg) {
      // The CASE guards the cast: a non-numeric text must yield NULL, not a failed query.
      return `(CASE WHEN ${t} = 'number' OR (${t} = 'string' AND ${raw} ~ ${PG_DECIMAL}) THEN ${raw}::numeric END)`;
    }
    // SQLite has no regular expressions: the same decimal shape with GLOB, on the text without its sign.
    const body = `(CASE WHEN substr(${raw}, 1, 1) = '-' THEN substr(${raw}, 2) ELSE ${raw} END)`;
    const decimal = `${body} GLOB '[0-9]*' AND ${body} NOT GLOB '*[^0-9.]*' AND ${body} NOT GLOB '*.*.*' AND ${body} NOT GLOB '*.'`;
    return `(CASE WHEN ${t} IN ('integer', 'real') THEN ${raw} WHEN ${t} = 'text' AND ${decimal} THEN CAST(${raw} AS REAL) END)`;
  }
  // Two-valued on its own (a missing key gives a NULL type), so not_exists can negate it.
  exists() {
    return `(${this.#type} IS NOT NULL AND ${this.#type} <> 'null')`;
  }
  isBoolean(wanted: boolean) {
    const word = wanted ? 'true' : 'false';
    const json = this.#pg ? `${this.#type} = 'boolean' AND ${this.#raw} = '${word}'` : `${this.#type} = '${word}'`;
    return `(${json} OR lower(${this.text()}) = '${word}')`;
  }
}

function build(rules: SegmentRule, caps: DialectCapabilities, ctx: SegmentSqlContext): Part[] {
  const b = new Builder(caps, ctx);
  b.rule(rules, 'rules');
  return b.parts;
}

/**
 * A boolean SQL expression that is true for the contacts (alias ctx.contactAlias, default "c")
 * the rules match. The caller still scopes the outer query by account (`c.account_id = …`);
 * list and message subqueries are scoped here.
 */
export function compileSegmentRules(rules: SegmentRule, caps: DialectCapabilities, ctx: SegmentSqlContext): CompiledSegment {
  const params: unknown[] = [];
  let text = '';
  const offset = ctx.paramOffset ?? 0;
  for (const part of build(rules, caps, ctx)) {
    if (typeof part === 'string') text += part;
    else {
      params.push(part.value);
      text += caps.name === 'postgres' ? `$${offset + params.length}` : '?';
    }
  }
  return { sql: text, params };
}

/** The same expression for a Kysely query: `.where(segmentWhere(rules, caps, ctx))`. */
export function segmentWhere(rules: SegmentRule, caps: DialectCapabilities, ctx: SegmentSqlContext): RawBuilder<boolean> {
  const parts = build(rules, caps, ctx).map((p) => (typeof p === 'string' ? sql.raw(p) : sql.val(p.value)));
  return sql.join<boolean>(parts, sql.raw(''));
}

/**
 * A FROM item listing the attribute names of the contacts row `alias`, one row per name in the
 * column `seg_k.key` (SQLite json_each, PostgreSQL jsonb_object_keys; both may refer to `alias`).
 */
export function attributeKeysSource(caps: DialectCapabilities, alias = 'c'): { from: string; key: string } {
  if (!ALIAS.test(alias)) throw new Error(`segment SQL: "${alias}" is not a plain table alias`);
  return caps.name === 'postgres'
    ? { from: `jsonb_object_keys(${alias}.attributes::jsonb) AS seg_k(key)`, key: 'seg_k.key' }
    : { from: `json_each(${alias}.attributes) AS seg_k`, key: 'seg_k.key' };
}
