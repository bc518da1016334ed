// The buffer behind the public tracking routes: requests push interactions, and they are
// classified and written in batches (every 100 ms or 1,000 events). One per HTTP server; the
// routes close it when the server closes, which writes what is left.
import { EMPTY_IP_RANGE_SET, type IpRangeSet } from '../../core/tracking/ip-ranges.ts';
import type { Interaction } from '../../core/tracking/classify-interaction.ts';
import type { AppDeps } from '../deps.ts';
import { createEventBuffer, type EventBuffer } from './event-buffer.ts';
import { createRecentClicks } from './recent-clicks.ts';
import { recordInteractions } from './record-interactions.ts';

const WRITE_SLICE = 200;

export type TrackingRecorder = EventBuffer<Interaction>;

export interface TrackingRecorderOptions {
  proxyRanges?: IpRangeSet;
  intervalMs?: number;
  maxBatch?: number;
}

export function createTrackingRecorder(deps: AppDeps, options: TrackingRecorderOptions = {}): TrackingRecorder {
  const proxyRanges = options.proxyRanges ?? EMPTY_IP_RANGE_SET;
  const log = deps.log.child({ component: 'tracking' });
  const recentClicks = createRecentClicks();
  return createEventBuffer<Interaction>({
    write: async (items) => {
      await recordInteractions(deps, items, proxyRanges, recentClicks);
    },
    log,
    intervalMs: options.intervalMs ?? 100,
    maxBatch: options.maxBatch ?? 1000,
    // SQLite writes block the thread: requests waiting behind a whole batch of 1,000 (~15 ms)
    // would miss the 10 ms p99 (bench/tracking.ts).
    writeSlice: WRITE_SLICE,
  });
}
