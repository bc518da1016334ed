// A campaign row changes only from the status it was read in: a launch, an approval, a pause or a
// change of kind racing another one wins or loses cleanly, and the loser is told to look again.
import type { Kysely } from 'kysely';
import type { CampaignUpdate, Database } from '../../store/schema.ts';
import { AppError } from '../errors.ts';

export function raced(campaignId: number, doing: string): AppError {
  return new AppError('invalid_state', `campaign ${campaignId} changed state while it was being ${doing}; look again`, 'status');
}

/** Sets `set` on the campaign while its status is one of `from`; otherwise throws raced(…, doing). */
export async function moveCampaign(
  db: Kysely<Database>,
  args: { campaignId: number; accountId: number; from: readonly string[]; set: CampaignUpdate; doing: string },
): Promise<void> {
  const moved = await db
    .updateTable('campaigns')
    .set(args.set)
    .where('id', '=', args.campaignId)
    .where('account_id', '=', args.accountId)
    .where('status', 'in', [...args.from])
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 0) throw raced(args.campaignId, args.doing);
}
