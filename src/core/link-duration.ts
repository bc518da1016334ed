// How long a personal link stays valid, as a template author writes it: "15m", "2h", "7d".
// Pure: the caller adds it to its own clock's now.

export const DEFAULT_LINK_DURATION = '24h';
/** A login link that works for a month is already generous; longer ones belong in a password. */
export const MAX_LINK_DURATION_MS = 30 * 24 * 3600_000;

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3600_000, d: 24 * 3600_000 };

/** Milliseconds, or a sentence that says what is wrong with the text. */
export function parseLinkDuration(text: string): { ok: true; ms: number } | { ok: false; problem: string } {
  const m = /^\s*(\d{1,5})\s*([mhd])\s*$/.exec(text);
  if (!m) return { ok: false, problem: `"${text}" is not a duration; write a number and m, h or d, such as 15m, 2h or 7d` };
  const ms = Number(m[1]) * UNIT_MS[m[2]];
  if (ms <= 0) return { ok: false, problem: `"${text}" is no time at all; a link must live at least 1m` };
  if (ms > MAX_LINK_DURATION_MS) return { ok: false, problem: `"${text}" is longer than the maximum of 30d` };
  return { ok: true, ms };
}

/** A purpose label travels in the link: short, lower-case, URL-safe. */
export function checkLinkPurpose(text: string): string | null {
  return /^[a-z0-9_-]{1,32}$/.test(text) ? null : `"${text}" is not a purpose label; use 1 to 32 of a-z, 0-9, _ and -`;
}
