// The four causes of a suppression and their order of strength. When one address carries several
// (blocklisted and also bounced), the strongest is the one a person is told about: the marketer's
// own blocklist first, then what the receiving side said (bounce, complaint), then the contact's
// own unsubscribe. decide-message.ts also lets transactional mail pass only the weaker two.
import type { SuppressionFact } from './decide-message.ts';

export type SuppressionReason = SuppressionFact['reason'];

export const SUPPRESSION_REASONS: readonly SuppressionReason[] = ['blocklist', 'bounce', 'complaint', 'unsubscribe'];

const STRENGTH: Record<SuppressionReason, number> = { blocklist: 4, bounce: 3, complaint: 2, unsubscribe: 1 };

export function isSuppressionReason(value: string): value is SuppressionReason {
  return Object.hasOwn(STRENGTH, value);
}

/** The fact to report when an address has two: the stronger reason, or `current` on a tie. */
export function strongerSuppression<T extends { reason: SuppressionReason }>(current: T | undefined, candidate: T): T {
  if (!current) return candidate;
  return STRENGTH[candidate.reason] > STRENGTH[current.reason] ? candidate : current;
}
