// What an answer from the confirmation page does to a request. Pure, so the rules are one table:
// a pending request within its time takes the answer; an answer after the expiry is refused;
// the same answer again is a harmless replay; a different answer after a decision changes nothing
// (withdrawing consent is what the unsubscribe link is for).

export const CONSENT_REQUEST_STATUSES = ['pending', 'confirmed', 'declined', 'expired'] as const;
export type ConsentRequestStatus = (typeof CONSENT_REQUEST_STATUSES)[number];

export type ConsentAction = 'confirm' | 'decline';

export type ConsentAnswerOutcome =
  | { kind: 'record'; status: 'confirmed' | 'declined' }
  | { kind: 'replay'; status: 'confirmed' | 'declined' }
  | { kind: 'already_decided'; status: 'confirmed' | 'declined' }
  | { kind: 'expired' };

export function isConsentRequestStatus(v: unknown): v is ConsentRequestStatus {
  return typeof v === 'string' && (CONSENT_REQUEST_STATUSES as readonly string[]).includes(v);
}

/** The state a page shows for a request at `now` (a pending one past its expiry reads as expired). */
export function effectiveConsentStatus(req: { status: string; expires_at: string }, now: Date): ConsentRequestStatus {
  if (req.status === 'pending' && Date.parse(req.expires_at) <= now.getTime()) return 'expired';
  return isConsentRequestStatus(req.status) ? req.status : 'expired';
}

export function answerConsent(req: { status: string; expires_at: string }, action: ConsentAction, now: Date): ConsentAnswerOutcome {
  const wanted = action === 'confirm' ? 'confirmed' : 'declined';
  const status = effectiveConsentStatus(req, now);
  if (status === 'pending') return { kind: 'record', status: wanted };
  if (status === 'expired') return { kind: 'expired' };
  return status === wanted ? { kind: 'replay', status } : { kind: 'already_decided', status };
}
