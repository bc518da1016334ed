// `herald suppressions …` (list, add, remove, import a file of addresses) and `herald audit`.
import fs from 'node:fs';
import type { Command } from 'commander';
import { listAudit } from '../../app/audit/list-audit.ts';
import { AppError, invalid } from '../../app/errors.ts';
import { addSuppression } from '../../app/suppressions/add-suppression.ts';
import { bulkAddSuppressions } from '../../app/suppressions/bulk-add-suppressions.ts';
import { listSuppressions } from '../../app/suppressions/read-suppressions.ts';
import { removeSuppression } from '../../app/suppressions/remove-suppression.ts';
import { positiveInt, printJson, printTable, wantsJson, withApp } from '../cli-context.ts';

/** The API names input fields; the CLI names its flags. */
const FLAG_OF: Record<string, string> = { channel: '--channel', reason: '--reason', note: '--note', expires_at: '--expires', address: 'address' };

function renameField(err: unknown, rename: (field: string) => string | undefined): never {
  if (err instanceof AppError && err.field) {
    const field = rename(err.field);
    if (field) throw new AppError(err.code, err.message, field, err.details);
  }
  throw err;
}

/** One address per line; blank lines, "#" comments and a header line ("email", "phone", "address") are skipped. */
export function readAddressFile(text: string): { addresses: string[]; lines: number[] } {
  const addresses: string[] = [];
  const lines: number[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      if (addresses.length === 0 && /^(email|phone|address)$/i.test(line)) return;
      addresses.push(line);
      lines.push(i + 1);
    });
  return { addresses, lines };
}

export function registerSuppressionCommands(program: Command): void {
  const suppressions = program.command('suppressions').description('the blocklist and other suppressions (bounces, complaints, unsubscribes), per channel');

  suppressions
    .command('list')
    .description('suppressions in force (with --all also removed and expired ones)')
    .option('--channel <channel>', 'email, sms, …')
    .option('--reason <reason>', 'blocklist, bounce, complaint or unsubscribe')
    .option('--q <text>', 'part of the address')
    .option('--all', 'also removed and expired entries')
    .option('--limit <n>', 'at most this many', '100')
    .option('--after <id>', 'only ids greater than this', '0')
    .action(async (opts: { channel?: string; reason?: string; q?: string; all?: boolean; limit: string; after: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const page = await listSuppressions(deps, actor, {
          channel: opts.channel,
          reason: opts.reason,
          q: opts.q,
          include_inactive: opts.all,
          limit: positiveInt(opts.limit, '--limit'),
          after: Number(opts.after) || 0,
        }).catch((err) => renameField(err, (f) => FLAG_OF[f]));
        if (wantsJson(cmd)) return printJson(page);
        printTable(page.items as unknown as Record<string, unknown>[], ['id', 'channel', 'address', 'reason', 'state', 'source', 'created_at', 'expires_at', 'note']);
        if (page.next_after !== null) process.stdout.write(`more: --after ${page.next_after}\n`);
      });
    });

  suppressions
    .command('add <address>')
    .description('suppress an address on one channel (the blocklist unless --reason)')
    .option('--channel <channel>', 'email, sms, …', 'email')
    .option('--reason <reason>', 'blocklist, bounce, complaint or unsubscribe', 'blocklist')
    .option('--note <text>', 'why, for the people reading the list later')
    .option('--expires <iso>', 'stop suppressing at this ISO date-time, e.g. 2026-12-31T00:00:00Z')
    .action(async (address: string, opts: { channel: string; reason: string; note?: string; expires?: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const s = await addSuppression(deps, actor, { channel: opts.channel, address, reason: opts.reason, note: opts.note, expires_at: opts.expires }).catch((err) =>
          renameField(err, (f) => FLAG_OF[f]),
        );
        if (wantsJson(cmd)) return printJson(s);
        process.stdout.write(`suppressed ${s.address} for ${s.channel} (${s.reason}) as suppression ${s.id}${s.expires_at ? ` until ${s.expires_at}` : ''}\n`);
      });
    });

  suppressions
    .command('remove <id>')
    .description('take a suppression off (the entry stays in the history with its removal)')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const s = await removeSuppression(deps, actor, positiveInt(id, 'id'));
        if (wantsJson(cmd)) return printJson(s);
        process.stdout.write(`removed suppression ${s.id}: ${s.address} (${s.channel}, ${s.reason}) is no longer suppressed by it\n`);
      });
    });

  suppressions
    .command('import <file>')
    .description('suppress every address of a file (one per line); all or nothing: a bad line stops the import')
    .option('--channel <channel>', 'email, sms, …', 'email')
    .option('--reason <reason>', 'blocklist, bounce, complaint or unsubscribe', 'blocklist')
    .option('--note <text>', 'recorded with every entry')
    .action(async (file: string, opts: { channel: string; reason: string; note?: string }, cmd: Command) => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        throw invalid('file', `cannot read ${file}: ${(err as Error).message}`);
      }
      const { addresses, lines } = readAddressFile(text);
      if (addresses.length === 0) throw invalid('file', `${file} holds no addresses`);
      await withApp(cmd, async ({ deps, actor }) => {
        // The whole file is one transaction, however long; a bad address is named by its line.
        const lineOf = (f: string) => {
          const m = /^addresses\[(\d+)\]$/.exec(f);
          return m ? `${file} line ${lines[Number(m[1])]}` : undefined;
        };
        const result = await bulkAddSuppressions(deps, actor, { channel: opts.channel, addresses, reason: opts.reason, note: opts.note }).catch((err) => {
          const problems = (err as AppError).details as { problems?: Array<{ field: string }> } | undefined;
          for (const p of problems?.problems ?? []) p.field = lineOf(p.field) ?? p.field;
          return renameField(err, (f) => lineOf(f) ?? FLAG_OF[f]);
        });
        if (wantsJson(cmd)) return printJson(result);
        process.stdout.write(`suppressed ${result.added} addresses for ${opts.channel} (${opts.reason}); ${result.unchanged} already were\n`);
      });
    });

  program
    .command('audit')
    .description('the account audit log: who changed what (suppressions, …)')
    .option('--action <action>', 'only this action ("suppression.add") or prefix ("suppression.")')
    .option('--limit <n>', 'at most this many', '100')
    .option('--after <id>', 'only ids greater than this', '0')
    .action(async (opts: { action?: string; limit: string; after: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const page = await listAudit(deps, actor, { action: opts.action, limit: positiveInt(opts.limit, '--limit'), after: Number(opts.after) || 0 });
        if (wantsJson(cmd)) return printJson(page);
        printTable(page.items as unknown as Record<string, unknown>[], ['id', 'created_at', 'actor', 'action', 'subject', 'data']);
        if (page.next_after !== null) process.stdout.write(`more: --after ${page.next_after}\n`);
      });
    });
}
