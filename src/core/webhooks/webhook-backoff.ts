// When to try an outgoing webhook again and when to give up on an endpoint. A failing endpoint is
// retried at 30 s, 1, 2, 4 … minutes, at most every 6 hours; after 15 failures in a row (about
// 32 hours of trying) it is disabled and the account must enable it again. 410 Gone disables at
// once: the receiver says the URL is retired. Events wait in message_events meanwhile: nothing
// is lost while an endpoint fails, the cursor only moves on success.

export const BASE_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 6 * 3600_000;
export const DISABLE_AFTER_FAILURES = 15;

export type ResponseOutcome = 'ok' | 'retry' | 'gone';

/** How a response status (null: no response — timeout, refused) is treated. */
export function responseOutcome(status: number | null): ResponseOutcome {
  if (status !== null && status >= 200 && status < 300) return 'ok';
  if (status === 410) return 'gone';
  return 'retry';
}

/** The next attempt after the streak-th failure in a row (streak >= 1). */
export function nextAttemptAfterFailure(now: Date, streak: number): Date {
  const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, streak - 1));
  return new Date(now.getTime() + delay);
}
