// Create and edit campaigns. A campaign is a draft until it is sent or scheduled; only drafts and
// scheduled campaigns can be edited (what was sent stays explainable).
import { campaignFollowsDelivery, canCampaign } from '../../core/campaign-lifecycle.ts';
import { cancelOpenMessages } from '../../store/queries/ledger.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, invalid } from '../errors.ts';
import { type CampaignInput, DEFAULT_SETTINGS, parseAudience, parseSettings, validateCampaignInput } from './campaign-input.ts';
import { getCampaign, type CampaignView } from './read-campaigns.ts';
import { loadApprovalSettings } from '../approvals/approval-settings.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { listsOnTriggeredCampaign } from '../triggers/set-trigger.ts';

export async function createCampaign(deps: AppDeps, actor: Actor, input: CampaignInput & { name: string }): Promise<CampaignView> {
  if (!input.name) throw invalid('name', 'name is required');
  const channel = input.channel ?? 'email';
  const checked = await validateCampaignInput(deps, actor, { ...input, channel });
  const now = deps.clock.now().toISOString();
  const row = await deps.store.db
    .insertInto('campaigns')
    .values({
      account_id: actor.accountId,
      name: input.name.trim(),
      channel,
      kind: 'one-off',
      status: 'draft',
      template_id: input.template_id ?? null,
      from_email: checked.from_email ?? null,
      from_name: input.from_name ?? null,
      reply_to: checked.reply_to ?? null,
      audience: JSON.stringify(parseAudience(JSON.stringify(input.audience ?? {}))),
      settings: JSON.stringify({ ...DEFAULT_SETTINGS, ...input.settings }),
      scheduled_at: null,
      created_by: actor.label,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return getCampaign(deps, actor, row.id);
}

export async function updateCampaign(deps: AppDeps, actor: Actor, id: number, input: CampaignInput): Promise<CampaignView & { notice?: string }> {
  const current = await getCampaign(deps, actor, id);
  // A recurring or triggered campaign is changed while paused: its next runs use the change.
  const pausedStanding = current.status === 'paused' && !campaignFollowsDelivery(current.kind);
  if (!canCampaign('edit', current.status) && !pausedStanding) {
    throw new AppError(
      'invalid_state',
      `campaign ${id} is ${current.status}; only draft or scheduled campaigns can be edited${campaignFollowsDelivery(current.kind) ? '' : ' (pause a recurring or triggered campaign to edit it)'}`,
      'status',
    );
  }
  const channel = input.channel ?? (current.channel as CampaignInput['channel']);
  const checked = await validateCampaignInput(deps, actor, { ...input, channel });
  const audience = { ...parseAudience(JSON.stringify(current.audience)), ...input.audience };
  const settings = { ...parseSettings(JSON.stringify(current.settings)), ...input.settings };
  if (current.kind === 'triggered' && audience.list_ids.length) throw listsOnTriggeredCampaign(id, audience.list_ids);
  // Under the approval rule an approved, scheduled campaign that is edited is no longer what was
  // approved: it goes back to draft (its not yet prepared run is removed) and must be launched and
  // approved again.
  const revoke = (current.status === 'scheduled' || pausedStanding) && (await loadApprovalSettings(deps, actor.accountId)).required;
  const now = deps.clock.now().toISOString();
  await deps.store.db.transaction().execute(async (trx) => {
    if (revoke) {
      await trx.deleteFrom('deliveries').where('campaign_id', '=', id).where('status', 'in', ['scheduled', 'awaiting_confirmation']).where('prepared_at', 'is', null).execute();
      await trx.updateTable('campaigns').set({ status: 'draft', scheduled_at: null }).where('id', '=', id).where('status', '=', current.status).execute();
      // Runs of a paused recurring/triggered campaign that had started were for the approved
      // version: they end here, the rest of their recipients cancelled with the reason.
      const started = await trx.selectFrom('deliveries').select('id').where('campaign_id', '=', id).where('status', '=', 'paused').execute();
      for (const run of started) {
        await trx
          .updateTable('deliveries')
          .set({ status: 'cancelled', status_reason: 'the campaign was edited after its approval', finished_at: now, updated_at: now })
          .where('id', '=', run.id)
          .execute();
        await cancelOpenMessages(trx, { deliveryId: run.id, now });
      }
      await recordAudit({ trx, now }, actor, 'campaign.approval_revoked', `campaign:${id}`, { reason: 'edited after approval' });
    }
    await trx
    .updateTable('campaigns')
    .set({
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.channel !== undefined ? { channel: input.channel } : {}),
      ...(input.template_id !== undefined ? { template_id: input.template_id } : {}),
      ...(checked.from_email !== undefined ? { from_email: checked.from_email } : {}),
      ...(input.from_name !== undefined ? { from_name: input.from_name } : {}),
      ...(checked.reply_to !== undefined ? { reply_to: checked.reply_to } : {}),
      audience: JSON.stringify(audience),
      settings: JSON.stringify(settings),
      updated_at: now,
    })
    .where('id', '=', id)
    .where('account_id', '=', actor.accountId)
    .execute();
  });
  const view = await getCampaign(deps, actor, id);
  return revoke ? { ...view, notice: 'the campaign was edited after its approval: it is a draft again; launch it to ask for approval' } : view;
}

export async function deleteCampaign(deps: AppDeps, actor: Actor, id: number): Promise<void> {
  const current = await getCampaign(deps, actor, id);
  if (current.status !== 'draft') {
    throw new AppError('invalid_state', `campaign ${id} is ${current.status}; only drafts can be deleted (its ledger is kept)`, 'status');
  }
  await deps.store.db.deleteFrom('campaigns').where('id', '=', id).where('account_id', '=', actor.accountId).execute();
}
