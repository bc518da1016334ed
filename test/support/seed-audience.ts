// An account ready to mail a list, for tests about who receives what rather than how contacts got
// there: `recipients` subscribed contacts, a template, and a maker of draft campaigns to the list.
// Addresses are derived from the account's name, so several audiences in one database (and one
// SMTP sink) never share one, and a test counts its own mail by that prefix.
import { createCampaign } from '../../src/app/campaigns/write-campaign.ts';
import type { Actor, AppDeps } from '../../src/app/deps.ts';
import { seedAccount, seedContacts, seedList, seedTemplate } from './seed.ts';

export async function seedAudience(deps: AppDeps, name: string, recipients: number) {
  const { db } = deps.store;
  const accountId = await seedAccount(deps, name);
  const actor: Actor = { accountId, role: 'owner', label: 'test' };
  const list = await seedList(db, accountId, 'All');
  const template = await seedTemplate(db, accountId);
  const slug = name.toLowerCase().replace(/[^a-z]+/g, '');
  await seedContacts(
    db,
    accountId,
    Array.from({ length: recipients }, (_, i) => ({ email: `${slug}${i}@example.com`, lists: [[list, 'subscribed'] as [number, 'subscribed']] })),
  );
  /** A draft campaign called `campaign` to every contact of the audience; `deps` sets its clock. */
  const draft = (campaign: string) =>
    createCampaign(deps, actor, { name: campaign, template_id: template, from_email: `a@${slug}.example.com`, audience: { list_ids: [list] } });
  return { actor, slug, draft };
}
