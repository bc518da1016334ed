// What a template sees for one recipient. Built per message by the dispatcher, so it copies only
// the fields templates may use (no account_id, no internal columns) into fresh plain objects.
import type { ContactRow } from '../../store/schema.ts';
import { AppError } from '../errors.ts';
import type { RenderContext } from './compiled-template.ts';
import { PERSONAL_LINKS, type PersonalLinkSigner } from './personal-link-filter.ts';

export interface RenderContextExtra {
  campaign: { id: number; name: string };
  account: { id: number; name: string };
  /** The signed unsubscribe link of this message. */
  unsubscribeUrl: string;
  /** The run's own data (deliveries.context), when it has any. */
  run?: RunContext;
  /** Signs personal links for this contact (src/app/templates/personal-link-filter.ts). */
  personalLinks?: PersonalLinkSigner;
}

/** A run's data for templates: `event` of a trigger firing, `data` of a one-off message. */
export interface RunContext {
  event?: { type: string; entity: string; data: Record<string, unknown>; occurred_at: string };
  data?: Record<string, unknown>;
}

/** deliveries.context as stored (JSON text or null); only the two known keys are kept. */
export function parseRunContext(json: string | null): RunContext {
  if (!json) return {};
  const value = JSON.parse(json) as RunContext;
  const out: RunContext = {};
  if (value.event && typeof value.event === 'object') out.event = value.event;
  if (value.data && typeof value.data === 'object' && !Array.isArray(value.data)) out.data = value.data;
  return out;
}

/** Contact attributes as stored (JSON text); a value that is not a JSON object is a broken row, said so. */
export function parseContactAttributes(contactId: number, attributes: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(attributes);
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('invalid_state', `contact ${contactId} has attributes that are not a JSON object`, 'attributes');
  }
  return value as Record<string, unknown>;
}

/** The contact columns a template can see; a full ContactRow fits, and so does a narrower select. */
export type RenderableContact = Pick<ContactRow, 'id' | 'email' | 'phone' | 'first_name' | 'last_name' | 'timezone' | 'locale' | 'attributes'>;

export function renderContextFor(contact: RenderableContact, extra: RenderContextExtra): RenderContext {
  return {
    contact: {
      id: contact.id,
      email: contact.email,
      phone: contact.phone,
      first_name: contact.first_name,
      last_name: contact.last_name,
      timezone: contact.timezone,
      locale: contact.locale,
      attributes: parseContactAttributes(contact.id, contact.attributes),
    },
    campaign: { id: extra.campaign.id, name: extra.campaign.name },
    account: { id: extra.account.id, name: extra.account.name },
    unsubscribe_url: extra.unsubscribeUrl,
    // JSON-parsed data: plain objects with own properties only, which is all Liquid may read.
    ...(extra.run?.event ? { event: extra.run.event } : {}),
    ...(extra.run?.data ? { data: extra.run.data } : {}),
    ...(extra.personalLinks ? { [PERSONAL_LINKS]: extra.personalLinks } : {}),
  };
}
