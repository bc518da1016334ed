// Placeholder until the recurring work lands: a recurring campaign cannot be launched yet.
import { AppError } from '../errors.ts';
import type { StartArgs } from '../campaigns/start-campaign.ts';

export async function activateSchedule(args: StartArgs): Promise<void> {
  throw new AppError('invalid_state', `campaign ${args.campaign.id} is recurring; recurring campaigns are not built yet`, 'kind');
}
