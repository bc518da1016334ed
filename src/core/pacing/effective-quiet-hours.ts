// Which quiet window a campaign's messages respect: the account's, overridden key by key by the
// campaign's settings "quiet_hours"; automated campaigns always respect it, one-off campaigns only
// when apply_to_one_off is set (a one-off is usually sent by a person who chose the time). A
// one-off message (kind 'message', F0.8) counts as one-off; a transactional one (a receipt, a login
// link someone is waiting for) ignores quiet hours.
import { type PacingPolicy, type QuietHours, validateQuietHoursFields } from './pacing-policy.ts';
import type { QuietWindow } from './quiet-hours.ts';

export interface EffectiveQuietHours extends QuietWindow {
  ramp_minutes: number;
}

/**
 * The window to apply, or null when quiet hours do not apply to this campaign. A stored campaign
 * override that does not validate is ignored as a whole (the account's window holds), rather than
 * stopping the delivery; the campaign editor validates it on write with validateQuietHoursFields.
 */
export function effectiveQuietHours(accountPolicy: PacingPolicy, campaignSettingsJson: string | null, campaignKind: string): EffectiveQuietHours | null {
  let override: Partial<QuietHours> = {};
  let transactional = false;
  if (campaignSettingsJson) {
    try {
      const settings = JSON.parse(campaignSettingsJson) as { quiet_hours?: unknown; transactional?: unknown };
      transactional = settings.transactional === true;
      const raw = settings.quiet_hours;
      if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
        const merged = { ...accountPolicy.quiet_hours, ...raw };
        if (validateQuietHoursFields(merged, 'quiet_hours').length === 0) override = raw as Partial<QuietHours>;
      }
    } catch {
      // Unparseable settings are the campaign editor's problem; the account's window holds.
    }
  }
  const q: QuietHours = { ...accountPolicy.quiet_hours, ...override };
  if (!q.enabled) return null;
  if (campaignKind === 'message' && transactional) return null;
  if ((campaignKind === 'one-off' || campaignKind === 'message') && !q.apply_to_one_off) return null;
  return { start: q.start, end: q.end, ramp_minutes: q.ramp_minutes };
}
