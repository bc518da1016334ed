// Four-eyes tells people apart, not credentials: an API key made by a signed-in user acts for that
// user, so "user:7" cannot approve through their own key ("api_key:3") what they wrote as "user:7".
// Keys without a recorded owner (the bootstrap key, keys older than migration 0017) stand for
// themselves.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';

export async function personOf(db: Kysely<Database>, accountId: number, label: string): Promise<string> {
  const key = /^api_key:(\d+)$/.exec(label);
  if (!key) return label;
  const row = await db
    .selectFrom('api_keys')
    .select('created_by')
    .where('id', '=', Number(key[1]))
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row?.created_by?.startsWith('user:') ? row.created_by : label;
}
