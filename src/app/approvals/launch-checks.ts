// What a launch request and an approval check before they change anything: the pre-flight
// checklist (the same one sendCampaign uses), refused with the whole checklist when an item blocks.
// An approval runs it again: the world may have changed while the campaign was waiting.
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { preflightCampaign } from '../explain/preflight.ts';

export async function assertPreflightReady(deps: AppDeps, actor: Actor, campaignId: number, at: Date, doing: string): Promise<void> {
  const preflight = await preflightCampaign(deps, actor, campaignId, { at });
  if (preflight.ready) return;
  const blocking = preflight.items.filter((i) => i.status === 'blocking');
  throw new AppError(
    'preflight_failed',
    `campaign ${campaignId} cannot be ${doing}: ${blocking.map((i) => `${i.title}: ${i.detail}`).join('; ')}`,
    blocking[0].id,
    preflight,
  );
}

