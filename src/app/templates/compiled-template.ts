// A template compiled once per delivery and rendered once per recipient.

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
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface CompiledTemplate {
  render(context: RenderContext): Promise<RenderedEmail>;
}
