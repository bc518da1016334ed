// Suppresses one address on one channel by hand (the blocklist by default), with an audit line.
// An entry in force for the same address and reason is a conflict, not a silent no-op: the person
// meant to change something and should learn that it already was so (and by whom).
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { insertSuppressions } from './insert-suppressions.ts';
import { optionalExpiry, optionalNote, requireAddress, requireChannel, requireReason } from './suppression-input.ts';
import { type SuppressionView, toSuppressionView } from './suppression-view.ts';

export interface AddSuppressionInput {
  channel: string;
  address: string;
  /** Default 'blocklist'. */
  reason?: string;
  note?: string | null;
  expires_at?: string | null;
}

export async function addSuppression(deps: AppDeps, actor: Actor, input: AddSuppressionInput): Promise<SuppressionView> {
  const now = deps.clock.now().toISOString();
  const channel = requireChannel(input.channel);
  const address = requireAddress(channel, input.address);
  const reason = requireReason(input.reason ?? 'blocklist');
  const note = optionalNote(input.note);
  const expiresAt = optionalExpiry(input.expires_at, now);

  return deps.store.db.transaction().execute(async (trx) => {
    const [row] = await insertSuppressions(trx, deps.store.caps, actor.accountId, [{ channel, address, reason, source: actor.label, note, expires_at: expiresAt }], now);
    if (!row) {
      const existing = await trx
        .selectFrom('suppressions')
        .selectAll()
        .where('account_id', '=', actor.accountId)
        .where('channel', '=', channel)
        .where('address', '=', address)
        .where('reason', '=', reason)
        .where('removed_at', 'is', null)
        .executeTakeFirstOrThrow();
      throw new AppError(
        'conflict',
        `${address} is already suppressed for ${channel} (${reason}) since ${existing.created_at} via ${existing.source}: suppression ${existing.id}; remove it first to change it`,
        'address',
        { id: existing.id },
      );
    }
    await recordAudit({ trx, now }, actor, 'suppression.add', `${channel}:${address}`, { id: row.id, reason, note, expires_at: expiresAt });
    return toSuppressionView(row, now);
  });
}
