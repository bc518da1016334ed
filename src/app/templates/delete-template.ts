// Deletes a template no campaign uses. A campaign's template is part of what it will send, so a
// used template is refused with the campaigns named, not removed from under them.
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, notFound } from '../errors.ts';

export async function deleteTemplate(deps: AppDeps, actor: Actor, templateId: number): Promise<void> {
  try {
    await deleteUnusedTemplate(deps, actor, templateId);
  } catch (err) {
    // A campaign that took this template between the check and the delete: the foreign key
    // refuses (PostgreSQL "violates foreign key constraint", SQLite "FOREIGN KEY constraint failed").
    if (!(err instanceof AppError) && /foreign key/i.test((err as Error).message)) {
      throw new AppError('conflict', `template ${templateId} was just given to a campaign; give that campaign another template first`);
    }
    throw err;
  }
}

async function deleteUnusedTemplate(deps: AppDeps, actor: Actor, templateId: number): Promise<void> {
  await deps.store.db.transaction().execute(async (trx) => {
    const template = await trx
      .selectFrom('templates')
      .select('id')
      .where('account_id', '=', actor.accountId)
      .where('id', '=', templateId)
      .executeTakeFirst();
    if (!template) throw notFound('template', templateId);
    const users = await trx
      .selectFrom('campaigns')
      .select(['id', 'name'])
      .where('account_id', '=', actor.accountId)
      .where('template_id', '=', templateId)
      .orderBy('id')
      .execute();
    if (users.length > 0) {
      const named = users.slice(0, 5).map((c) => `${c.id} "${c.name}"`);
      const more = users.length > 5 ? ` and ${users.length - 5} more` : '';
      throw new AppError(
        'conflict',
        `template ${templateId} is used by campaign${users.length > 1 ? 's' : ''} ${named.join(', ')}${more}; give them another template first`,
        null,
        { campaign_ids: users.map((c) => c.id) },
      );
    }
    await trx.deleteFrom('templates').where('account_id', '=', actor.accountId).where('id', '=', templateId).execute();
  });
}
