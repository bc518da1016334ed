// The audience of a campaign, page by page, with the decision for every contact: what a
// preparation writes to the ledger, and what a dry run (diagnosis, pre-flight, export before a
// send) counts without writing anything. One code path, so a dry run never disagrees with a send.
import { addressIsUniquePerAccount } from '../../core/channels.ts';
import { type MessageDecision, decideMessage } from '../../core/decide-message.ts';
import { audienceRangeQuery, audienceRecheckQuery } from '../../store/queries/audience.ts';
import type { AppDeps } from '../deps.ts';
import { type AudienceFactRow, type AudienceScope, factsFor, loadBatchFacts } from './audience-facts.ts';

/** Contacts are read in id ranges of this many and decided per range. */
const PAGE = 10_000;
/** Explicit audiences are read by id lists of this many (bound parameters). */
const EXPLICIT_PAGE = 1_000;

/** The id of the PAGE-th contact of the account after afterId, or null when fewer remain. */
async function pageUpperBound(deps: AppDeps, accountId: number, afterId: number): Promise<number | null> {
  const row = await deps.store.db
    .selectFrom('contacts')
    .select('id')
    .where('account_id', '=', accountId)
    .where('id', '>', afterId)
    .orderBy('id')
    .offset(PAGE - 1)
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

export interface PlannedMessage {
  row: AudienceFactRow;
  decision: MessageDecision;
}

/** Calls onPage for each page of the audience in contact id order, with every decision; onPage may return 'stop'. */
export async function planAudience(
  deps: AppDeps,
  scope: AudienceScope,
  onPage: (page: PlannedMessage[]) => Promise<void | 'stop'>,
): Promise<void> {
  const dedupe = !addressIsUniquePerAccount(scope.channel);
  const seen = new Set<string>();
  const decide = (rows: AudienceFactRow[], batch: Awaited<ReturnType<typeof loadBatchFacts>>): PlannedMessage[] =>
    rows.map((row) => {
      let decision = decideMessage(factsFor(scope, row, batch, false));
      if (dedupe && decision.kind !== 'skip' && decision.address) {
        if (seen.has(decision.address)) decision = decideMessage(factsFor(scope, row, batch, true));
        else seen.add(decision.address);
      }
      return { row, decision };
    });

  // An explicit audience (a trigger firing, a one-off message): the named contacts, in id order.
  const explicit = scope.audience.contact_ids;
  if (explicit) {
    const ids = [...new Set(explicit)].sort((a, b) => a - b);
    for (let i = 0; i < ids.length; i += EXPLICIT_PAGE) {
      const { rows } = await deps.store.db.executeQuery(
        audienceRecheckQuery(deps.store.caps, {
          accountId: scope.accountId,
          include: [],
          exclude: scope.audience.exclude_list_ids,
          contactIds: ids.slice(i, i + EXPLICIT_PAGE),
          segments: scope.segments,
        }),
      );
      rows.sort((a, b) => a.contact_id - b.contact_id);
      const page = decide(rows, await loadBatchFacts(deps, scope, rows, deps.clock.now()));
      if (page.length && (await onPage(page)) === 'stop') return;
    }
    return;
  }

  if (scope.audience.list_ids.length === 0) return;
  let afterId = 0;
  for (;;) {
    const upTo = await pageUpperBound(deps, scope.accountId, afterId);
    const { rows } = await deps.store.db.executeQuery(
      audienceRangeQuery(deps.store.caps, {
        accountId: scope.accountId,
        include: scope.audience.list_ids,
        exclude: scope.audience.exclude_list_ids,
        afterId,
        upTo,
        segments: scope.segments,
      }),
    );
    const page = decide(rows, await loadBatchFacts(deps, scope, rows, deps.clock.now()));
    if (page.length && (await onPage(page)) === 'stop') return;
    if (upTo === null) return;
    afterId = upTo;
  }
}
