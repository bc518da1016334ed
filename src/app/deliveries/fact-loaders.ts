// Where each kind of fact for the decision comes from. One table, so that adding a source
// (suppressions, consent, frequency caps) is one line here, not an edit in prepare and dispatch.
import type { ConsentFact, SuppressionFact } from '../../core/decide-message.ts';
import type { AppDeps } from '../deps.ts';
import { loadConsentFacts } from '../consent/load-consent-facts.ts';
import { loadPacingPolicy } from '../pacing/account-policy.ts';
import { loadFrequencyCapped } from '../pacing/frequency-cap.ts';
import { loadSuppressionFacts } from '../suppressions/load-suppression-facts.ts';

export interface FactLoaders {
  suppressions(deps: AppDeps, accountId: number, channel: string, addresses: string[], now: Date): Promise<Map<string, SuppressionFact>>;
  consent(deps: AppDeps, accountId: number, contactIds: number[], listIds: number[]): Promise<Map<number, ConsentFact>>;
  frequencyCapped(deps: AppDeps, accountId: number, contactIds: number[], now: Date): Promise<{ capped: Set<number>; cap: { limit: number; days: number } | null }>;
}

export const factLoaders: FactLoaders = {
  suppressions: (deps, accountId, channel, addresses, now) => loadSuppressionFacts(deps.store.db, accountId, channel, addresses, now.toISOString()),
  consent: (deps, accountId, contactIds, listIds) => loadConsentFacts(deps.store.db, accountId, contactIds, listIds),
  frequencyCapped: async (deps, accountId, contactIds, now) => {
    const policy = await loadPacingPolicy(deps, accountId);
    if (!policy.frequency_cap) return { capped: new Set(), cap: null };
    const capped = await loadFrequencyCapped(deps.store.db, accountId, contactIds, policy, now);
    return { capped, cap: { limit: policy.frequency_cap.max_messages, days: policy.frequency_cap.per_days } };
  },
};
