// How a template leaves the app (API responses, CLI output): the row without account_id.
import type { LintWarning } from '../../core/template-lint.ts';
import type { TemplateRow } from '../../store/schema.ts';
import type { TemplateFormat, TemplateSource } from './compile-template.ts';

export interface TemplateView {
  id: number;
  name: string;
  channel: string;
  format: TemplateFormat;
  subject: string;
  body: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** A template as saved, with the lint warnings found while saving it. */
export interface SavedTemplate extends TemplateView {
  warnings: LintWarning[];
  /** set when the change sent approved campaigns back to draft (update-template.ts) */
  notice?: string;
}

export function toTemplateView(row: TemplateRow): TemplateView {
  return {
    id: row.id,
    name: row.name,
    channel: row.channel,
    format: row.format as TemplateFormat,
    subject: row.subject,
    body: row.body,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** What compileTemplate needs from a stored row (the dispatcher compiles from this). */
export function toTemplateSource(row: Pick<TemplateRow, 'format' | 'subject' | 'body'> & { compiled_html?: string | null }): TemplateSource {
  return { format: row.format as TemplateFormat, subject: row.subject, body: row.body, compiledHtml: row.compiled_html ?? null };
}
