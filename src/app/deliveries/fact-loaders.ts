// Where each kind of fact for the decision comes from. One table, so that adding a source
// (suppressions, consent, frequency caps) is one line here, not an edit in prepare and dispatch.
import type { ConsentFact, SuppressionFact } from '../../core/decide-message.ts';
import type { AppDeps } from '../deps.ts';

export interface FactLoaders {
  suppressions(deps: AppDeps, accountId: number, channel: string, addresses: string[], now: Date): Promise<Map<string, SuppressionFact>>;
  consent(deps: AppDeps, accountId: number, contactIds: number[], listIds: number[]): Promise<Map<number, ConsentFact>>;
  frequencyCapped(deps: AppDeps, accountId: number, contactIds: number[], now: Date): Promise<{ capped: Set<number>; cap: { limit: number; days: number } | null }>;
}

export const factLoaders: FactLoaders = {
  suppressions: async () => new Map(),
  consent: async () => new Map(),
  frequencyCapped: async () => ({ capped: new Set(), cap: null }),
};
