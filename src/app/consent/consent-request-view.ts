// How a consent request looks outside the store: with the contact's address and the list's name,
// and (for one request) the evidence of the answer as an object.
import type { Selectable } from 'kysely';
import type { ConsentRequestsTable } from '../../store/schema-consent.ts';

export interface ConsentEvidence {
  ip: string | null;
  user_agent: string | null;
  time: string;
  source: string;
}

export interface ConsentRequestView {
  id: number;
  contact_id: number;
  email: string | null;
  list_id: number;
  list_name: string;
  status: string;
  requested_at: string;
  expires_at: string;
  sent_at: string | null;
  send_attempts: number;
  last_response: string | null;
  confirmed_at: string | null;
  declined_at: string | null;
  source: string | null;
  evidence?: ConsentEvidence | null;
}

export type ConsentRequestRow = Selectable<ConsentRequestsTable> & { email: string | null; list_name: string };

export function toConsentRequestView(r: ConsentRequestRow, withEvidence: boolean): ConsentRequestView {
  const view: ConsentRequestView = {
    id: Number(r.id),
    contact_id: Number(r.contact_id),
    email: r.email,
    list_id: Number(r.list_id),
    list_name: r.list_name,
    status: r.status,
    requested_at: r.requested_at,
    expires_at: r.expires_at,
    sent_at: r.sent_at,
    send_attempts: Number(r.send_attempts),
    last_response: r.last_response,
    confirmed_at: r.confirmed_at,
    declined_at: r.declined_at,
    source: r.source,
  };
  if (withEvidence) view.evidence = r.evidence ? (JSON.parse(r.evidence) as ConsentEvidence) : null;
  return view;
}
