// The pre-flight checklist of a campaign (F3.1, F3.2, F4.1): computed before launch, each item ok,
// warning or blocking, with a hint that says how to fix it. A launch with a blocking item is
// refused with this checklist. The dashboard shows blocking items as red panels and warnings as
// yellow ones.
import type { Channel } from '../../core/channels.ts';
import { effectiveQuietHours } from '../../core/pacing/effective-quiet-hours.ts';
import { quietHoursEnd } from '../../core/pacing/quiet-hours.ts';
import { lintEmailHtml } from '../../core/template-lint.ts';
import { loadPacingPolicy } from '../pacing/account-policy.ts';
import { type AccountProfile, getAccountProfile } from '../accounts/account-profile.ts';
import { parseAudience } from '../campaigns/campaign-input.ts';
import { loadCampaignRow } from '../campaigns/read-campaigns.ts';
import { audienceScope } from '../deliveries/audience-facts.ts';
import { planAudience } from '../deliveries/plan-audience.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { dkimKeyFor } from '../sender-domains/dkim-key-for.ts';
import { compileTemplate } from '../templates/compile-template.ts';
import { personalLinkSigner } from '../templates/personal-link-filter.ts';
import { renderContextFor } from '../templates/render-context.ts';
import { toTemplateSource } from '../templates/template-view.ts';
import { diagnoseCampaign } from './diagnose-campaign.ts';
import { triggerAudienceItem } from '../triggers/trigger-preflight.ts';

export type CheckStatus = 'ok' | 'warning' | 'blocking';

export interface CheckItem {
  id: 'billing' | 'company_profile' | 'sender' | 'template' | 'unsubscribe_link' | 'content' | 'audience' | 'budget' | 'schedule';
  status: CheckStatus;
  title: string;
  detail: string;
  /** How to fix it: a sentence, the API call and the CLI command. */
  fix: { hint: string; api?: string; cli?: string } | null;
}

export interface Preflight {
  campaign_id: number;
  ready: boolean;
  blocking: number;
  warnings: number;
  items: CheckItem[];
}

export async function preflightCampaign(deps: AppDeps, actor: Actor, campaignId: number, options: { at?: Date } = {}): Promise<Preflight> {
  const campaign = await loadCampaignRow(deps, actor, campaignId);
  const audience = parseAudience(campaign.audience);
  const account = await getAccountProfile(deps, actor);
  const items: CheckItem[] = [];
  const { db } = deps.store;

  items.push(billingItem(account), companyProfileItem(account));
  items.push(
    await senderItem(deps, actor.accountId, campaign.from_email, {
      hint: 'set the sender address',
      api: `PATCH /api/v1/campaigns/${campaignId} {"from_email"}`,
      cli: `herald campaigns update ${campaignId} --from news@your-domain`,
    }),
  );

  const template = campaign.template_id
    ? await db.selectFrom('templates').selectAll().where('id', '=', campaign.template_id).where('account_id', '=', actor.accountId).executeTakeFirst()
    : undefined;
  if (!template) {
    items.push({ id: 'template', status: 'blocking', title: 'Template', detail: 'no template assigned', fix: { hint: 'assign a template', api: `PATCH /api/v1/campaigns/${campaignId} {"template_id"}`, cli: `herald campaigns update ${campaignId} --template <id>` } });
  } else {
    try {
      const compiled = await compileTemplate(toTemplateSource(template));
      const personalLinks = personalLinkSigner(deps.config.secret, actor.accountId, deps.clock.now());
      // Render for a few real recipients: a template can compile and still fail on their data.
      const samples = audience.list_ids.length
        ? await db
            .selectFrom('contacts')
            .selectAll()
            .where('account_id', '=', actor.accountId)
            .where('id', 'in', db.selectFrom('subscriptions').select('contact_id').where('list_id', 'in', audience.list_ids).where('status', '=', 'subscribed'))
            .orderBy('id')
            .limit(3)
            .execute()
        : [];
      for (const c of samples) {
        await compiled.render(renderContextFor(c, { campaign: { id: campaign.id, name: campaign.name }, account: { id: actor.accountId, name: account.profile.company_name ?? '' }, unsubscribeUrl: 'https://example.invalid/u/x', personalLinks }));
      }
      items.push({ id: 'template', status: 'ok', title: 'Template', detail: `"${template.name}" compiles and renders for ${samples.length} sample recipient(s)`, fix: null });
      const warnings = lintEmailHtml(compiled.htmlSource, { format: template.format as 'mjml' | 'html', body: template.body });
      const unsub = warnings.find((w) => w.code === 'no_unsubscribe_link');
      items.push(
        unsub
          ? { id: 'unsubscribe_link', status: 'blocking', title: 'Unsubscribe link', detail: unsub.message, fix: { hint: unsub.hint, cli: `herald templates update ${template.id} --file …` } }
          : { id: 'unsubscribe_link', status: 'ok', title: 'Unsubscribe link', detail: 'the template links {{ unsubscribe_url }}; every message also carries one-click List-Unsubscribe headers', fix: null },
      );
      const other = warnings.filter((w) => w.code !== 'no_unsubscribe_link');
      items.push(
        other.length
          ? { id: 'content', status: 'warning', title: 'Content', detail: other.map((w) => w.message).join('; '), fix: { hint: other.map((w) => w.hint).join('; ') } }
          : { id: 'content', status: 'ok', title: 'Content', detail: 'no lint warnings', fix: null },
      );
    } catch (err) {
      items.push({ id: 'template', status: 'blocking', title: 'Template', detail: `"${template.name}" does not render: ${(err as Error).message}`, fix: { hint: 'fix the template', cli: `herald templates preview ${template.id}` } });
    }
  }

  if (campaign.kind === 'triggered') {
    // No lists: each event names its recipients (src/app/triggers/trigger-preflight.ts).
    items.push(await triggerAudienceItem(deps, actor, campaignId));
  } else if (audience.list_ids.length === 0) {
    items.push({ id: 'audience', status: 'blocking', title: 'Audience', detail: 'no list chosen', fix: { hint: 'choose at least one list', api: `PATCH /api/v1/campaigns/${campaignId} {"audience":{"list_ids":[…]}}`, cli: `herald campaigns update ${campaignId} --lists <ids>` } });
  } else {
    const scope = await audienceScope(deps, actor.accountId, campaign.channel as Channel, audience);
    let reachable = 0;
    // Stop at the first page that has someone to send to: the full funnel is only needed for a zero.
    await planAudience(deps, scope, async (page) => {
      reachable += page.filter((m) => m.decision.kind !== 'skip').length;
      return reachable > 0 ? 'stop' : undefined;
    });
    if (reachable > 0) {
      items.push({ id: 'audience', status: 'ok', title: 'Audience', detail: 'the audience has recipients after every rule (see the diagnosis for the funnel)', fix: null });
    } else {
      const diagnosis = await diagnoseCampaign(deps, actor, campaignId);
      items.push({ id: 'audience', status: 'blocking', title: 'Audience', detail: diagnosis.summary, fix: { hint: 'import or subscribe contacts, or change the lists and exclusions', api: `GET /api/v1/campaigns/${campaignId}/diagnosis`, cli: `herald campaigns diagnose ${campaignId}` } });
    }
  }

  items.push({ id: 'budget', status: 'ok', title: 'Budget', detail: campaign.channel === 'email' ? 'email is not paid per message; no budget needed' : 'no budget rule for this channel yet', fix: null });

  const at = options.at ?? (campaign.scheduled_at ? new Date(campaign.scheduled_at) : null);
  const policy = await loadPacingPolicy(deps, actor.accountId);
  const quiet = effectiveQuietHours(policy, campaign.settings, campaign.kind);
  const start = at && at.getTime() > deps.clock.now().getTime() ? at : deps.clock.now();
  const quietEnd = quiet ? quietHoursEnd(start, policy.timezone, quiet) : null;
  if (at && at.getTime() < deps.clock.now().getTime() - 60_000 && campaign.status !== 'scheduled') {
    items.push({ id: 'schedule', status: 'warning', title: 'Schedule', detail: `${at.toISOString()} is in the past: it sends at once`, fix: { hint: 'choose a time in the future, or send now' } });
  } else if (quiet && quietEnd) {
    items.push({
      id: 'schedule',
      status: 'warning',
      title: 'Schedule',
      detail: `${at ? `sends at ${start.toISOString()}` : 'sends now'}, inside quiet hours ${quiet.start}–${quiet.end} (${policy.timezone}): messages wait until the window ends in each recipient's time zone (here ${quietEnd.toISOString()})`,
      fix: { hint: `schedule it after ${quiet.end}`, api: `POST /api/v1/campaigns/${campaignId}/send {"at": "…"}`, cli: `herald campaigns send ${campaignId} --at <time>` },
    });
  } else {
    items.push({ id: 'schedule', status: 'ok', title: 'Schedule', detail: at ? `sends at ${at.toISOString()}` : 'sends as soon as it is launched', fix: null });
  }

  const blocking = items.filter((i) => i.status === 'blocking').length;
  return { campaign_id: campaignId, ready: blocking === 0, blocking, warnings: items.filter((i) => i.status === 'warning').length, items };
}

// The account and sender items stand alone so that a launch that is not a campaign's (a one-off
// message, src/app/messages/send-message.ts) applies the same blockers with the same words.

export function billingItem(account: AccountProfile): CheckItem {
  return account.billing.verified
    ? { id: 'billing', status: 'ok', title: 'Billing', detail: 'the payment account is verified (self-hosted: no payment needed)', fix: null }
    : {
        id: 'billing',
        status: 'blocking',
        title: 'Billing',
        detail: 'the payment account is not verified, so sending is blocked',
        fix: { hint: 'verify the payment account', api: 'PUT /api/v1/account/profile {"billing_verified": true}', cli: 'herald account profile --billing-verified' },
      };
}

export function companyProfileItem(account: AccountProfile): CheckItem {
  const p = account.profile;
  const missing = [!p.company_name && 'company name', !p.phone && 'phone', !p.postal_address && 'postal address'].filter(Boolean) as string[];
  return missing.length === 0
    ? { id: 'company_profile', status: 'ok', title: 'Company profile', detail: `${p.company_name}, ${p.postal_address}, ${p.phone}`, fix: null }
    : {
        id: 'company_profile',
        status: 'blocking',
        title: 'Company profile',
        detail: `missing: ${missing.join(', ')} (marketing mail must name the sender and a postal address)`,
        fix: {
          hint: 'complete the company profile',
          api: 'PUT /api/v1/account/profile {"company_name","phone","postal_address"}',
          cli: 'herald account profile --company "…" --phone "+49…" --address "…"',
        },
      };
}

/** The sender address and its DKIM key; `missingFix` says where the caller sets the address. */
export async function senderItem(deps: AppDeps, accountId: number, fromEmail: string | null, missingFix: NonNullable<CheckItem['fix']>): Promise<CheckItem> {
  if (!fromEmail) return { id: 'sender', status: 'blocking', title: 'Sender', detail: 'no sender address', fix: missingFix };
  const domain = fromEmail.split('@')[1];
  const dkim = await dkimKeyFor(deps, accountId, fromEmail);
  return dkim
    ? { id: 'sender', status: 'ok', title: 'Sender', detail: `${fromEmail}, DKIM-signed for ${dkim.domainName} (selector ${dkim.keySelector}; publish its DNS record)`, fix: null }
    : {
        id: 'sender',
        status: 'warning',
        title: 'Sender',
        detail: `${fromEmail}: ${domain} has no DKIM key, so mail goes out unsigned and large providers may file it as spam`,
        fix: { hint: `add ${domain} with a DKIM key and publish the DNS record`, api: 'POST /api/v1/sender-domains {"domain","generate_dkim":true}', cli: `herald senders add ${domain} --generate-dkim` },
      };
}
