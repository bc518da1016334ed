// Deletes a segment, unless a campaign's audience uses it (as its segment or as an exclusion):
// the campaign would otherwise send to a different audience than the one that was reviewed.
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { requireSegment } from './find-segment.ts';

interface AudienceSegments {
  segment_id?: unknown;
  exclude_segment_ids?: unknown;
}

function usesSegment(audienceJson: string, id: number): boolean {
  let a: AudienceSegments;
  try {
    a = JSON.parse(audienceJson) as AudienceSegments;
  } catch {
    return false;
  }
  return Number(a.segment_id) === id || (Array.isArray(a.exclude_segment_ids) && a.exclude_segment_ids.some((x) => Number(x) === id));
}

export async function deleteSegment(deps: AppDeps, actor: Actor, id: number): Promise<{ id: number; deleted: true }> {
  return deps.store.db.transaction().execute(async (trx) => {
    await requireSegment(trx, actor.accountId, id);
    // The LIKE only narrows the scan to audiences that mention segments; the JSON decides.
    const campaigns = await trx
      .selectFrom('campaigns')
      .select(['id', 'name', 'audience'])
      .where('account_id', '=', actor.accountId)
      .where('audience', 'like', '%segment%')
      .execute();
    const users = campaigns.filter((c) => usesSegment(c.audience, id));
    if (users.length > 0) {
      const named = users.map((c) => `${c.id} "${c.name}"`).join(', ');
      throw new AppError('conflict', `segment ${id} is used by campaign${users.length > 1 ? 's' : ''} ${named}; remove it from their audience first`, 'id', {
        campaign_ids: users.map((c) => Number(c.id)),
      });
    }
    await trx.deleteFrom('segments').where('account_id', '=', actor.accountId).where('id', '=', id).execute();
    return { id, deleted: true as const };
  });
}
