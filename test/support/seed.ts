// Direct inserts for test set-up, so that a delivery test does not depend on the import or
// contact APIs (those have their own tests).
import type { Kysely } from 'kysely';
import { updateAccountProfile } from '../../src/app/accounts/account-profile.ts';
import { createAccount } from '../../src/app/accounts/bootstrap.ts';
import type { AppDeps } from '../../src/app/deps.ts';
import type { Database } from '../../src/store/schema.ts';

const T = '2026-03-01T00:00:00.000Z';

export async function seedList(db: Kysely<Database>, accountId: number, name: string): Promise<number> {
  const r = await db
    .insertInto('lists')
    .values({ account_id: accountId, name, description: null, created_at: T, updated_at: T })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export interface SeedContact {
  email?: string | null;
  phone?: string | null;
  first_name?: string | null;
  attributes?: Record<string, unknown>;
  lists?: Array<[number, 'subscribed' | 'unconfirmed' | 'unsubscribed']>;
}

export async function seedContacts(db: Kysely<Database>, accountId: number, contacts: SeedContact[]): Promise<number[]> {
  const ids: number[] = [];
  for (const c of contacts) {
    const r = await db
      .insertInto('contacts')
      .values({
        account_id: accountId,
        email: c.email ?? null,
        phone: c.phone ?? null,
        first_name: c.first_name ?? null,
        last_name: null,
        timezone: null,
        locale: null,
        postal_address: null,
        attributes: JSON.stringify(c.attributes ?? {}),
        created_at: T,
        updated_at: T,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(r.id);
    for (const [listId, status] of c.lists ?? []) {
      await db
        .insertInto('subscriptions')
        .values({ account_id: accountId, list_id: listId, contact_id: r.id, status, source: 'test', created_at: T, updated_at: T })
        .execute();
    }
  }
  return ids;
}

export async function seedTemplate(
  db: Kysely<Database>,
  accountId: number,
  t: { subject?: string; body?: string; format?: 'html' | 'mjml' } = {},
): Promise<number> {
  const r = await db
    .insertInto('templates')
    .values({
      account_id: accountId,
      name: 'Newsletter',
      channel: 'email',
      format: t.format ?? 'html',
      subject: t.subject ?? 'Hello {{ contact.first_name | default: "there" }}',
      body:
        t.body ??
        '<html><body><p>Hi {{ contact.first_name | default: "there" }}, news from {{ account.name }}.</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p></body></html>',
      created_at: T,
      updated_at: T,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** An account ready to launch campaigns: its company profile (a pre-flight requirement) is complete. */
export async function seedAccount(deps: AppDeps, name: string): Promise<number> {
  const accountId = await createAccount(deps, { name });
  await updateAccountProfile(deps, { accountId, role: 'owner', label: 'test' }, {
    company_name: name,
    phone: '+49 30 1234567',
    postal_address: 'Hauptstraße 1, 10115 Berlin, Germany',
  });
  return accountId;
}
