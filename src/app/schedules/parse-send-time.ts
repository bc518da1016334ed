// A send time as people write it: an ISO time with an offset ("2026-12-01T09:00:00+01:00", "…Z"),
// or a local time without one ("2026-12-01T09:00"), read in the account's time zone (its pacing
// policy's `timezone`). A local time that does not exist (the hour skipped when clocks go forward)
// is refused rather than silently moved; so is a time in the past.
import { DateTime } from 'luxon';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { loadPacingPolicy } from '../pacing/account-policy.ts';

/** A time this little in the past still means "now" (clock skew between a client and Herald). */
export const PAST_TOLERANCE_MS = 60_000;

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/;
const WITH_OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Reads `text` as an instant; a local time is read in `zone`. Throws invalid_input naming `field`. */
export function parseTimeInZone(text: string, zone: string, field: string): Date {
  const value = text.trim();
  const local = LOCAL.exec(value);
  if (local) {
    const [, y, mo, d, h, mi, s] = local.map((v) => (v === undefined ? undefined : Number(v)));
    const dt = DateTime.fromObject({ year: y, month: mo, day: d, hour: h, minute: mi, second: s ?? 0 }, { zone });
    if (!dt.isValid) throw new AppError('invalid_input', `${field}: "${text}" is not a valid time (${dt.invalidExplanation ?? dt.invalidReason})`, field);
    // Luxon moves a time in a DST gap forward; if the wall clock it reads back differs, the time does not exist.
    if (dt.hour !== h || dt.minute !== mi || dt.day !== d) {
      throw new AppError(
        'invalid_input',
        `${field}: ${value} does not exist in ${zone} (the clocks skip that hour for daylight saving time); choose a time outside the gap, e.g. ${dt.toFormat("yyyy-MM-dd'T'HH:mm")}`,
        field,
      );
    }
    return dt.toJSDate();
  }
  if (!WITH_OFFSET.test(value)) {
    throw new AppError('invalid_input', `${field}: "${text}" is not an ISO 8601 time; write "2026-12-01T09:00" (in ${zone}) or with an offset, "2026-12-01T09:00:00+01:00"`, field);
  }
  const dt = DateTime.fromISO(value, { setZone: true });
  if (!dt.isValid) throw new AppError('invalid_input', `${field}: "${text}" is not an ISO 8601 time (${dt.invalidExplanation ?? dt.invalidReason})`, field);
  return dt.toJSDate();
}

/** The account's time zone (its pacing policy's), where local times are read. */
export async function accountTimeZone(deps: AppDeps, actor: Actor): Promise<string> {
  return (await loadPacingPolicy(deps, actor.accountId)).timezone;
}

/** A launch's `at`: an instant not in the past. */
export async function parseSendTime(deps: AppDeps, actor: Actor, text: string, now: Date): Promise<Date> {
  const zone = await accountTimeZone(deps, actor);
  const at = parseTimeInZone(text, zone, 'at');
  if (at.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
    throw new AppError('invalid_input', `at: ${at.toISOString()} ("${text}" in ${zone}) is in the past; leave at out to send now`, 'at');
  }
  return at;
}
