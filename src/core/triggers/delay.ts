// A trigger's delay as people write it on the command line: "90s", "10m", "2h", "1d" or a bare
// number of minutes. Pure.

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
/** A delay longer than this is almost certainly a typo (and would hold firings for ever). */
export const MAX_DELAY_SECONDS = 90 * 86_400;

/** Seconds, or an error message naming what is wrong. */
export function parseDelay(text: string): { ok: true; seconds: number } | { ok: false; reason: string } {
  const m = /^\s*(\d+)\s*([smhd]?)\s*$/i.exec(text);
  if (!m) return { ok: false, reason: `"${text}" is not a delay; write e.g. 90s, 10m, 2h or 1d` };
  const seconds = Number(m[1]) * UNIT_SECONDS[(m[2] || 'm').toLowerCase()];
  if (seconds > MAX_DELAY_SECONDS) return { ok: false, reason: `"${text}" is longer than 90 days` };
  return { ok: true, seconds };
}
