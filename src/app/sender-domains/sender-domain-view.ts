// How a sender domain leaves the app: never with its private key, always with the DNS record the
// user must publish for the signature to verify.
import type { SenderDomainRow } from '../../store/schema.ts';
import { dkimDnsRecord } from './dkim-keys.ts';

export interface DkimDnsRecord {
  /** Where to publish it: <selector>._domainkey.<domain> */
  name: string;
  type: 'TXT';
  value: string;
}

export interface SenderDomainView {
  id: number;
  domain: string;
  dkim_selector: string | null;
  /** Whether messages from this domain are DKIM-signed. */
  dkim_enabled: boolean;
  dkim_dns_record: DkimDnsRecord | null;
  created_at: string;
  updated_at: string;
}

export function toSenderDomainView(row: SenderDomainRow): SenderDomainView {
  const signing = row.dkim_private_key !== null && row.dkim_selector !== null;
  return {
    id: row.id,
    domain: row.domain,
    dkim_selector: row.dkim_selector,
    dkim_enabled: signing,
    dkim_dns_record: signing
      ? { name: `${row.dkim_selector}._domainkey.${row.domain}`, type: 'TXT', value: dkimDnsRecord(row.dkim_private_key!) }
      : null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
