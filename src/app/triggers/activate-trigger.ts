// Placeholder until the trigger work lands: a triggered campaign cannot be launched yet.
import { AppError } from '../errors.ts';
import type { StartArgs } from '../campaigns/start-campaign.ts';

export async function activateTrigger(args: StartArgs): Promise<void> {
  throw new AppError('invalid_state', `campaign ${args.campaign.id} is triggered; triggered campaigns are not built yet`, 'kind');
}
