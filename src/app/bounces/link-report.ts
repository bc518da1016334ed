// Which ledger row a report is about. The signed VERP return path is believed first (it cannot be
// forged); else the original message's Message-ID (herald.<id>.<delivery>@…) as quoted in the
// report. The account is always the ledger row's: a report never names or touches an account.
import { parseVerp } from '../../core/bounces/verp.ts';
import type { AppDeps } from '../deps.ts';

export interface LedgerLink {
  accountId: number;
  messageId: number;
  channel: string;
  /** The address the message went to (null only for rows never sent). */
  address: string | null;
  via: 'verp' | 'message_id';
}

export async function linkReport(deps: AppDeps, envelopeRecipients: readonly string[], originalMessageId: string | null): Promise<LedgerLink | null> {
  const { db } = deps.store;
  for (const rcpt of envelopeRecipients) {
    const id = parseVerp(deps.config.secret, rcpt);
    if (id === null) continue;
    const row = await db.selectFrom('messages').select(['id', 'account_id', 'channel', 'address']).where('id', '=', id).executeTakeFirst();
    if (row) return { accountId: row.account_id, messageId: row.id, channel: row.channel, address: row.address, via: 'verp' };
  }
  if (originalMessageId) {
    const row = await db
      .selectFrom('messages')
      .select(['id', 'account_id', 'channel', 'address'])
      .where('message_id_header', '=', originalMessageId)
      .executeTakeFirst();
    if (row) return { accountId: row.account_id, messageId: row.id, channel: row.channel, address: row.address, via: 'message_id' };
  }
  return null;
}
