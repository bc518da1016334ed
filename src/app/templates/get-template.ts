// One template of the actor's account; another account's template is "not found", never "forbidden".
import type { TemplateRow } from '../../store/schema.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { type TemplateView, toTemplateView } from './template-view.ts';

export async function findTemplateRow(deps: AppDeps, actor: Actor, templateId: number): Promise<TemplateRow> {
  const row = await deps.store.db
    .selectFrom('templates')
    .selectAll()
    .where('account_id', '=', actor.accountId)
    .where('id', '=', templateId)
    .executeTakeFirst();
  if (!row) throw notFound('template', templateId);
  return row;
}

export async function getTemplate(deps: AppDeps, actor: Actor, templateId: number): Promise<TemplateView> {
  return toTemplateView(await findTemplateRow(deps, actor, templateId));
}
