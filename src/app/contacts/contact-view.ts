// How a contact looks outside the store: JSON columns parsed, nothing else changed.
import type { AttributeValue, PostalAddress } from '../../core/contact-input.ts';
import type { ContactRow } from '../../store/schema.ts';

export interface ContactView {
  id: number;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  timezone: string | null;
  locale: string | null;
  messenger: Record<string, string>;
  postal_address: PostalAddress | null;
  attributes: Record<string, AttributeValue>;
  created_at: string;
  updated_at: string;
}

export function toContactView(row: ContactRow): ContactView {
  return {
    id: Number(row.id),
    email: row.email,
    phone: row.phone,
    first_name: row.first_name,
    last_name: row.last_name,
    timezone: row.timezone,
    locale: row.locale,
    messenger: JSON.parse(row.messenger),
    postal_address: row.postal_address ? JSON.parse(row.postal_address) : null,
    attributes: JSON.parse(row.attributes),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

