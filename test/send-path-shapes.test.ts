// Guards for the send path's performance work: the CLI loads only the modules of the command it
// runs (help still lists every command), and SQLite keeps looking ledger rows up by id in the
// UPDATE … FROM VALUES statements however many rows a group has.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { buildProgram, commandWord } from '../src/cli/program.ts';
import { joinKey } from '../src/store/queries/ledger.ts';
import { sqliteCapabilities } from '../src/store/dialect-capabilities.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { openDatabase } from '../src/store/open-database.ts';

const argv = (...args: string[]) => ['node', 'herald', ...args];

describe('the herald program', () => {
  it('finds the command word after the global options', () => {
    expect(commandWord(argv('--account', '3', '--json', 'campaigns', 'list'))).toBe('campaigns');
    expect(commandWord(argv('worker'))).toBe('worker');
    expect(commandWord(argv('--help'))).toBeNull();
  });

  it('registers only the modules of the command being run, and every command for help', async () => {
    const all = (await buildProgram(argv('--help'))).commands.map((c) => c.name());
    expect(all).toEqual(expect.arrayContaining(['start', 'worker', 'contacts', 'campaigns', 'why', 'audit', 'webhooks']));
    expect((await buildProgram(argv('no-such-command'))).commands.map((c) => c.name())).toEqual(all);
    expect((await buildProgram(argv('worker'))).commands.map((c) => c.name())).toEqual(['start', 'serve', 'worker', 'inbound', 'migrate']);
    const campaigns = (await buildProgram(argv('campaigns', 'preflight', '1'))).commands.find((c) => c.name() === 'campaigns');
    expect(campaigns?.commands.map((c) => c.name())).toEqual(expect.arrayContaining(['list', 'diagnose', 'preflight']));
  });
});

describe('ledger updates on SQLite', () => {
  it('look messages up by id for groups of every size', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-shapes-'));
    const file = path.join(dir, 'herald.db');
    const store = openDatabase(`sqlite:${file}`);
    try {
      await migrateToLatest(store);
      const raw = new DatabaseSync(file);
      for (const rows of [1, 25, 250, 2000]) {
        const tuples = Array.from({ length: rows }, () => '(CAST(? AS bigint), ?)').join(',');
        const text = `EXPLAIN QUERY PLAN WITH v(id, header) AS (VALUES ${tuples}) UPDATE messages SET message_id_header = v.header FROM v WHERE messages.id = ${joinKey(sqliteCapabilities)} AND messages.status = 'claimed'`;
        const plan = raw.prepare(text).all(...Array(rows * 2).fill(1)).map((r) => String(r.detail));
        expect(plan, `${rows} rows`).toContain('SEARCH messages USING INTEGER PRIMARY KEY (rowid=?)');
        expect(plan, `${rows} rows`).not.toContain('SCAN messages');
      }
      raw.close();
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
