// What a provider's events change in Herald, for the one account whose webhook token was used:
// events are matched to that account's ledger rows only (a reference to another account's message
// links nothing), written with recordEvents, hard bounces and complaints suppress the address,
// and the bounce class of the first bounce is kept on the ledger row.
import type { HeraldReference } from '../../core/webhooks/herald-reference.ts';
import type { Provider, ProviderEvent } from '../../core/webhooks/provider-event.ts';
import type { AppDeps } from '../deps.ts';
import { recordEvents, type EventInput } from '../events/record-events.ts';
import { suppressComplaint, suppressHardBounces } from '../suppressions/suppress-automatically.ts';

export interface AppliedEvents {
  recorded: number;
  linked: number;
  suppressed: number;
}

/** The ledger ids of the references that name a message of this account with the same delivery. */
async function linkReferences(deps: AppDeps, accountId: number, refs: readonly HeraldReference[]): Promise<Set<number>> {
  const ids = [...new Set(refs.map((r) => r.messageId))];
  const found = new Set<number>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await deps.store.db
      .selectFrom('messages')
      .select(['id', 'delivery_id'])
      .where('account_id', '=', accountId)
      .where('id', 'in', ids.slice(i, i + 1000))
      .execute();
    const delivery = new Map(rows.map((r) => [r.id, r.delivery_id]));
    for (const r of refs) if (delivery.get(r.messageId) === r.deliveryId) found.add(r.messageId);
  }
  return found;
}

export async function applyProviderEvents(deps: AppDeps, accountId: number, provider: Provider, events: readonly ProviderEvent[]): Promise<AppliedEvents> {
  if (events.length === 0) return { recorded: 0, linked: 0, suppressed: 0 };
  const linked = await linkReferences(
    deps,
    accountId,
    events.flatMap((e) => (e.reference ? [e.reference] : [])),
  );
  const inputs: EventInput[] = events.map((e) => {
    const messageId = e.reference && linked.has(e.reference.messageId) ? e.reference.messageId : null;
    return {
      accountId,
      messageId,
      type: e.type,
      occurredAt: e.occurredAt,
      machine: e.machine,
      data: { ...e.data, address: e.address, ...(messageId === null && e.reference ? { unmatched_reference: `herald.${e.reference.messageId}.${e.reference.deliveryId}` } : {}) },
    };
  });
  const recorded = await recordEvents(deps, inputs);

  // The first bounce's class on the ledger row (recordEvents keeps the first time only).
  for (const [i, e] of events.entries()) {
    const messageId = inputs[i].messageId;
    if (e.type !== 'bounced' || !e.bounceClass || messageId === null) continue;
    await deps.store.db
      .updateTable('messages')
      .set({ bounce_class: e.bounceClass })
      .where('id', '=', messageId)
      .where('account_id', '=', accountId)
      .where('bounce_class', 'is', null)
      .execute();
  }

  let suppressed = 0;
  const hard = events.filter((e) => e.type === 'bounced' && e.bounceClass === 'hard' && e.address);
  if (hard.length > 0) {
    const r = await suppressHardBounces(
      deps,
      accountId,
      hard.map((e) => ({ channel: 'email', address: e.address!, response: String(e.data.diagnostic ?? e.data.why ?? `${provider} hard bounce`) })),
    );
    suppressed += r.added;
  }
  for (const e of events) {
    if (e.type !== 'complained' || !e.address) continue;
    try {
      const r = await suppressComplaint(deps, accountId, { channel: 'email', address: e.address, source: `complaint: webhook:${provider}` });
      if (r.added) suppressed += 1;
    } catch (err) {
      deps.log.warn({ accountId, provider, address: e.address, err: (err as Error).message }, 'complaint with an address that cannot be suppressed');
    }
  }
  return { recorded, linked: inputs.filter((x) => x.messageId !== null).length, suppressed };
}
