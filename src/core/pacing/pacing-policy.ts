// The pacing part of an account's policy (accounts.settings → "pacing"): what it holds, its
// defaults, and its validation. What is stored is only what the account set; defaults are filled
// in when it is read, so improving a default reaches every account that did not choose otherwise.
import { IANAZone } from 'luxon';
import { CHANNELS, type Channel } from '../channels.ts';
import { DEFAULT_DOMAIN_THROTTLES, type DomainThrottles, OTHER_DOMAINS } from './default-domain-throttles.ts';

export interface QuietHours {
  enabled: boolean;
  /** Local time "HH:mm" in the recipient's zone. */
  start: string;
  end: string;
  /** Automated campaigns always respect quiet hours; one-off campaigns only when this is set. */
  apply_to_one_off: boolean;
  /** The backlog at the window's end is spread over this many minutes (F0.5: "09:00 backlog"). */
  ramp_minutes: number;
}

export interface FrequencyCap {
  max_messages: number;
  per_days: number;
}

export interface Warmup {
  enabled: boolean;
  start_per_day: number;
  growth_factor: number;
  /** ISO time warm-up was switched on; day 0 starts then. */
  started_at: string | null;
}

export interface ComplaintAdaptive {
  enabled: boolean;
  /** 7-day complaint rate below which the limit grows back by `step` per day. */
  grow_below: number;
  /** 7-day complaint rate above which the limit shrinks by `step` per day. */
  shrink_above: number;
  /** 7-day complaint rate at or above which sending stops. */
  stop_at: number;
  step: number;
}

export interface PacingPolicy {
  quiet_hours: QuietHours;
  /** The account's IANA zone: its day boundary, and the recipients' zone when a contact has none. */
  timezone: string;
  /** Per channel; a missing channel or null is unlimited. */
  daily_limit: Partial<Record<Channel, number | null>>;
  domain_throttles: DomainThrottles;
  frequency_cap: FrequencyCap | null;
  warmup: Warmup;
  complaint_adaptive: ComplaintAdaptive;
}

export const DEFAULT_PACING_POLICY: PacingPolicy = {
  quiet_hours: { enabled: true, start: '21:00', end: '09:00', apply_to_one_off: false, ramp_minutes: 60 },
  timezone: 'UTC',
  daily_limit: {},
  domain_throttles: DEFAULT_DOMAIN_THROTTLES,
  frequency_cap: null,
  warmup: { enabled: false, start_per_day: 50, growth_factor: 1.5, started_at: null },
  complaint_adaptive: { enabled: true, grow_below: 0.001, shrink_above: 0.001, stop_at: 0.003, step: 0.1 },
};

export interface PolicyProblem {
  /** Path of the offending field, e.g. "quiet_hours.start". */
  field: string;
  message: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Lays a stored or submitted partial policy over a base: nested objects merge key by key,
 * `daily_limit` by channel, `domain_throttles` by domain; scalars and `frequency_cap` replace.
 * Shapes are not checked here (validatePacingPolicy does that on the result).
 */
export function mergePacingPolicy(base: unknown, patch: unknown): Json {
  const out: Json = isObject(base) ? { ...base } : {};
  if (!isObject(patch)) return out;
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    if (key === 'domain_throttles' && isObject(value) && isObject(current)) {
      const merged: Json = { ...current };
      for (const [domain, t] of Object.entries(value)) merged[domain.toLowerCase()] = t;
      out[key] = merged;
    } else if (key !== 'frequency_cap' && isObject(value) && isObject(current)) {
      out[key] = { ...current, ...value };
    } else {
      out[key] = value;
    }
  }
  return out;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Every problem of a full policy (defaults merged in), each naming its field. */
export function validatePacingPolicy(p: Json): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  const known = (obj: Json, allowed: readonly string[], prefix: string) => {
    for (const k of Object.keys(obj)) if (!allowed.includes(k)) add(`${prefix}${k}`, `unknown field; expected one of ${allowed.join(', ')}`);
  };
  const bool = (obj: Json, key: string, prefix: string) => {
    if (typeof obj[key] !== 'boolean') add(`${prefix}.${key}`, 'must be true or false');
  };
  const num = (obj: Json, key: string, prefix: string, check: (n: number) => boolean, rule: string) => {
    const v = obj[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) add(`${prefix}.${key}`, `must be ${rule}, got ${JSON.stringify(v)}`);
  };
  const section = (key: string): Json | null => {
    if (isObject(p[key])) return p[key] as Json;
    add(key, 'must be an object');
    return null;
  };

  known(p, Object.keys(DEFAULT_PACING_POLICY), '');

  const q = section('quiet_hours');
  if (q) {
    known(q, Object.keys(DEFAULT_PACING_POLICY.quiet_hours), 'quiet_hours.');
    problems.push(...validateQuietHoursFields(q, 'quiet_hours'));
  }

  if (typeof p.timezone !== 'string' || !IANAZone.isValidZone(p.timezone)) {
    add('timezone', `must be an IANA time zone such as "Europe/Berlin", got ${JSON.stringify(p.timezone)}`);
  }

  const limits = section('daily_limit');
  if (limits) {
    for (const [channel, v] of Object.entries(limits)) {
      if (!CHANNELS.includes(channel as Channel)) add(`daily_limit.${channel}`, `unknown channel; expected one of ${CHANNELS.join(', ')}`);
      else if (v !== null && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
        add(`daily_limit.${channel}`, `must be a whole number of messages per day (0 or more) or null for unlimited, got ${JSON.stringify(v)}`);
      }
    }
  }

  const throttles = section('domain_throttles');
  if (throttles) {
    for (const [domain, t] of Object.entries(throttles)) {
      const field = `domain_throttles.${domain}`;
      if (domain !== OTHER_DOMAINS && !DOMAIN.test(domain)) add(field, 'must be a domain name such as "gmail.com" (or "*" for all other domains)');
      else if (!isObject(t)) add(field, 'must be an object { "per_minute": n | null }');
      else {
        known(t, ['per_minute'], `${field}.`);
        const v = t.per_minute;
        if (v !== null && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) {
          add(`${field}.per_minute`, `must be a whole number of messages per minute (1 or more) or null for unlimited, got ${JSON.stringify(v)}`);
        }
      }
    }
  }

  if (p.frequency_cap !== null) {
    const f = section('frequency_cap');
    if (f) {
      known(f, ['max_messages', 'per_days'], 'frequency_cap.');
      num(f, 'max_messages', 'frequency_cap', (n) => Number.isInteger(n) && n >= 1, 'a whole number of 1 or more');
      num(f, 'per_days', 'frequency_cap', (n) => Number.isInteger(n) && n >= 1 && n <= 365, 'a whole number of days from 1 to 365');
    }
  }

  const w = section('warmup');
  if (w) {
    known(w, Object.keys(DEFAULT_PACING_POLICY.warmup), 'warmup.');
    bool(w, 'enabled', 'warmup');
    num(w, 'start_per_day', 'warmup', (n) => Number.isInteger(n) && n >= 1, 'a whole number of 1 or more');
    num(w, 'growth_factor', 'warmup', (n) => n >= 1 && n <= 10, 'a number from 1 to 10');
    if (w.started_at !== null && (typeof w.started_at !== 'string' || Number.isNaN(Date.parse(w.started_at)))) {
      add('warmup.started_at', 'must be an ISO time or null');
    }
  }

  const c = section('complaint_adaptive');
  if (c) {
    known(c, Object.keys(DEFAULT_PACING_POLICY.complaint_adaptive), 'complaint_adaptive.');
    bool(c, 'enabled', 'complaint_adaptive');
    const rate = (n: number) => n >= 0 && n <= 1;
    num(c, 'grow_below', 'complaint_adaptive', rate, 'a rate from 0 to 1 (0.001 = 0.1 %)');
    num(c, 'shrink_above', 'complaint_adaptive', rate, 'a rate from 0 to 1 (0.001 = 0.1 %)');
    num(c, 'stop_at', 'complaint_adaptive', (n) => n > 0 && n <= 1, 'a rate above 0 and at most 1 (0.003 = 0.3 %)');
    num(c, 'step', 'complaint_adaptive', (n) => n > 0 && n < 1, 'a fraction between 0 and 1 (0.1 = 10 % per day)');
    if (problems.every((x) => !x.field.startsWith('complaint_adaptive.'))) {
      const a = c as unknown as ComplaintAdaptive;
      if (a.grow_below > a.shrink_above) add('complaint_adaptive.grow_below', 'must not be above shrink_above');
      if (a.shrink_above >= a.stop_at) add('complaint_adaptive.shrink_above', 'must be below stop_at');
    }
  }
  return problems;
}

/** Field checks of a quiet-hours object (also a campaign's partial override: only present keys). */
export function validateQuietHoursFields(q: Json, prefix: string): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field: `${prefix}.${field}`, message });
  for (const key of ['enabled', 'apply_to_one_off'] as const) {
    if (key in q && typeof q[key] !== 'boolean') add(key, 'must be true or false');
  }
  for (const key of ['start', 'end'] as const) {
    if (key in q && (typeof q[key] !== 'string' || !HH_MM.test(q[key] as string))) add(key, `must be a local time "HH:mm" such as "21:00", got ${JSON.stringify(q[key])}`);
  }
  if ('ramp_minutes' in q) {
    const r = q.ramp_minutes;
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r > 720) add('ramp_minutes', `must be a whole number of minutes from 0 to 720, got ${JSON.stringify(r)}`);
  }
  if (problems.length === 0 && typeof q.start === 'string' && q.start === q.end) {
    add('start', `start and end are both ${q.start}: an impossible window (use "enabled": false to switch quiet hours off)`);
  }
  return problems;
}

/**
 * The full policy from what accounts.settings holds under "pacing" (or nothing): defaults filled
 * in, plus the problems found (a stored policy is validated on write, so these mean a hand edit).
 */
export function resolvePacingPolicy(stored: unknown): { policy: PacingPolicy; problems: PolicyProblem[] } {
  const merged = mergePacingPolicy(DEFAULT_PACING_POLICY, stored);
  const problems = validatePacingPolicy(merged);
  return { policy: (problems.length ? DEFAULT_PACING_POLICY : merged) as unknown as PacingPolicy, problems };
}

/** "HH:mm" → minutes after midnight. */
export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}
