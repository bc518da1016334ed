// Suppresses many addresses of one channel at once (a blocklist carried over from another tool).
// All or nothing: every address is checked before anything is written, and the first bad one is
// named by its position (`addresses[17]`), with the others listed in the details.
import type { Actor, AppDeps } from '../deps.ts';
import { invalid } from '../errors.ts';
import { normalizeSuppressionAddress } from '../../core/suppression-address.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { insertSuppressions } from './insert-suppressions.ts';
import { optionalExpiry, optionalNote, requireChannel, requireReason } from './suppression-input.ts';

/** The API's limit per request; the use case itself takes any number in one transaction (CLI import). */
export const MAX_BULK_ADDRESSES = 10_000;

const MAX_PROBLEMS_LISTED = 100;

export interface BulkAddSuppressionsInput {
  channel: string;
  addresses: string[];
  reason?: string;
  note?: string | null;
  expires_at?: string | null;
}

export interface BulkAddResult {
  /** Addresses newly suppressed. */
  added: number;
  /** Addresses that already had an entry in force (or appeared twice in the input). */
  unchanged: number;
}

export async function bulkAddSuppressions(deps: AppDeps, actor: Actor, input: BulkAddSuppressionsInput): Promise<BulkAddResult> {
  const now = deps.clock.now().toISOString();
  const channel = requireChannel(input.channel);
  const reason = requireReason(input.reason ?? 'blocklist');
  const note = optionalNote(input.note);
  const expiresAt = optionalExpiry(input.expires_at, now);
  if (input.addresses.length === 0) throw invalid('addresses', 'is empty: give at least one address');

  const addresses: string[] = [];
  const problems: Array<{ field: string; address: string; problem: string }> = [];
  input.addresses.forEach((raw, i) => {
    const n = normalizeSuppressionAddress(channel, raw);
    if (n.ok) addresses.push(n.value);
    else problems.push({ field: `addresses[${i}]`, address: raw, problem: n.reason });
  });
  if (problems.length > 0) {
    const first = problems[0];
    throw invalid(
      first.field,
      `"${first.address}" is not a valid ${channel === 'sms' ? 'phone number' : `${channel} address`}: ${first.problem}${problems.length > 1 ? ` (and ${problems.length - 1} more bad addresses; nothing was added)` : ' (nothing was added)'}`,
      { problems: problems.slice(0, MAX_PROBLEMS_LISTED), total_problems: problems.length },
    );
  }

  return deps.store.db.transaction().execute(async (trx) => {
    const rows = addresses.map((address) => ({ channel, address, reason, source: actor.label, note, expires_at: expiresAt }));
    const inserted = await insertSuppressions(trx, deps.store.caps, actor.accountId, rows, now);
    // One audit line for the whole import, listing what it added: "who blocklisted x?" stays answerable.
    await recordAudit({ trx, now }, actor, 'suppression.bulk_add', `${channel}:${inserted.length} addresses`, {
      reason,
      note,
      expires_at: expiresAt,
      added: inserted.map((r) => r.address),
      unchanged: input.addresses.length - inserted.length,
    });
    return { added: inserted.length, unchanged: input.addresses.length - inserted.length };
  });
}
