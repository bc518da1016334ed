// Saves a new template after it compiled: a template with a Liquid or MJML error is never stored.
import type { Actor, AppDeps } from '../deps.ts';
import type { TemplateFormat } from './compile-template.ts';
import { checkChannel, checkName } from './template-input.ts';
import { type SavedTemplate, toTemplateView } from './template-view.ts';
import { validateTemplate } from './validate-template.ts';

export interface NewTemplateInput {
  name: string;
  /** Default 'email'. */
  channel?: string;
  format: TemplateFormat;
  subject: string;
  body: string;
}

export async function createTemplate(deps: AppDeps, actor: Actor, input: NewTemplateInput): Promise<SavedTemplate> {
  const name = checkName(input.name);
  const channel = checkChannel(input.channel ?? 'email');
  const { compiled, warnings } = await validateTemplate(input);
  const now = deps.clock.now().toISOString();
  const row = await deps.store.db
    .insertInto('templates')
    .values({
      account_id: actor.accountId,
      name,
      channel,
      format: input.format,
      subject: input.subject,
      body: input.body,
      compiled_html: input.format === 'mjml' ? compiled.htmlSource : null,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...toTemplateView(row), warnings };
}
