// Turns an audience row (see src/store/queries/audience.ts) into the input of the pure decision.
import type { AudienceCandidate } from '../../core/audience-decision.ts';
import type { AudienceRow } from '../../store/queries/audience.ts';

export function toCandidate(r: AudienceRow & { email: string | null; phone: string | null }): AudienceCandidate {
  return {
    email: r.email,
    phone: r.phone,
    // PostgreSQL returns MAX() over integers as numbers, SQLite too; Number() guards bigint text.
    subscription: Number(r.any_subscribed) ? 'subscribed' : Number(r.any_unconfirmed) ? 'unconfirmed' : 'unsubscribed',
    excluded: Number(r.excluded) === 1,
  };
}
