// CSV export of the contacts a segment matches (F1.2: Bitrix24 cannot export a campaign's
// segment; Herald can). Streams pages of 5,000 contacts in id order (keyset), so a million
// contacts never sit in memory: one page and the set of attribute names.
import { sql } from 'kysely';
import { attributeKeysSource, segmentWhere } from '../../store/queries/segment-sql.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { type CsvWrite, csvLine } from './csv-line.ts';
import { inLists, matchingContacts, resolveSegmentMatch, type SegmentMatch, type SegmentMatchInput } from './match-segment.ts';

export const EXPORT_PAGE_SIZE = 5000;
const FIELD_COLUMNS = ['id', 'email', 'phone', 'first_name', 'last_name'] as const;

export interface CsvExport {
  /** A file name for Content-Disposition / --out defaults. */
  filename: string;
  /** Writes the header and every row; resolves with the number of rows written. */
  run(write: CsvWrite): Promise<{ rows: number }>;
}

/** The attribute names that occur on matching contacts: the CSV's columns after the fields. */
async function attributeColumns(deps: AppDeps, actor: Actor, match: SegmentMatch): Promise<string[]> {
  const source = attributeKeysSource(deps.store.caps, 'c');
  const where = segmentWhere(match.rules, deps.store.caps, { accountId: actor.accountId, now: deps.clock.now().toISOString() });
  const lists = match.listIds.length > 0 ? sql`AND ${inLists(actor.accountId, match.listIds)}` : sql``;
  const result = await sql<{ key: string }>`SELECT DISTINCT ${sql.raw(source.key)} AS key FROM contacts c CROSS JOIN ${sql.raw(source.from)}
    WHERE c.account_id = ${actor.accountId} AND ${where} ${lists}`.execute(deps.store.db);
  // Sorted here, not in SQL: PostgreSQL would sort by the database's locale, SQLite by bytes.
  return result.rows.map((r) => r.key).sort();
}

/** Checks the segment (404 before any byte is written) and returns the export to run. */
export async function openSegmentExport(deps: AppDeps, actor: Actor, segmentId: number): Promise<CsvExport> {
  return openMatchExport(deps, actor, { segmentId }, `segment-${segmentId}.csv`);
}

/** The same export for any match: saved or unsaved rules, within lists (a list's export is `all: []` in it). */
export async function openMatchExport(deps: AppDeps, actor: Actor, input: SegmentMatchInput, filename: string): Promise<CsvExport> {
  const match = await resolveSegmentMatch(deps, actor, input);
  return {
    filename,
    async run(write) {
      const attributes = await attributeColumns(deps, actor, match);
      await write(csvLine([...FIELD_COLUMNS, ...attributes]));
      let after = 0;
      let rows = 0;
      for (;;) {
        const page = await matchingContacts(deps.store.db, deps, actor, match)
          .select(['c.id', 'c.email', 'c.phone', 'c.first_name', 'c.last_name', 'c.attributes'])
          .where('c.id', '>', after)
          .orderBy('c.id')
          .limit(EXPORT_PAGE_SIZE)
          .execute();
        if (page.length === 0) break;
        let chunk = '';
        for (const c of page) {
          const attrs = JSON.parse(c.attributes) as Record<string, unknown>;
          chunk += csvLine([c.id, c.email, c.phone, c.first_name, c.last_name, ...attributes.map((a) => attrs[a])]);
        }
        await write(chunk);
        rows += page.length;
        after = Number(page[page.length - 1].id);
        if (page.length < EXPORT_PAGE_SIZE) break;
      }
      return { rows };
    },
  };
}

export async function exportSegmentCsv(deps: AppDeps, actor: Actor, segmentId: number, write: CsvWrite): Promise<{ rows: number }> {
  return (await openSegmentExport(deps, actor, segmentId)).run(write);
}
