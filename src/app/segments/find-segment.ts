// Loads a segment of the acting account. Another account's segment is "not found", never
// "forbidden": a key must not even learn that the id exists.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { SegmentRow } from '../../store/schema-segments.ts';
import { notFound } from '../errors.ts';

export async function requireSegment(db: Kysely<Database>, accountId: number, id: number, field = 'id'): Promise<SegmentRow> {
  const row = await db.selectFrom('segments').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('segment', id, field);
  return row;
}
