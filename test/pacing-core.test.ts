// Pure pacing tables: quiet hours across zones, midnight and DST nights, the ramp, warm-up and
// complaint maths, the finish projection, policy validation and the CLI flag parsing.
import { describe, expect, it } from 'vitest';
import { policyPatchFromOptions } from '../src/cli/commands/policy.ts';
import { adaptFactor, effectiveDailyLimit, warmupCap } from '../src/core/pacing/daily-limit.ts';
import { throttleFor } from '../src/core/pacing/default-domain-throttles.ts';
import { effectiveQuietHours } from '../src/core/pacing/effective-quiet-hours.ts';
import { localDay } from '../src/core/pacing/local-day.ts';
import { DEFAULT_PACING_POLICY, mergePacingPolicy, resolvePacingPolicy, validatePacingPolicy } from '../src/core/pacing/pacing-policy.ts';
import { projectFinish } from '../src/core/pacing/project-finish.ts';
import { quietHoursEnd, rampedStart } from '../src/core/pacing/quiet-hours.ts';

const NIGHT = { start: '21:00', end: '09:00' };
const EARLY = { start: '01:00', end: '05:00' };
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('quietHoursEnd', () => {
  it.each([
    // zone, window, now (UTC), expected end (UTC) or null
    ['Europe/Berlin', NIGHT, '2026-03-02T20:30:00.000Z', '2026-03-03T08:00:00.000Z'], // 21:30 CET → 09:00 next day
    ['Europe/Berlin', NIGHT, '2026-03-03T07:59:00.000Z', '2026-03-03T08:00:00.000Z'], // 08:59 → 09:00 today
    ['Europe/Berlin', NIGHT, '2026-03-03T08:00:00.000Z', null], // 09:00 sharp: the window is over
    ['Europe/Berlin', NIGHT, '2026-03-02T19:59:00.000Z', null], // 20:59: not yet
    ['Europe/Berlin', NIGHT, '2026-03-02T20:00:00.000Z', '2026-03-03T08:00:00.000Z'], // 21:00 sharp: quiet
    ['America/New_York', NIGHT, '2026-03-02T20:30:00.000Z', null], // same instant, 15:30 in New York
    ['Asia/Tokyo', NIGHT, '2026-03-02T20:30:00.000Z', '2026-03-03T00:00:00.000Z'], // 05:30 JST → 09:00 JST
    ['Europe/Berlin', EARLY, '2026-03-02T23:30:00.000Z', null], // 00:30: before a window that does not span midnight
    ['Europe/Berlin', EARLY, '2026-03-03T02:00:00.000Z', '2026-03-03T04:00:00.000Z'], // 03:00 → 05:00
    ['Europe/Berlin', EARLY, '2026-03-03T04:00:00.000Z', null], // 05:00
    ['Europe/Berlin', EARLY, '2026-03-03T20:30:00.000Z', null], // 21:30
    // DST night in Berlin (2026-03-29, 02:00 CET → 03:00 CEST): 21:30 CET → 09:00 CEST = 07:00Z, not 08:00Z
    ['Europe/Berlin', NIGHT, '2026-03-28T20:30:00.000Z', '2026-03-29T07:00:00.000Z'],
    // the short window on the same night lasts 3 real hours: 01:30 CET → 05:00 CEST
    ['Europe/Berlin', EARLY, '2026-03-29T00:30:00.000Z', '2026-03-29T03:00:00.000Z'],
    // New York springs forward on 2026-03-08: 22:00 EST → 09:00 EDT = 13:00Z
    ['America/New_York', NIGHT, '2026-03-08T03:00:00.000Z', '2026-03-08T13:00:00.000Z'],
    // and falls back on 2026-11-01: 23:00 EDT → 09:00 EST = 14:00Z
    ['America/New_York', NIGHT, '2026-11-01T03:00:00.000Z', '2026-11-01T14:00:00.000Z'],
    // Berlin falls back on 2026-10-25: at 02:30 the second time (CET) it is still quiet until 09:00 CET
    ['Europe/Berlin', NIGHT, '2026-10-25T01:30:00.000Z', '2026-10-25T08:00:00.000Z'],
  ])('%s %o at %s → %s', (zone, window, now, expected) => {
    expect(iso(quietHoursEnd(new Date(now), zone, window))).toBe(expected);
  });

  it('rejects a window whose start equals its end, naming the field', () => {
    const problems = validatePacingPolicy(mergePacingPolicy(DEFAULT_PACING_POLICY, { quiet_hours: { start: '09:00', end: '09:00' } }));
    expect(problems).toEqual([{ field: 'quiet_hours.start', message: expect.stringMatching(/impossible window/) }]);
  });
});

describe('rampedStart', () => {
  const end = new Date('2026-03-03T08:00:00.000Z');

  it('spreads consecutive message ids evenly over the ramp, the same way every time', () => {
    const buckets = new Array(10).fill(0);
    for (let id = 1; id <= 600; id++) {
      const at = rampedStart(end, 60, id).getTime() - end.getTime();
      expect(at).toBeGreaterThanOrEqual(0);
      expect(at).toBeLessThan(60 * 60_000);
      buckets[Math.floor(at / (6 * 60_000))]++;
    }
    // 60 per six-minute bucket if perfectly even; Fibonacci hashing stays close.
    for (const b of buckets) {
      expect(b).toBeGreaterThanOrEqual(55);
      expect(b).toBeLessThanOrEqual(65);
    }
    expect(rampedStart(end, 60, 4242)).toEqual(rampedStart(end, 60, 4242));
  });

  it('sends at the end of the window when there is no ramp', () => {
    expect(rampedStart(end, 0, 7)).toEqual(end);
  });
});

describe('effectiveQuietHours', () => {
  const policy = DEFAULT_PACING_POLICY;
  it('applies to automated campaigns, and to one-off campaigns only when asked', () => {
    expect(effectiveQuietHours(policy, '{}', 'automated')).toEqual({ start: '21:00', end: '09:00', ramp_minutes: 60 });
    expect(effectiveQuietHours(policy, '{}', 'one-off')).toBeNull();
    expect(effectiveQuietHours({ ...policy, quiet_hours: { ...policy.quiet_hours, apply_to_one_off: true } }, '{}', 'one-off')).not.toBeNull();
    expect(effectiveQuietHours({ ...policy, quiet_hours: { ...policy.quiet_hours, enabled: false } }, '{}', 'automated')).toBeNull();
  });

  it("lets a campaign override the account's window key by key, and ignores an invalid override", () => {
    expect(effectiveQuietHours(policy, JSON.stringify({ quiet_hours: { start: '22:30' } }), 'automated')?.start).toBe('22:30');
    expect(effectiveQuietHours(policy, JSON.stringify({ quiet_hours: { apply_to_one_off: true, ramp_minutes: 0 } }), 'one-off')).toEqual({ start: '21:00', end: '09:00', ramp_minutes: 0 });
    expect(effectiveQuietHours(policy, JSON.stringify({ quiet_hours: { enabled: false } }), 'automated')).toBeNull();
    expect(effectiveQuietHours(policy, JSON.stringify({ quiet_hours: { start: '25:00' } }), 'automated')?.start).toBe('21:00');
    expect(effectiveQuietHours(policy, JSON.stringify({ quiet_hours: { start: '09:00' } }), 'automated')?.start).toBe('21:00');
  });
});

describe('warm-up and complaint adaptation', () => {
  const warmup = { enabled: true, start_per_day: 50, growth_factor: 1.5, started_at: '2026-03-01T10:00:00.000Z' };
  const adaptive = DEFAULT_PACING_POLICY.complaint_adaptive;
  const clean = { sent7d: 10_000, complaints7d: 0 };
  const hold = { factor: 1, state: 'hold' as const, counts: clean, policy: adaptive };

  it.each([
    ['2026-03-01T10:00:00.000Z', 0, 50],
    ['2026-03-02T09:59:59.000Z', 0, 50],
    ['2026-03-02T10:00:00.000Z', 1, 75],
    ['2026-03-04T10:00:00.000Z', 3, 168], // 50 × 1.5³ = 168.75
    ['2026-03-11T10:00:00.000Z', 10, 2883],
  ])('warm-up at %s is day %i with %i per day', (now, day, cap) => {
    expect(warmupCap(warmup, new Date(now))).toEqual({ day, cap });
  });

  it('takes the lower of warm-up and the configured limit, and says which', () => {
    const early = effectiveDailyLimit({ configured: 1000, warmup, adaptation: hold, now: new Date('2026-03-04T10:00:00.000Z') });
    expect(early).toMatchObject({ limit: 168, stopped: false });
    expect(early.explanation.join('; ')).toMatch(/warm-up day 3: 50 × 1.5\^3 = 168/);
    const late = effectiveDailyLimit({ configured: 1000, warmup, adaptation: hold, now: new Date('2026-03-11T10:00:00.000Z') });
    expect(late.limit).toBe(1000);
    expect(late.explanation.join('; ')).toMatch(/warm-up is complete/);
    expect(effectiveDailyLimit({ configured: null, warmup, adaptation: hold, now: new Date('2026-03-02T10:00:00.000Z') }).limit).toBe(75);
    expect(effectiveDailyLimit({ configured: null, warmup: DEFAULT_PACING_POLICY.warmup, adaptation: hold, now: new Date() }).limit).toBeNull();
  });

  it.each([
    // previous factor, sent7d, complaints7d → factor, state
    [null, 10_000, 0, 1, 'hold'],
    [0.5, 10_000, 0, 0.55, 'grow'], // < 0.1 %: grows back by 10 %
    [0.95, 10_000, 5, 1, 'grow'], // grows back, never above the configured limit
    [1, 10_000, 10, 1, 'hold'], // exactly 0.1 %
    [1, 10_000, 20, 0.9, 'shrink'], // 0.2 %
    [0.1, 10_000, 20, 0.1, 'shrink'], // never shrinks below one step
    [0.8, 10_000, 30, 0.8, 'stop'], // 0.3 %: stop
    [1, 0, 0, 1, 'hold'], // nothing sent: no rate
  ])('adaptFactor(%s, %i sent, %i complaints) → %s %s', (prev, sent7d, complaints7d, factor, state) => {
    expect(adaptFactor(prev, { sent7d, complaints7d }, adaptive)).toEqual({ factor, state });
  });

  it('shrinks the limit by the factor and stops sending with a clear sentence', () => {
    const counts = { sent7d: 10_000, complaints7d: 20 };
    const shrunk = effectiveDailyLimit({ configured: 1000, warmup: DEFAULT_PACING_POLICY.warmup, adaptation: { factor: 0.9, state: 'shrink', counts, policy: adaptive }, now: new Date() });
    expect(shrunk.limit).toBe(900);
    expect(shrunk.explanation[1]).toBe('complaint rate 0.2 % over 7 days (20 of 10000) is above 0.1 %: shrunk; the limit is 90 % of 1000 = 900');
    const stopped = effectiveDailyLimit({
      configured: 1000,
      warmup: DEFAULT_PACING_POLICY.warmup,
      adaptation: { factor: 0.9, state: 'stop', counts: { sent7d: 10_000, complaints7d: 40 }, policy: adaptive },
      now: new Date(),
    });
    expect(stopped).toMatchObject({ limit: 0, stopped: true });
    expect(stopped.explanation.at(-1)).toBe('complaint rate 0.4 % over 7 days is at or above 0.3 %: sending stopped');
  });
});

describe('projectFinish', () => {
  const base = { dailyRemaining: null, dailyLimit: null, zone: 'UTC', quietWindow: null };
  const now = new Date('2026-03-02T10:00:00.000Z');

  it('goes at the current rate when nothing holds it', () => {
    expect(iso(projectFinish({ ...base, toSend: 1000, sentLastHour: 600, now }))).toBe('2026-03-02T11:40:00.000Z');
    expect(projectFinish({ ...base, toSend: 0, sentLastHour: 0, now })).toEqual(now);
    expect(projectFinish({ ...base, toSend: 10, sentLastHour: 0, now })).toBeNull();
  });

  it("carries what does not fit today over to the following days at the account's midnight", () => {
    // 100 per minute; 500 left today, 1000 a day after: 500 now, 1000 tomorrow, 1000 the day after.
    const p = { ...base, toSend: 2500, sentLastHour: 6000, dailyRemaining: 500, dailyLimit: 1000, now };
    expect(iso(projectFinish(p))).toBe('2026-03-04T00:10:00.000Z');
    expect(iso(projectFinish({ ...p, zone: 'Europe/Berlin' }))).toBe('2026-03-03T23:10:00.000Z');
    expect(projectFinish({ ...p, dailyRemaining: 0, dailyLimit: 0 })).toBeNull();
  });

  it('pauses over quiet hours', () => {
    // 20:30 in Berlin, 100 per minute: 3000 before 21:00, the other 3000 from 09:00.
    const p = { ...base, toSend: 6000, sentLastHour: 6000, zone: 'Europe/Berlin', quietWindow: NIGHT, now: new Date('2026-03-02T19:30:00.000Z') };
    expect(iso(projectFinish(p))).toBe('2026-03-03T08:30:00.000Z');
  });
});

describe('pacing policy', () => {
  it('fills in defaults and keeps what the account set', () => {
    const { policy, problems } = resolvePacingPolicy({ daily_limit: { email: 1000 }, domain_throttles: { 'gmail.com': { per_minute: 100 } } });
    expect(problems).toEqual([]);
    expect(policy.daily_limit).toEqual({ email: 1000 });
    expect(policy.quiet_hours.start).toBe('21:00');
    expect(throttleFor('Gmail.com', policy.domain_throttles)).toBe(100);
    expect(throttleFor('web.de', policy.domain_throttles)).toBe(150);
    expect(throttleFor('example.org', policy.domain_throttles)).toBeNull();
  });

  it.each([
    [{ daily_limit: { email: -1 } }, 'daily_limit.email'],
    [{ daily_limit: { fax: 10 } }, 'daily_limit.fax'],
    [{ timezone: 'Mars/Olympus' }, 'timezone'],
    [{ quiet_hours: { start: '9:00' } }, 'quiet_hours.start'],
    [{ quiet_hours: { ramp_minutes: -5 } }, 'quiet_hours.ramp_minutes'],
    [{ quiet_hours: { colour: 'blue' } }, 'quiet_hours.colour'],
    [{ domain_throttles: { 'not a domain': { per_minute: 5 } } }, 'domain_throttles.not a domain'],
    [{ domain_throttles: { 'gmail.com': { per_minute: 0 } } }, 'domain_throttles.gmail.com.per_minute'],
    [{ frequency_cap: { max_messages: 3 } }, 'frequency_cap.per_days'],
    [{ warmup: { growth_factor: 0.5 } }, 'warmup.growth_factor'],
    [{ complaint_adaptive: { stop_at: 0.0005 } }, 'complaint_adaptive.shrink_above'],
    [{ budget: 5 }, 'budget'],
  ])('%o is refused at %s', (patch, field) => {
    expect(validatePacingPolicy(mergePacingPolicy(DEFAULT_PACING_POLICY, patch))[0]?.field).toBe(field);
  });

  it('has day boundaries at local midnight', () => {
    expect(localDay(new Date('2026-03-02T23:30:00.000Z'), 'Europe/Berlin')).toEqual({
      date: '2026-03-03',
      start: new Date('2026-03-02T23:00:00.000Z'),
      next: new Date('2026-03-03T23:00:00.000Z'),
    });
    // the DST day is 23 hours long
    const dst = localDay(new Date('2026-03-29T12:00:00.000Z'), 'Europe/Berlin');
    expect(dst.next.getTime() - dst.start.getTime()).toBe(23 * 3_600_000);
  });
});

describe('herald policy set flags', () => {
  it('turns flags into a partial policy', () => {
    expect(
      policyPatchFromOptions({ quietHours: '21:00-09:00', timezone: 'Europe/Berlin', dailyLimit: ['email=1000'], throttle: ['gmail.com=600', '*=unlimited', 'gmx.de=default'], frequencyCap: '3/7' }),
    ).toEqual({
      quiet_hours: { enabled: true, start: '21:00', end: '09:00' },
      timezone: 'Europe/Berlin',
      daily_limit: { email: 1000 },
      domain_throttles: { 'gmail.com': { per_minute: 600 }, '*': { per_minute: null }, 'gmx.de': null },
      frequency_cap: { max_messages: 3, per_days: 7 },
    });
    expect(() => policyPatchFromOptions({ quietHours: '9-21' })).toThrow(/--quiet-hours/);
    expect(() => policyPatchFromOptions({ frequencyCap: 'often' })).toThrow(/--frequency-cap/);
    expect(() => policyPatchFromOptions({ dailyLimit: ['email'] })).toThrow(/key=value/);
  });
});
