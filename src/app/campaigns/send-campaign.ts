// Launch: a campaign is sent now or scheduled for a time. Either way a delivery (one run of the
// campaign, with its own ledger) is created in `scheduled`; a worker claims it when it is due,
// prepares the ledger and sends. The checks here are the minimal launch conditions; refused
// launches name every missing item at once.
import { canCampaign, allowedFrom } from '../../core/campaign-lifecycle.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { compileTemplate } from '../templates/compile-template.ts';
import { toTemplateSource } from '../templates/template-view.ts';
import { parseAudience } from './campaign-input.ts';
import { type CampaignView, getCampaign, loadCampaignRow } from './read-campaigns.ts';

export interface LaunchProblem {
  field: string;
  message: string;
}

export async function sendCampaign(deps: AppDeps, actor: Actor, id: number, options: { at?: string | null } = {}): Promise<CampaignView> {
  const campaign = await loadCampaignRow(deps, actor, id);
  const now = deps.clock.now();
  let at = now;
  if (options.at) {
    at = new Date(options.at);
    if (Number.isNaN(at.getTime())) throw new AppError('invalid_input', `at: "${options.at}" is not an ISO 8601 time`, 'at');
  }
  const scheduling = at.getTime() > now.getTime();
  if (!canCampaign(scheduling ? 'schedule' : 'send', campaign.status)) {
    throw new AppError(
      'invalid_state',
      `campaign ${id} is ${campaign.status}; it can be sent from ${allowedFrom('send').join(' or ')}`,
      'status',
    );
  }

  const problems: LaunchProblem[] = [];
  if (!campaign.template_id) problems.push({ field: 'template_id', message: 'assign a template' });
  if (!campaign.from_email) problems.push({ field: 'from_email', message: 'set a sender address' });
  if (parseAudience(campaign.audience).list_ids.length === 0) problems.push({ field: 'audience.list_ids', message: 'choose at least one list' });
  if (campaign.template_id) {
    const t = await deps.store.db.selectFrom('templates').select(['format', 'subject', 'body', 'compiled_html']).where('id', '=', campaign.template_id).executeTakeFirst();
    if (t) {
      try {
        await compileTemplate(toTemplateSource(t));
      } catch (err) {
        problems.push({ field: 'template_id', message: `the template does not compile: ${(err as Error).message}` });
      }
    }
  }
  if (problems.length) {
    throw new AppError(
      'preflight_failed',
      `campaign ${id} cannot be launched: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
      problems[0].field,
      { problems },
    );
  }

  const nowIso = now.toISOString();
  await deps.store.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('deliveries')
      .select('id')
      .where('campaign_id', '=', id)
      .where('status', '=', 'scheduled')
      .executeTakeFirst();
    if (existing) {
      await trx.updateTable('deliveries').set({ scheduled_at: at.toISOString(), updated_at: nowIso }).where('id', '=', existing.id).execute();
    } else {
      await trx
        .insertInto('deliveries')
        .values({
          account_id: actor.accountId,
          campaign_id: id,
          status: 'scheduled',
          scheduled_at: at.toISOString(),
          prepared_at: null,
          started_at: null,
          finished_at: null,
          status_reason: null,
          created_at: nowIso,
          updated_at: nowIso,
        })
        .execute();
    }
    await trx
      .updateTable('campaigns')
      .set({ status: scheduling ? 'scheduled' : 'sending', scheduled_at: at.toISOString(), updated_at: nowIso })
      .where('id', '=', id)
      .where('account_id', '=', actor.accountId)
      .execute();
  });
  return getCampaign(deps, actor, id);
}
