// POST /contacts: one contact, upserted by its key (email, else phone) with the same merge rules
// as the bulk upsert, optionally subscribed to lists. Says whether it was created.
import { checkContactInput } from '../../core/contact-input.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { invalid } from '../errors.ts';
import { planSubscriptions } from '../lists/subscription-plan.ts';
import { type ContactDetail, loadContactDetail } from './get-contact.ts';
import { writeContacts } from './write-contacts.ts';

export interface SaveContactInput extends Record<string, unknown> {
  list_ids?: number[];
  status?: string;
  source?: string;
}

export async function saveContact(deps: AppDeps, actor: Actor, input: SaveContactInput): Promise<{ contact: ContactDetail; created: boolean }> {
  const { list_ids: listIds, status, source, ...contactInput } = input;
  const { fields, problems } = checkContactInput(contactInput, { requireAddress: true });
  if (problems.length > 0) {
    const first = problems[0];
    throw invalid(first.field, `${first.field ? `${first.field} ` : 'the contact '}${first.reason}`, problems);
  }
  const now = deps.clock.now().toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    const plan = await planSubscriptions(trx, actor.accountId, { listIds: listIds ?? [], status, source: source ?? 'api' });
    let existing: { id: number } | undefined;
    if (fields.email) {
      existing = await trx.selectFrom('contacts').select('id').where('account_id', '=', actor.accountId).where('email', '=', fields.email).executeTakeFirst();
    } else if (fields.phone) {
      existing = await trx
        .selectFrom('contacts')
        .select('id')
        .where('account_id', '=', actor.accountId)
        .where('email', 'is', null)
        .where('phone', '=', fields.phone)
        .executeTakeFirst();
    }
    const result = await writeContacts(trx, deps.store.caps, actor.accountId, [fields], now, { subscribe: plan, wantIds: true });
    const contact = await loadContactDetail(trx, actor.accountId, result.ids[0]);
    return { contact: contact!, created: !existing };
  });
}
