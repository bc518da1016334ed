// Gives a sender domain a new generated DKIM key. Publish the returned record before sending:
// until the DNS has it, receivers cannot verify the new signatures. Rotating to a new selector
// lets the old record stay valid for mail already in transit.
import type { Actor, AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { DEFAULT_DKIM_SELECTOR } from './add-sender-domain.ts';
import { generateDkimKey } from './dkim-keys.ts';
import { normalizeDkimSelector } from './domain-name.ts';
import { findSenderDomainRow } from './read-sender-domains.ts';
import { type SenderDomainView, toSenderDomainView } from './sender-domain-view.ts';

export async function rotateDkimKey(deps: AppDeps, actor: Actor, id: number, input: { dkim_selector?: string | null } = {}): Promise<SenderDomainView> {
  const existing = await findSenderDomainRow(deps, actor, id);
  const selector = input.dkim_selector
    ? normalizeDkimSelector(input.dkim_selector, 'dkim_selector')
    : (existing.dkim_selector ?? DEFAULT_DKIM_SELECTOR);
  const { privateKeyPem } = generateDkimKey();
  const row = await deps.store.db
    .updateTable('sender_domains')
    .set({ dkim_selector: selector, dkim_private_key: privateKeyPem, updated_at: deps.clock.now().toISOString() })
    .where('account_id', '=', actor.accountId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound('sender domain', id);
  return toSenderDomainView(row);
}
