// A template compiled once per delivery and rendered once per recipient.
import type { PERSONAL_LINKS, PersonalLinkSigner } from './personal-link-filter.ts';

/** What a template may refer to. Only own properties are visible to Liquid (ownPropertyOnly). */
export interface RenderContext {
  contact: {
    id: number;
    email: string | null;
    phone: string | null;
    first_name: string | null;
    last_name: string | null;
    timezone: string | null;
    locale: string | null;
    attributes: Record<string, unknown>;
  };
  campaign: { id: number; name: string };
  account: { id: number; name: string };
  /** Signed per-message link; templates should contain it (lint warns when they don't). */
  unsubscribe_url: string;
  /** A trigger firing's event: {{ event.entity }}, {{ event.data.status }}. */
  event?: { type: string; entity: string; data: Record<string, unknown>; occurred_at: string };
  /** A one-off message's data: {{ data.order_number }}. */
  data?: Record<string, unknown>;
  /** Signs {{ url | personal_link }} for this contact; a Symbol key, so no template can reach it. */
  [PERSONAL_LINKS]?: PersonalLinkSigner;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface CompiledTemplate {
  render(context: RenderContext): Promise<RenderedEmail>;
}
