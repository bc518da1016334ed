// Folds a contact's confirmation requests (over the campaign's lists) into the one consent fact
// the decision needs: any request still out → pending until the latest expiry; otherwise the
// latest request, if it was declined or expired → declined; a confirmed or absent one → no fact.
import type { ConsentFact } from './decide-message.ts';

export interface ConsentRequestSummary {
  id: number;
  contact_id: number;
  status: string;
  requested_at: string;
  expires_at: string;
}

export function foldConsentFacts(rows: readonly ConsentRequestSummary[]): Map<number, ConsentFact> {
  const pending = new Map<number, string>();
  const latest = new Map<number, ConsentRequestSummary>();
  for (const r of rows) {
    if (r.status === 'pending') {
      const seen = pending.get(r.contact_id);
      if (seen === undefined || r.expires_at > seen) pending.set(r.contact_id, r.expires_at);
    }
    const l = latest.get(r.contact_id);
    if (!l || r.requested_at > l.requested_at || (r.requested_at === l.requested_at && r.id > l.id)) latest.set(r.contact_id, r);
  }
  const out = new Map<number, ConsentFact>();
  for (const [contactId, r] of latest) {
    const expiresAt = pending.get(contactId);
    if (expiresAt !== undefined) out.set(contactId, { state: 'pending', expires_at: expiresAt });
    else if (r.status === 'declined' || r.status === 'expired') out.set(contactId, { state: 'declined', expires_at: null });
  }
  return out;
}
