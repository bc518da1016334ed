// Everything a worker needs to send a delivery's messages, loaded and compiled once per delivery
// (not per message): the campaign, its compiled template, the sender and its DKIM key.
import type { Channel } from '../../core/channels.ts';
import type { DkimKey } from '../../transports/email/email-transport.ts';
import { type CampaignAudience, type CampaignSettings, messageKindOf, parseAudience, parseSettings } from '../campaigns/campaign-input.ts';
import { parseRunContext, type RunContext } from '../templates/render-context.ts';
import { trackingEnabled } from '../../core/tracking/tracking-enabled.ts';
import type { AppDeps } from '../deps.ts';
import { type AudienceScope, audienceScope } from './audience-facts.ts';
import { AppError } from '../errors.ts';
import { dkimKeyFor } from '../sender-domains/dkim-key-for.ts';
import { inlineTemplateSource } from '../messages/inline-content.ts';
import { compileTemplate } from '../templates/compile-template.ts';
import { toTemplateSource } from '../templates/template-view.ts';
import type { CompiledTemplate } from '../templates/compiled-template.ts';

export interface DeliveryContext {
  deliveryId: number;
  accountId: number;
  accountName: string;
  campaignId: number;
  campaignName: string;
  channel: Channel;
  /** The run's audience (a trigger's or one-off message's explicit contacts) or the campaign's. */
  audience: CampaignAudience;
  settings: CampaignSettings;
  /** What the template sees of this run: `event` (a trigger's) and `data` (a one-off message's). */
  runContext: RunContext;
  /** campaigns.kind and the raw settings JSON: pacing reads its quiet-hours override from them. */
  campaignKind: string;
  /** Open pixel and click redirects (campaign setting `tracking`, default on). */
  tracking: boolean;
  /** The audience with its segments' rules, loaded once per delivery. */
  scope: AudienceScope;
  settingsJson: string;
  template: CompiledTemplate;
  from: string;
  fromAddress: string;
  replyTo: string | null;
  messageIdDomain: string;
  dkim: DkimKey | null;
}

/** RFC 5322 display name, quoted when it contains anything beyond plain words. */
export function formatAddress(name: string | null, address: string): string {
  if (!name) return address;
  if (/^[\p{L}\p{N} .'-]+$/u.test(name) && !name.includes('.')) return `${name} <${address}>`;
  return `"${name.replace(/(["\\])/g, '\\$1')}" <${address}>`;
}

export async function loadDeliveryContext(deps: AppDeps, deliveryId: number): Promise<DeliveryContext> {
  const row = await deps.store.db
    .selectFrom('deliveries')
    .innerJoin('campaigns', 'campaigns.id', 'deliveries.campaign_id')
    .innerJoin('accounts', 'accounts.id', 'deliveries.account_id')
    .leftJoin('templates', 'templates.id', 'campaigns.template_id')
    .select([
      'deliveries.id as delivery_id',
      'deliveries.account_id',
      'accounts.name as account_name',
      'campaigns.id as campaign_id',
      'campaigns.name as campaign_name',
      'campaigns.channel',
      'campaigns.kind',
      'campaigns.audience',
      'campaigns.settings',
      'campaigns.from_email',
      'campaigns.from_name',
      'campaigns.reply_to',
      'deliveries.audience as run_audience',
      'deliveries.context as run_context',
      'templates.format',
      'templates.subject',
      'templates.body',
      'templates.compiled_html',
    ])
    .where('deliveries.id', '=', deliveryId)
    .executeTakeFirstOrThrow();
  // A one-off message written on the spot carries its content in its settings (messages/inline-content.ts).
  const source =
    row.format && row.subject !== null && row.body !== null
      ? toTemplateSource({ format: row.format, subject: row.subject, body: row.body, compiled_html: row.compiled_html })
      : inlineTemplateSource(row.settings);
  if (!source) throw new AppError('invalid_state', `campaign ${row.campaign_id} has no template`, 'template_id');
  if (!row.from_email) throw new AppError('invalid_state', `campaign ${row.campaign_id} has no sender address`, 'from_email');
  const audience = parseAudience(row.run_audience ?? row.audience);
  const settings = parseSettings(row.settings);
  const template = await compileTemplate(source);
  return {
    deliveryId,
    accountId: row.account_id,
    accountName: row.account_name,
    campaignId: row.campaign_id,
    campaignName: row.campaign_name,
    channel: row.channel as Channel,
    audience,
    settings,
    runContext: parseRunContext(row.run_context),
    campaignKind: row.kind,
    tracking: trackingEnabled(row.settings),
    scope: await audienceScope(deps, row.account_id, row.channel as Channel, audience, messageKindOf(settings)),
    settingsJson: row.settings,
    template,
    from: formatAddress(row.from_name, row.from_email),
    fromAddress: row.from_email,
    replyTo: row.reply_to,
    messageIdDomain: row.from_email.split('@')[1],
    dkim: await dkimKeyFor(deps, row.account_id, row.from_email),
  };
}
