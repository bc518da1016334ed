// Writes many already-checked contacts in a few multi-row upserts: the engine behind the bulk API,
// the single upsert and the CSV import. Call it inside a transaction.
//
// Keys: a contact with an email is keyed by (account, email); one without email by
// (account, phone) among email-less contacts (the partial unique index
// contacts_account_phone_no_email); one with neither (messenger or postal only) has no key and is
// always inserted. An upsert merges: given fields replace stored ones, fields that are omitted or
// null keep the stored value, attributes and messenger handles are merged key by key (null values
// are ignored here; PATCH is the way to remove one). Rows with the same key in one call are merged
// in order first (later rows win), because PostgreSQL refuses to update one row twice in a statement.
import { type Kysely, sql } from 'kysely';
import type { ContactFields } from '../../core/contact-input.ts';
import type { DialectCapabilities } from '../../store/dialect-capabilities.ts';
import type { Database, NewContactRow } from '../../store/schema.ts';
import { addSubscriptions, addSubscriptionsByKey, type ListSubscriptionPlan } from '../lists/add-subscriptions.ts';
import { type BatchShape, runBatched } from './batch-statement.ts';

const CONTACT_COLUMNS = [
  'account_id',
  'email',
  'phone',
  'first_name',
  'last_name',
  'timezone',
  'locale',
  'messenger',
  'postal_address',
  'attributes',
  'created_at',
  'updated_at',
] as const;

// The one place where the dialects differ here: merging two JSON objects stored as text.
// SQLite's json_patch is RFC 7396 (a null would delete a key); PostgreSQL's jsonb || keeps nulls.
// The two agree because no null value ever reaches these statements.
function mergedJson(caps: DialectCapabilities, column: 'attributes' | 'messenger') {
  return caps.name === 'postgres'
    ? sql<string>`(${sql.ref(`contacts.${column}`)}::jsonb || ${sql.ref(`excluded.${column}`)}::jsonb)::text`
    : sql<string>`json_patch(${sql.ref(`contacts.${column}`)}, ${sql.ref(`excluded.${column}`)})`;
}

const keep = (column: string) => sql<string | null>`coalesce(${sql.ref(`excluded.${column}`)}, ${sql.ref(`contacts.${column}`)})`;

function mergeSet(caps: DialectCapabilities, withPhone: boolean) {
  return {
    ...(withPhone ? { phone: keep('phone') } : {}),
    first_name: keep('first_name'),
    last_name: keep('last_name'),
    timezone: keep('timezone'),
    locale: keep('locale'),
    messenger: mergedJson(caps, 'messenger'),
    postal_address: keep('postal_address'),
    attributes: mergedJson(caps, 'attributes'),
    updated_at: sql<string>`${sql.ref('excluded.updated_at')}`,
  };
}

interface Shapes {
  byEmail: BatchShape;
  byPhone: BatchShape;
}

function shapes(caps: DialectCapabilities, returning: boolean): Shapes {
  const suffix = returning ? '_returning' : '';
  return {
    byEmail: {
      name: `contacts.upsert_by_email${suffix}`,
      columns: CONTACT_COLUMNS,
      build: (db, rows) => {
        const q = db
          .insertInto('contacts')
          .values(rows as unknown as NewContactRow[])
          .onConflict((oc) => oc.columns(['account_id', 'email']).doUpdateSet(mergeSet(caps, true)));
        return returning ? q.returning(['id', 'email']) : q;
      },
    },
    byPhone: {
      name: `contacts.upsert_by_phone${suffix}`,
      columns: CONTACT_COLUMNS,
      build: (db, rows) => {
        const q = db
          .insertInto('contacts')
          .values(rows as unknown as NewContactRow[])
          .onConflict((oc) => oc.columns(['account_id', 'phone']).where('email', 'is', null).doUpdateSet(mergeSet(caps, false)));
        return returning ? q.returning(['id', 'phone']) : q;
      },
    },
  };
}

const SCALARS = ['email', 'phone', 'first_name', 'last_name', 'timezone', 'locale', 'postal_address'] as const;

/** Folds `later` into `earlier` the way the database upsert would (later non-null values win). */
function mergeInto(earlier: ContactFields, later: ContactFields): ContactFields {
  const out: ContactFields = { ...earlier };
  for (const key of SCALARS) {
    const v = later[key];
    if (v !== undefined && v !== null) (out as Record<string, unknown>)[key] = v;
  }
  if (later.messenger) out.messenger = { ...earlier.messenger, ...later.messenger };
  if (later.attributes) out.attributes = { ...earlier.attributes, ...later.attributes };
  return out;
}

function jsonWithoutNulls(obj: Record<string, unknown> | null | undefined): string {
  if (!obj) return '{}';
  let hasNull = false;
  for (const k in obj) {
    if (obj[k] === null) {
      hasNull = true;
      break;
    }
  }
  if (!hasNull) return JSON.stringify(obj);
  const clean: Record<string, unknown> = {};
  for (const k in obj) if (obj[k] !== null) clean[k] = obj[k];
  return JSON.stringify(clean);
}

/** Appends one contact's values in CONTACT_COLUMNS order. */
function appendValues(out: unknown[], accountId: number, c: ContactFields, now: string): void {
  out.push(
    accountId,
    c.email ?? null,
    c.phone ?? null,
    c.first_name ?? null,
    c.last_name ?? null,
    c.timezone ?? null,
    c.locale ?? null,
    jsonWithoutNulls(c.messenger),
    c.postal_address ? JSON.stringify(c.postal_address) : null,
    jsonWithoutNulls(c.attributes),
    now,
    now,
  );
}

export interface WriteContactsOptions {
  /** Subscribe every written contact to these lists. */
  subscribe?: ListSubscriptionPlan;
  /** Report the contact id of each input (costs a RETURNING clause, ~1.5 µs a row on SQLite; the importer does without). */
  wantIds?: boolean;
}

export interface WriteContactsResult {
  /** Distinct contacts written (inputs with the same key are one contact). */
  written: number;
  /** With `wantIds`: the contact id of each input, in input order. */
  ids: number[];
  /** Inputs folded into an earlier input with the same key. */
  merged: number;
  subscriptionsAdded: number;
}

export async function writeContacts(
  db: Kysely<Database>,
  caps: DialectCapabilities,
  accountId: number,
  contacts: readonly ContactFields[],
  now: string,
  options: WriteContactsOptions = {},
): Promise<WriteContactsResult> {
  // Distinct contacts per key kind, in first-seen order. slotGroup/slotIndex say where each
  // input ended up, so ids can be given back in input order.
  const groups: [ContactFields[], ContactFields[], ContactFields[]] = [[], [], []];
  const seen = new Map<string, number>();
  const slotGroup = new Uint8Array(contacts.length);
  const slotIndex = new Int32Array(contacts.length);
  let merged = 0;
  for (let i = 0; i < contacts.length; i++) {
    const c = contacts[i];
    const g = c.email ? 0 : c.phone ? 1 : 2;
    const key = g === 0 ? `e${c.email}` : g === 1 ? `p${c.phone}` : null;
    const group = groups[g];
    const earlier = key === null ? undefined : seen.get(key);
    slotGroup[i] = g;
    if (earlier !== undefined) {
      group[earlier] = mergeInto(group[earlier], c);
      slotIndex[i] = earlier;
      merged++;
      continue;
    }
    if (key !== null) seen.set(key, group.length);
    slotIndex[i] = group.length;
    group.push(c);
  }
  const [byEmail, byPhone, keyless] = groups;

  // Neither dialect promises RETURNING rows in VALUES order, so ids are matched by key.
  const wantIds = !!options.wantIds;
  const s = shapes(caps, wantIds);
  const emailIds = new Map<string, number>();
  const phoneIds = new Map<string, number>();
  if (byEmail.length > 0) {
    const values: unknown[] = [];
    for (const c of byEmail) appendValues(values, accountId, c, now);
    const { rows } = await runBatched<{ id: number; email: string }>(db, caps, s.byEmail, values, byEmail.length);
    for (const r of rows) emailIds.set(r.email, Number(r.id));
  }
  if (byPhone.length > 0) {
    const values: unknown[] = [];
    for (const c of byPhone) appendValues(values, accountId, c, now);
    const { rows } = await runBatched<{ id: number; phone: string }>(db, caps, s.byPhone, values, byPhone.length);
    for (const r of rows) phoneIds.set(r.phone, Number(r.id));
  }
  // Keyless contacts (messenger or postal only) are rare and have nothing to match on: one insert each.
  const keylessIds: number[] = [];
  for (const c of keyless) {
    const values: unknown[] = [];
    appendValues(values, accountId, c, now);
    const row = await db
      .insertInto('contacts')
      .values(Object.fromEntries(CONTACT_COLUMNS.map((col, i) => [col, values[i]])) as unknown as NewContactRow)
      .returning('id')
      .executeTakeFirstOrThrow();
    keylessIds.push(Number(row.id));
  }

  const written = byEmail.length + byPhone.length + keyless.length;
  if (!wantIds) {
    // Subscriptions by key straight in SQL: no contact ids need to come back to JavaScript.
    const plan = options.subscribe;
    let subscriptionsAdded = 0;
    if (plan) {
      subscriptionsAdded += await addSubscriptionsByKey(db, caps, accountId, 'email', byEmail.map((c) => c.email!), plan, now);
      subscriptionsAdded += await addSubscriptionsByKey(db, caps, accountId, 'phone', byPhone.map((c) => c.phone!), plan, now);
      subscriptionsAdded += await addSubscriptions(db, caps, accountId, keylessIds, plan, now);
    }
    return { written, ids: [], merged, subscriptionsAdded };
  }
  const distinctIds = [byEmail.map((c) => emailIds.get(c.email!)!), byPhone.map((c) => phoneIds.get(c.phone!)!), keylessIds];
  const ids = Array.from(slotGroup, (g, i) => distinctIds[g][slotIndex[i]]);
  const subscriptionsAdded = options.subscribe
    ? await addSubscriptions(db, caps, accountId, [...distinctIds[0], ...distinctIds[1], ...distinctIds[2]], options.subscribe, now)
    : 0;
  return { written, ids, merged, subscriptionsAdded };
}
