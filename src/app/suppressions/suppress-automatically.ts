// Suppressions Herald makes by itself, from what receivers and contacts tell it: hard bounces
// (from the worker's SMTP results), spam complaints (feedback loops) and global unsubscribes of a
// channel. They never expire and are idempotent: the same bounce reported twice leaves one entry.
// They are not written to the audit log: the row's source names the cause, and a large delivery
// would otherwise double its writes for thousands of bounces.
import type { AppDeps } from '../deps.ts';
import { invalid } from '../errors.ts';
import { bounceSource, normalizeSuppressionAddress } from '../../core/suppression-address.ts';
import type { SuppressionReason } from '../../core/suppression-reason.ts';
import { insertSuppressions, type NewSuppression } from './insert-suppressions.ts';

export interface HardBounce {
  channel: string;
  address: string;
  /** The receiver's reply, e.g. "550 5.1.1 <x@example.com>: user unknown". */
  response: string;
}

export interface HardBounceResult {
  /** Addresses newly suppressed (the others already were). */
  added: number;
  /** Addresses that could not be normalized: nothing to suppress them under. */
  skipped: Array<{ channel: string; address: string; problem: string }>;
}

/** Suppresses hard-bounced addresses (reason 'bounce'); one statement per chunk, one transaction. */
export async function suppressHardBounces(deps: AppDeps, accountId: number, items: readonly HardBounce[]): Promise<HardBounceResult> {
  const rows: NewSuppression[] = [];
  const skipped: HardBounceResult['skipped'] = [];
  for (const item of items) {
    const n = normalizeSuppressionAddress(item.channel, item.address);
    if (!n.ok) {
      skipped.push({ channel: item.channel, address: item.address, problem: n.reason });
      continue;
    }
    rows.push({ channel: item.channel, address: n.value, reason: 'bounce', source: bounceSource(item.response), note: null, expires_at: null });
  }
  if (skipped.length > 0) deps.log.warn({ accountId, skipped }, 'hard bounces with addresses that cannot be suppressed');
  if (rows.length === 0) return { added: 0, skipped };
  const now = deps.clock.now().toISOString();
  const inserted = await deps.store.db.transaction().execute((trx) => insertSuppressions(trx, deps.store.caps, accountId, rows, now));
  return { added: inserted.length, skipped };
}

export interface SuppressionEvent {
  channel: string;
  address: string;
  /** Where it came from: "complaint", "fbl:example-isp", "one-click". */
  source: string;
}

async function suppressOne(deps: AppDeps, accountId: number, reason: SuppressionReason, event: SuppressionEvent): Promise<{ added: boolean }> {
  const n = normalizeSuppressionAddress(event.channel, event.address);
  if (!n.ok) throw invalid('address', `"${event.address}" cannot be suppressed for ${event.channel}: ${n.reason}`);
  const now = deps.clock.now().toISOString();
  const row: NewSuppression = { channel: event.channel, address: n.value, reason, source: event.source, note: null, expires_at: null };
  const inserted = await deps.store.db.transaction().execute((trx) => insertSuppressions(trx, deps.store.caps, accountId, [row], now));
  return { added: inserted.length > 0 };
}

/** The contact marked a message as spam (feedback loop): reason 'complaint'. */
export function suppressComplaint(deps: AppDeps, accountId: number, event: SuppressionEvent): Promise<{ added: boolean }> {
  return suppressOne(deps, accountId, 'complaint', event);
}

/**
 * The contact wants nothing more on this channel (reason 'unsubscribe'). Unsubscribing from one
 * list is a subscription change instead and lives in `subscriptions`.
 */
export function suppressGlobalUnsubscribe(deps: AppDeps, accountId: number, event: SuppressionEvent): Promise<{ added: boolean }> {
  return suppressOne(deps, accountId, 'unsubscribe', event);
}
