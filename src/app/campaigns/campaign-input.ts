// Validation of what a caller may set on a campaign, shared by create and update. Everything that
// refers to another row (template, lists) is checked inside the caller's account.
import { normalizeEmail } from '../../core/address.ts';
import { CHANNELS, type Channel } from '../../core/channels.ts';
import { UNCERTAIN_POLICIES, type UncertainPolicy } from '../../core/message-status.ts';
import { validateQuietHoursFields } from '../../core/pacing/pacing-policy.ts';
import type { MessageKind } from '../../core/decide-message.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, invalid } from '../errors.ts';
import { requireSegment } from '../segments/find-segment.ts';

export interface CampaignAudience {
  list_ids: number[];
  exclude_list_ids: number[];
  /** Only contacts matching this segment's rules (null: everyone in the lists). */
  segment_id: number | null;
  /** Contacts matching any of these segments are left out. */
  exclude_segment_ids: number[];
  /**
   * Explicit recipients instead of lists: set on a delivery of a trigger firing or a one-off
   * message (deliveries.audience), never by a caller on a campaign. These contacts count as
   * subscribed (they were named by the event or the call); suppressions, exclusions and segment
   * rules still apply.
   */
  contact_ids?: number[] | null;
}

export interface CampaignSettings {
  /** What to do with messages whose hand-off was under way when a worker died (E3). */
  uncertain_policy: UncertainPolicy;
  /** Open pixel and click redirects (default true). */
  tracking?: boolean;
  /** This campaign's quiet hours, over the account's (partial: start, end, enabled, apply_to_one_off, ramp_minutes). */
  quiet_hours?: Record<string, unknown>;
  /** Transactional messages pass marketing suppressions (never a hard bounce or the blocklist). */
  transactional?: boolean;
}

export interface CampaignInput {
  name?: string;
  channel?: Channel;
  template_id?: number | null;
  from_email?: string | null;
  from_name?: string | null;
  reply_to?: string | null;
  audience?: Partial<CampaignAudience>;
  settings?: Partial<CampaignSettings>;
}

export const DEFAULT_SETTINGS: CampaignSettings = { uncertain_policy: 'resend' };

export function parseAudience(json: string): CampaignAudience {
  const a = JSON.parse(json) as Partial<CampaignAudience>;
  const audience: CampaignAudience = { list_ids: a.list_ids ?? [], exclude_list_ids: a.exclude_list_ids ?? [], segment_id: a.segment_id ?? null, exclude_segment_ids: a.exclude_segment_ids ?? [] };
  if (a.contact_ids) audience.contact_ids = a.contact_ids;
  return audience;
}

export function messageKindOf(settings: CampaignSettings): MessageKind {
  return settings.transactional ? 'transactional' : 'marketing';
}

export function parseSettings(json: string): CampaignSettings {
  return { ...DEFAULT_SETTINGS, ...(JSON.parse(json) as Partial<CampaignSettings>) };
}

function optionalEmail(field: string, value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null || value === '') return value === '' ? null : value;
  const r = normalizeEmail(value);
  if (!r.ok) throw invalid(field, `${field}: ${r.reason}`);
  return r.value;
}

/** Checks an input and returns the normalized column values to write. */
export async function validateCampaignInput(deps: AppDeps, actor: Actor, input: CampaignInput) {
  const { db } = deps.store;
  if (input.name !== undefined && input.name.trim() === '') throw invalid('name', 'name must not be empty');
  if (input.channel !== undefined && !CHANNELS.includes(input.channel)) {
    throw invalid('channel', `channel must be one of ${CHANNELS.join(', ')}`);
  }
  if (input.channel !== undefined && input.channel !== 'email') {
    throw invalid('channel', `the ${input.channel} channel has no transport yet; only email campaigns can be sent`);
  }
  if (input.template_id !== undefined && input.template_id !== null) {
    const t = await db
      .selectFrom('templates')
      .select(['id', 'channel'])
      .where('id', '=', input.template_id)
      .where('account_id', '=', actor.accountId)
      .executeTakeFirst();
    if (!t) throw new AppError('not_found', `template ${input.template_id} not found`, 'template_id');
    if (input.channel && t.channel !== input.channel) {
      throw invalid('template_id', `template ${t.id} is for ${t.channel}, the campaign sends ${input.channel}`);
    }
  }
  if (input.audience) {
    const ids = [...(input.audience.list_ids ?? []), ...(input.audience.exclude_list_ids ?? [])];
    if (ids.length > 0) {
      const found = await db
        .selectFrom('lists')
        .select('id')
        .where('account_id', '=', actor.accountId)
        .where('id', 'in', ids)
        .execute();
      const known = new Set(found.map((r) => r.id));
      for (const key of ['list_ids', 'exclude_list_ids'] as const) {
        (input.audience[key] ?? []).forEach((id, i) => {
          if (!known.has(id)) throw new AppError('not_found', `list ${id} not found`, `audience.${key}[${i}]`);
        });
      }
    }
  }
  if (input.audience?.segment_id) await requireSegment(db, actor.accountId, input.audience.segment_id, 'audience.segment_id');
  for (const [i, id] of (input.audience?.exclude_segment_ids ?? []).entries()) {
    await requireSegment(db, actor.accountId, id, `audience.exclude_segment_ids[${i}]`);
  }
  if (input.settings?.quiet_hours !== undefined) {
    const problems = validateQuietHoursFields(input.settings.quiet_hours as Record<string, unknown>, 'settings.quiet_hours');
    if (problems.length) throw invalid(problems[0].field, `${problems[0].field}: ${problems[0].message}`, problems);
  }
  if (input.settings?.uncertain_policy !== undefined && !UNCERTAIN_POLICIES.includes(input.settings.uncertain_policy)) {
    throw invalid('settings.uncertain_policy', `uncertain_policy must be one of ${UNCERTAIN_POLICIES.join(', ')}`);
  }
  return {
    from_email: optionalEmail('from_email', input.from_email),
    reply_to: optionalEmail('reply_to', input.reply_to),
  };
}
