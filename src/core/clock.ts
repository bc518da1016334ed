// Core code never reads the wall clock: the time is passed in. Adapters get a Clock so that tests
// can move time.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}
