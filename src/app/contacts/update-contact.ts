// PATCH /contacts/:id: fields that are present replace the stored ones, null clears them;
// `attributes` and `messenger` are merged key by key (a null value removes that key, a null
// object removes all). The contact must stay reachable on some channel, and its email (or, without
// email, its phone) must stay unique in the account.
import type { Kysely } from 'kysely';
import { type AttributeValue, checkContactInput, hasAnyAddress, type PostalAddress } from '../../core/contact-input.ts';
import type { Database } from '../../store/schema.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, invalid, notFound } from '../errors.ts';
import { type ContactDetail, loadContactDetail } from './get-contact.ts';
import { isUniqueViolation } from './unique-violation.ts';

function patchObject<T>(stored: Record<string, T>, patch: Record<string, T | null> | null | undefined): Record<string, T> {
  if (patch === undefined) return stored;
  if (patch === null) return {};
  const out = { ...stored };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

async function assertKeyIsFree(db: Kysely<Database>, accountId: number, id: number, email: string | null, phone: string | null) {
  if (email) {
    const other = await db
      .selectFrom('contacts')
      .select('id')
      .where('account_id', '=', accountId)
      .where('email', '=', email)
      .where('id', '!=', id)
      .executeTakeFirst();
    if (other) throw new AppError('conflict', `contact ${other.id} already has the email ${email}`, 'email', { contact_id: Number(other.id) });
  } else if (phone) {
    const other = await db
      .selectFrom('contacts')
      .select('id')
      .where('account_id', '=', accountId)
      .where('email', 'is', null)
      .where('phone', '=', phone)
      .where('id', '!=', id)
      .executeTakeFirst();
    if (other) {
      throw new AppError('conflict', `contact ${other.id} has no email and already has the phone ${phone}`, 'phone', { contact_id: Number(other.id) });
    }
  }
}

export async function updateContact(deps: AppDeps, actor: Actor, id: number, patch: Record<string, unknown>): Promise<ContactDetail> {
  const { fields, problems } = checkContactInput(patch, { requireAddress: false });
  if (problems.length > 0) {
    const first = problems[0];
    throw invalid(first.field, `${first.field} ${first.reason}`, problems);
  }
  const now = deps.clock.now().toISOString();
  try {
    return await deps.store.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('contacts').selectAll().where('account_id', '=', actor.accountId).where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound('contact', id, 'id');
      const next = {
        email: fields.email === undefined ? row.email : fields.email,
        phone: fields.phone === undefined ? row.phone : fields.phone,
        first_name: fields.first_name === undefined ? row.first_name : fields.first_name,
        last_name: fields.last_name === undefined ? row.last_name : fields.last_name,
        timezone: fields.timezone === undefined ? row.timezone : fields.timezone,
        locale: fields.locale === undefined ? row.locale : fields.locale,
        messenger: patchObject<string>(JSON.parse(row.messenger), fields.messenger),
        postal_address: (fields.postal_address === undefined
          ? row.postal_address
            ? JSON.parse(row.postal_address)
            : null
          : fields.postal_address) as PostalAddress | null,
        attributes: patchObject<AttributeValue>(JSON.parse(row.attributes), fields.attributes),
      };
      if (!hasAnyAddress(next)) {
        const cleared = ['email', 'phone', 'messenger', 'postal_address'].find((f) => f in patch) ?? 'email';
        throw invalid(cleared, 'would leave the contact without any address (email, phone, messenger handle or postal address)');
      }
      await assertKeyIsFree(trx, actor.accountId, id, next.email, next.phone);
      await trx
        .updateTable('contacts')
        .set({
          ...next,
          messenger: JSON.stringify(next.messenger),
          postal_address: next.postal_address ? JSON.stringify(next.postal_address) : null,
          attributes: JSON.stringify(next.attributes),
          updated_at: now,
        })
        .where('account_id', '=', actor.accountId)
        .where('id', '=', id)
        .execute();
      return (await loadContactDetail(trx, actor.accountId, id))!;
    });
  } catch (err) {
    // Another writer took the email or phone between the check and the update.
    if (isUniqueViolation(err)) throw new AppError('conflict', 'another contact already has this email (or, without email, this phone)', fields.email ? 'email' : 'phone');
    throw err;
  }
}
