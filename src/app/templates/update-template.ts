// Changes a template and bumps its version. The new content must compile before anything is
// written, and the write only succeeds on the version that was read, so two editors saving at
// once cannot silently overwrite each other.
import { sql } from 'kysely';
import { loadApprovalSettings } from '../approvals/approval-settings.ts';
import { recordAudit } from '../audit/record-audit.ts';
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
  const revoked = await revokeApprovedCampaigns(deps, actor, templateId);
  return {
    ...toTemplateView(row),
    warnings,
    ...(revoked.length
      ? { notice: `campaign ${revoked.join(', ')} used this template and was approved before the change: a draft again; launch it to ask for approval of the new content` }
      : {}),
  };
}

/**
 * Under the approval rule, an approved one-off campaign waiting for its time (scheduled, run not yet
 * prepared) no longer sends what was approved once its template changes: back to draft, as when
 * the campaign itself is edited (write-campaign.ts).
 */
async function revokeApprovedCampaigns(deps: AppDeps, actor: Actor, templateId: number): Promise<number[]> {
  if (!(await loadApprovalSettings(deps, actor.accountId)).required) return [];
  const now = deps.clock.now().toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    const campaigns = await trx
      .selectFrom('campaigns')
      .select('id')
      .where('account_id', '=', actor.accountId)
      .where('template_id', '=', templateId)
      .where('status', '=', 'scheduled')
      .execute();
    const revoked: number[] = [];
    for (const { id } of campaigns) {
      await trx.deleteFrom('deliveries').where('campaign_id', '=', id).where('status', '=', 'scheduled').where('prepared_at', 'is', null).execute();
      const moved = await trx.updateTable('campaigns').set({ status: 'draft', scheduled_at: null, updated_at: now }).where('id', '=', id).where('status', '=', 'scheduled').executeTakeFirst();
      if (Number(moved.numUpdatedRows) === 0) continue;
      await recordAudit({ trx, now }, actor, 'campaign.approval_revoked', `campaign:${id}`, { reason: `template ${templateId} edited after approval` });
      revoked.push(id);
    }
    return revoked;
  });
}
