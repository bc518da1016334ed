// Drives an in-process delivery worker pass by pass instead of its timed loop, so that a test knows
// the work is done when it starts asserting, with no sleeping and no polling.
import type { DeliveryWorker } from '../../src/workers/delivery-worker.ts';

/**
 * Runs passes until one finds nothing to do. The cap keeps a worker that never goes idle from
 * hanging the test; the test's assertions then show what was left undone.
 */
export async function runUntilIdle(worker: DeliveryWorker, max = 50): Promise<void> {
  for (let i = 0; i < max; i++) if (!(await worker.tick())) return;
}
