// Bulk upsert (POST /contacts/bulk): all or nothing. Every item is checked first and the call is
// refused with every problem named ("contacts[17].email: missing @") before anything is written;
// then all contacts (and their subscriptions) are written in one transaction.
import { checkContactInput, type ContactFields } from '../../core/contact-input.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { invalid } from '../errors.ts';
import { planSubscriptions } from '../lists/subscription-plan.ts';
import { writeContacts } from './write-contacts.ts';

export interface UpsertContactsInput {
  contacts: readonly Record<string, unknown>[];
  list_ids?: readonly number[];
  /** Status for new subscriptions; default: what each list's opt-in asks for. */
  status?: string | null;
  /** Recorded on new subscriptions (default "api"). */
  source?: string;
}

export interface UpsertContactsResult {
  received: number;
  /** Distinct contacts written (inputs with the same email or phone are one contact). */
  upserted: number;
  /** Contact id of each input, in input order. */
  ids: number[];
  subscriptions_added: number;
}

export interface ItemProblem {
  index: number;
  field: string;
  reason: string;
}

const MAX_REPORTED = 100;

/** Checks every item; throws one error naming all problems (up to 100) if any item is bad. */
export function checkContactItems(items: readonly Record<string, unknown>[], path = 'contacts'): ContactFields[] {
  const problems: ItemProblem[] = [];
  let badItems = 0;
  const out: ContactFields[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      badItems++;
      if (problems.length < MAX_REPORTED) problems.push({ index: i, field: '', reason: 'must be an object' });
      continue;
    }
    const { fields, problems: found } = checkContactInput(item, { requireAddress: true });
    if (found.length > 0) {
      badItems++;
      for (const p of found) if (problems.length < MAX_REPORTED) problems.push({ index: i, ...p });
    }
    out[i] = fields;
  }
  if (problems.length > 0) {
    const first = problems[0];
    const field = `${path}[${first.index}]${first.field ? `.${first.field}` : ''}`;
    throw invalid(
      field,
      `${badItems} of ${items.length} contacts are invalid, nothing was written; first: ${field} ${first.reason}`,
      problems,
    );
  }
  return out;
}

export async function upsertContacts(deps: AppDeps, actor: Actor, input: UpsertContactsInput): Promise<UpsertContactsResult> {
  const contacts = checkContactItems(input.contacts);
  const now = deps.clock.now().toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    const plan = await planSubscriptions(trx, actor.accountId, {
      listIds: input.list_ids ?? [],
      status: input.status,
      source: input.source ?? 'api',
    });
    const result = await writeContacts(trx, deps.store.caps, actor.accountId, contacts, now, { subscribe: plan, wantIds: true });
    return {
      received: contacts.length,
      upserted: result.written,
      ids: result.ids,
      subscriptions_added: result.subscriptionsAdded,
    };
  });
}
