// Changes a template and bumps its version. The new content must compile before anything is
// written, and the write only succeeds on the version that was read, so two editors saving at
// once cannot silently overwrite each other.
import { sql } from 'kysely';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import type { TemplateFormat } from './compile-template.ts';
import { findTemplateRow } from './get-template.ts';
import { checkName } from './template-input.ts';
import { type SavedTemplate, toTemplateView } from './template-view.ts';
import { validateTemplate } from './validate-template.ts';

export interface TemplateChanges {
  name?: string;
  format?: TemplateFormat;
  subject?: string;
  body?: string;
}

export async function updateTemplate(deps: AppDeps, actor: Actor, templateId: number, changes: TemplateChanges): Promise<SavedTemplate> {
  if (changes.name === undefined && changes.format === undefined && changes.subject === undefined && changes.body === undefined) {
    throw new AppError('invalid_input', 'nothing to change: give at least one of name, format, subject, body');
  }
  const current = await findTemplateRow(deps, actor, templateId);
  const name = changes.name === undefined ? current.name : checkName(changes.name);
  const source = {
    format: changes.format ?? (current.format as TemplateFormat),
    subject: changes.subject ?? current.subject,
    body: changes.body ?? current.body,
  };
  const { compiled, warnings } = await validateTemplate(source);
  const row = await deps.store.db
    .updateTable('templates')
    .set({
      name,
      format: source.format,
      subject: source.subject,
      body: source.body,
      compiled_html: source.format === 'mjml' ? compiled.htmlSource : null,
      version: sql<number>`version + 1`,
      updated_at: deps.clock.now().toISOString(),
    })
    .where('account_id', '=', actor.accountId)
    .where('id', '=', templateId)
    .where('version', '=', current.version)
    .returningAll()
    .executeTakeFirst();
  if (!row) {
    await findTemplateRow(deps, actor, templateId); // deleted meanwhile: not_found
    throw new AppError('conflict', `template ${templateId} was changed by someone else while this change was compiled; load it again and retry`, null);
  }
  return { ...toTemplateView(row), warnings };
}
