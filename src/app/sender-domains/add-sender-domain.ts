// Adds a sender domain, or updates the one already there (same account, same domain): a DKIM key
// can be generated here, brought as PEM, or left as it was. The answer carries the DNS record to
// publish; the private key never leaves.
import { sql } from 'kysely';
import type { Actor, AppDeps } from '../deps.ts';
import { invalid } from '../errors.ts';
import { generateDkimKey, normalizeDkimPrivateKey } from './dkim-keys.ts';
import { normalizeDkimSelector, normalizeSenderDomain } from './domain-name.ts';
import { type SenderDomainView, toSenderDomainView } from './sender-domain-view.ts';

export const DEFAULT_DKIM_SELECTOR = 'herald';

export interface SenderDomainInput {
  domain: string;
  dkim_selector?: string | null;
  /** PEM; mutually exclusive with generate_dkim. */
  dkim_private_key?: string | null;
  generate_dkim?: boolean;
}

export async function addSenderDomain(deps: AppDeps, actor: Actor, input: SenderDomainInput): Promise<SenderDomainView> {
  const domain = normalizeSenderDomain(input.domain, 'domain');
  if (input.generate_dkim && input.dkim_private_key) {
    throw invalid('generate_dkim', 'give either dkim_private_key or generate_dkim, not both');
  }
  let selector = input.dkim_selector ? normalizeDkimSelector(input.dkim_selector, 'dkim_selector') : null;
  let privateKey: string | null = null;
  if (input.dkim_private_key) {
    // A key the user brings is usually already published under some selector: do not guess it.
    if (!selector) throw invalid('dkim_selector', 'is required with a private key: the selector its public key is published under');
    privateKey = normalizeDkimPrivateKey(input.dkim_private_key, 'dkim_private_key');
  } else if (input.generate_dkim) {
    selector ??= DEFAULT_DKIM_SELECTOR;
    privateKey = generateDkimKey().privateKeyPem;
  }
  const now = deps.clock.now().toISOString();
  const row = await deps.store.db
    .insertInto('sender_domains')
    .values({ account_id: actor.accountId, domain, dkim_selector: selector, dkim_private_key: privateKey, created_at: now, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['account_id', 'domain']).doUpdateSet({
        // What the input leaves out stays as it was.
        dkim_selector: sql<string | null>`coalesce(excluded.dkim_selector, sender_domains.dkim_selector)`,
        dkim_private_key: sql<string | null>`coalesce(excluded.dkim_private_key, sender_domains.dkim_private_key)`,
        updated_at: now,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSenderDomainView(row);
}
