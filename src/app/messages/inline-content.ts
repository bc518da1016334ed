// Content written on the spot for one message: stored in its campaign's settings
// (`inline_template`) rather than as a templates row. It belongs to that one message and never
// changes, so it has no place in the template list; a hidden templates row would need a filter
// in every template query (list, get, update, delete, a campaign's template_id check) and could
// still be picked by id for another campaign.
import type { TemplateSource } from '../templates/compile-template.ts';

export interface InlineTemplate {
  format: 'html' | 'mjml';
  subject: string;
  body: string;
  /** MJML compiled when the message was accepted (like templates.compiled_html). */
  compiled_html: string | null;
}

/** The inline template of a campaign's settings JSON, as a compiler source; null when it has none. */
export function inlineTemplateSource(settingsJson: string): TemplateSource | null {
  const t = (JSON.parse(settingsJson) as { inline_template?: Partial<InlineTemplate> }).inline_template;
  if (!t || typeof t.subject !== 'string' || typeof t.body !== 'string' || (t.format !== 'html' && t.format !== 'mjml')) return null;
  return { format: t.format, subject: t.subject, body: t.body, compiledHtml: t.compiled_html ?? null };
}
